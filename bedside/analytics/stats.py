"""Honest comparisons of engagement rates: Wilson intervals and a difference of proportions.

A practice asks "do our non-medical posts engage more?". The answer depends on how many
people saw each kind of post, so every rate comes with a 95 % interval, and the difference
between two rates with Newcombe's interval (built from the two Wilson intervals, which
behave well for small counts and rates near 0 or 1). The verdict says plainly whether the
data can tell the two apart.
"""

import math
from dataclasses import dataclass
from enum import StrEnum

Z_95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Rate:
    """``successes`` of ``trials``, with its Wilson score interval."""

    successes: int
    trials: int
    low: float
    high: float

    @property
    def value(self) -> float | None:
        return self.successes / self.trials if self.trials else None


def wilson(successes: int, trials: int, z: float = Z_95) -> Rate:
    """The Wilson score interval for a proportion; (0, 1) when nothing was observed."""
    if trials < 0 or successes < 0:
        raise ValueError("Counts cannot be negative.")
    if successes > trials:
        raise ValueError("Successes cannot exceed trials.")
    if trials == 0:
        return Rate(successes=0, trials=0, low=0.0, high=1.0)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Exact bounds at the edges, so 0 of n never shows a lower bound of -0.0000001.
    low = 0.0 if successes == 0 else max(0.0, centre - margin)
    high = 1.0 if successes == trials else min(1.0, centre + margin)
    return Rate(successes=successes, trials=trials, low=low, high=high)


class Verdict(StrEnum):
    FIRST_HIGHER = "first_higher"
    SECOND_HIGHER = "second_higher"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"
    NOT_ENOUGH_DATA = "not_enough_data"


# Below this many people in either group the interval is too wide to say anything useful.
MINIMUM_TRIALS = 30


@dataclass(frozen=True, slots=True)
class Comparison:
    """First rate minus second, with Newcombe's 95 % interval and a verdict."""

    first: Rate
    second: Rate
    difference: float | None
    low: float
    high: float
    verdict: Verdict


def compare(
    first_successes: int, first_trials: int, second_successes: int, second_trials: int
) -> Comparison:
    """Compare two proportions (Newcombe 1998, method 10: the hybrid score interval)."""
    first = wilson(first_successes, first_trials)
    second = wilson(second_successes, second_trials)
    if min(first_trials, second_trials) < MINIMUM_TRIALS:
        return Comparison(
            first=first,
            second=second,
            difference=None,
            low=-1.0,
            high=1.0,
            verdict=Verdict.NOT_ENOUGH_DATA,
        )
    p1 = first_successes / first_trials
    p2 = second_successes / second_trials
    difference = p1 - p2
    low = difference - math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    high = difference + math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    if low > 0:
        verdict = Verdict.FIRST_HIGHER
    elif high < 0:
        verdict = Verdict.SECOND_HIGHER
    else:
        verdict = Verdict.NO_CLEAR_DIFFERENCE
    return Comparison(
        first=first,
        second=second,
        difference=difference,
        low=max(-1.0, low),
        high=min(1.0, high),
        verdict=verdict,
    )


def percent(value: float) -> str:
    """0.1234 → "12.3%"."""
    return f"{value * 100:.1f}%"


def describe(comparison: Comparison, first_name: str, second_name: str) -> str:
    """One plain sentence a practice owner can act on, uncertainty included."""
    first, second = comparison.first, comparison.second
    if comparison.verdict is Verdict.NOT_ENOUGH_DATA or comparison.difference is None:
        return (
            f"Not enough data to compare yet: {first_name} posts reached {first.trials} and "
            f"{second_name} posts {second.trials} people in this period; we need at least "
            f"{MINIMUM_TRIALS} in each before saying anything."
        )
    assert first.value is not None and second.value is not None
    rates = (
        f"{first_name.capitalize()} posts engaged {percent(first.value)} of the people they "
        f"reached (95% interval {percent(first.low)}–{percent(first.high)}), {second_name} posts "
        f"{percent(second.value)} ({percent(second.low)}–{percent(second.high)})."
    )
    gap = (
        f"The difference is {comparison.difference * 100:+.1f} points "
        f"(95% interval {comparison.low * 100:+.1f} to {comparison.high * 100:+.1f})."
    )
    if comparison.verdict is Verdict.FIRST_HIGHER:
        judgement = (
            f"Yes: for this practice, {first_name} posts really do engage more; "
            "a gap this size is unlikely to be chance."
        )
    elif comparison.verdict is Verdict.SECOND_HIGHER:
        judgement = (
            f"No: for this practice, {second_name} posts engage more; "
            "a gap this size is unlikely to be chance."
        )
    else:
        judgement = (
            "We cannot tell them apart yet: the interval includes no difference at all, "
            "so the gap may be chance."
        )
    return f"{judgement} {rates} {gap}"
