"""The crisis screen against a labelled set, with a held-out split it was never tuned on.

``tests/data/crisis_sentences.tsv`` holds realistic sentences a patient might write in a
support group (label = a crisis category, or ``none``), with many hard negatives: negation,
hypotheticals, questions about others, a past that is over, idioms and accidents. The
``test`` split was never tuned on: every fourth sentence of the first 404, plus 40 written
afterwards and scored once, blind. Run with ``-s`` to see the report.
"""

import csv
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.screening.crisis import Category, CrisisResult, screen

DATA = Path(__file__).resolve().parents[1] / "data" / "crisis_sentences.tsv"
NONE = "none"


@dataclass(frozen=True)
class Example:
    label: str
    split: str
    text: str


def load() -> list[Example]:
    with DATA.open(encoding="utf-8") as handle:
        rows = [
            row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")
        ]
    return [Example(label, split, text) for label, split, text in rows]


EXAMPLES = load()


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    right_category: int

    @property
    def precision(self) -> float:
        return self.true_positives / (self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return self.true_positives / (self.true_positives + self.false_negatives)

    @property
    def category_accuracy(self) -> float:
        return self.right_category / self.true_positives


def score(examples: list[Example]) -> tuple[Scores, list[str]]:
    counts: Counter[str] = Counter()
    mistakes: list[str] = []
    for example in examples:
        result = screen(example.text)
        crisis = example.label != NONE
        if crisis and result.is_crisis:
            counts["tp"] += 1
            counts["category"] += result.category == example.label
        elif crisis:
            counts["fn"] += 1
            mistakes.append(f"missed ({example.label}): {example.text}")
        elif result.is_crisis:
            counts["fp"] += 1
            mistakes.append(f"false alarm ({result.reason}): {example.text}")
        else:
            counts["tn"] += 1
    scores = Scores(counts["tp"], counts["fp"], counts["fn"], counts["tn"], counts["category"])
    return scores, mistakes


def report(name: str, examples: list[Example]) -> Scores:
    scores, mistakes = score(examples)
    print(
        f"\n{name}: {len(examples)} sentences, precision {scores.precision:.3f}, "
        f"recall {scores.recall:.3f}, right category {scores.category_accuracy:.3f} "
        f"(tp {scores.true_positives}, fp {scores.false_positives}, "
        f"fn {scores.false_negatives}, tn {scores.true_negatives})"
    )
    for mistake in mistakes:
        print("  " + mistake)
    return scores


def test_the_labelled_set_is_large_varied_and_about_two_fifths_crisis():
    labels = Counter(example.label for example in EXAMPLES)
    crisis = sum(count for label, count in labels.items() if label != NONE)

    assert len(EXAMPLES) >= 400
    assert 0.35 <= crisis / len(EXAMPLES) <= 0.45
    assert set(labels) == {NONE, *(category.value for category in Category)}
    assert all(labels[category.value] >= 20 for category in Category)
    assert len({example.text.lower() for example in EXAMPLES}) == len(EXAMPLES)
    assert {example.split for example in EXAMPLES} == {"train", "test"}
    assert Counter(example.split for example in EXAMPLES)["test"] >= 90


def test_the_screen_finds_crises_on_the_whole_set_and_the_tuning_split():
    whole = report("whole set", EXAMPLES)
    train = report("train split", [e for e in EXAMPLES if e.split == "train"])

    for scores in (whole, train):
        assert scores.recall >= 0.95
        assert scores.precision >= 0.8
        assert scores.category_accuracy >= 0.9


def test_the_held_out_split_is_reported_and_does_not_collapse():
    # Never tuned on: its numbers are the honest estimate (0.88 recall and precision when
    # written), below the 0.95 recall target met on the whole set. The floor catches a
    # regression; raising it means better rules, checked on fresh sentences, not this split.
    held_out = report("held-out test split", [e for e in EXAMPLES if e.split == "test"])

    assert held_out.recall >= 0.85
    assert held_out.precision >= 0.8


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'm not suicidal", None),
        ("my doctor asked if I'd ever thought of self-harm", None),
        ("this diet is killing me", None),
        ("I'd die for that cake", None),
        ("I don't want to wake up tomorrow", Category.SUICIDAL),
        ("everyone would be better off without me", Category.SUICIDAL),
        ("I want to kill myself", Category.SUICIDAL),
        ("I cut myself again last night", Category.SELF_HARM),
        ("I cut myself shaving", None),
        ("I swallowed a whole bottle of sleeping pills", Category.OVERDOSE),
        ("How many Tylenol can I take safely?", None),
        ("My husband hits me when he drinks", Category.ABUSE),
        ("She beat me at chess again", None),
        ("I have crushing chest pain going down my arm", Category.MEDICAL_EMERGENCY),
        ("My chest pain was heartburn, it went away", None),
    ],
)
def test_the_issue_examples_are_read_as_a_person_would(text, category):
    result = screen(text)

    assert result.is_crisis is (category is not None)
    assert result.category == (category.value if category else None)


def test_a_crisis_anywhere_in_a_long_post_is_found_and_the_reason_quotes_it():
    text = (
        "Thanks for the recipes last week. The diet is killing me, honestly! "
        "But tonight I took all of my sleeping pills and I feel strange."
    )

    result = screen(text)

    assert result == CrisisResult(True, Category.OVERDOSE.value, result.reason)
    assert "took all of my sleeping pills" in result.reason


def test_curly_apostrophes_and_capitals_read_like_plain_ones():
    assert screen("I DON’T WANT TO LIVE ANYMORE").category == Category.SUICIDAL.value
    assert not screen("I’m NOT suicidal.").is_crisis


def test_empty_and_huge_texts_are_answered_quickly():
    assert screen("") == CrisisResult(False, None, "Nothing to screen.")
    assert not screen("   \n ").is_crisis
    started = time.perf_counter()
    screen("I am fine, thank you. " * 20_000)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("word", ["cut ", "razor ", "bang ", "my husband ", "not ", "if i "])
def test_a_run_on_text_without_punctuation_is_answered_quickly(word):
    started = time.perf_counter()
    screen(word * 5_000)
    assert time.perf_counter() - started < 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_the_screen_never_crashes_and_its_answer_is_consistent(text):
    result = screen(text)

    assert isinstance(result.reason, str) and result.reason
    assert result.is_crisis is (result.category is not None)
    assert result.category is None or result.category in {c.value for c in Category}


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "I",
                "not",
                "never",
                "want",
                "to",
                "die",
                "kill",
                "myself",
                "my",
                "husband",
                "hits",
                "me",
                "took",
                "all",
                "pills",
                "chest",
                "pain",
                "if",
                ",",
                ".",
                "but",
                "'",
                "\n",
            ]
        ),
        max_size=40,
    )
)
def test_word_salads_of_crisis_words_never_crash(words):
    result = screen(" ".join(words))

    assert result.is_crisis is (result.category is not None)


def test_the_interface_works_without_django_settings():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "from bedside.screening.crisis import screen\n"
        'r = screen("I don\'t want to wake up tomorrow")\n'
        "assert r.is_crisis and r.category and r.reasons, r\n"
        'assert not screen("I\'d die for that cake").is_crisis\n'
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
