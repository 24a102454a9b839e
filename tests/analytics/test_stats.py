import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.analytics.stats import MINIMUM_TRIALS, Verdict, compare, describe, wilson


def test_wilson_matches_newcombes_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81 of 263.
    rate = wilson(81, 263)
    assert rate.low == pytest.approx(0.2553, abs=5e-5)
    assert rate.high == pytest.approx(0.3662, abs=5e-5)


def test_wilson_keeps_exact_bounds_at_zero_and_all() -> None:
    assert wilson(0, 10).low == 0.0
    assert wilson(0, 10).high == pytest.approx(0.2775, abs=5e-5)
    assert wilson(10, 10).high == 1.0
    assert wilson(0, 0).low == 0.0 and wilson(0, 0).high == 1.0
    assert wilson(0, 0).value is None


def test_wilson_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson(5, 4)
    with pytest.raises(ValueError):
        wilson(-1, 4)


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_wilson_interval_always_holds_the_observed_rate(a: int, b: int) -> None:
    successes, trials = min(a, b), max(a, b)
    rate = wilson(successes, trials)
    assert 0.0 <= rate.low <= rate.high <= 1.0
    if trials:
        assert rate.low <= successes / trials <= rate.high


def test_difference_matches_newcombes_method_ten() -> None:
    # Newcombe (1998), table II example (a): 56/70 against 48/80 → 0.0524 to 0.3339.
    comparison = compare(56, 70, 48, 80)
    assert comparison.difference == pytest.approx(0.2)
    assert comparison.low == pytest.approx(0.0524, abs=5e-5)
    assert comparison.high == pytest.approx(0.3339, abs=5e-5)
    assert comparison.verdict is Verdict.FIRST_HIGHER


def test_a_small_gap_on_little_data_is_called_undecided() -> None:
    comparison = compare(12, 40, 10, 40)
    assert comparison.low < 0 < comparison.high
    assert comparison.verdict is Verdict.NO_CLEAR_DIFFERENCE
    assert "cannot tell them apart" in describe(comparison, "non-medical", "medical")


def test_a_clear_gap_the_other_way_says_the_second_group_engages_more() -> None:
    comparison = compare(100, 1000, 300, 1000)
    assert comparison.verdict is Verdict.SECOND_HIGHER
    sentence = describe(comparison, "non-medical", "medical")
    assert sentence.startswith("No: for this practice, medical posts engage more")
    assert "10.0%" in sentence and "30.0%" in sentence


def test_too_few_people_gives_no_verdict_at_all() -> None:
    comparison = compare(5, MINIMUM_TRIALS - 1, 1, 500)
    assert comparison.verdict is Verdict.NOT_ENOUGH_DATA
    assert comparison.difference is None
    assert describe(comparison, "non-medical", "medical").startswith("Not enough data")


@given(
    st.integers(MINIMUM_TRIALS, 3000),
    st.integers(MINIMUM_TRIALS, 3000),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_difference_interval_holds_the_observed_difference(
    n1: int, n2: int, f1: float, f2: float
) -> None:
    x1, x2 = math.floor(n1 * f1), math.floor(n2 * f2)
    comparison = compare(x1, n1, x2, n2)
    assert comparison.difference is not None
    assert -1.0 <= comparison.low <= comparison.difference + 1e-12
    assert comparison.difference - 1e-12 <= comparison.high <= 1.0
    if comparison.verdict is Verdict.FIRST_HIGHER:
        assert comparison.low > 0
