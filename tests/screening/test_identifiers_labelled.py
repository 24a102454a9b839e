"""The identifier guard against a labelled set of staff-post sentences, with a held-out split.

``tests/data/identifier_sentences.tsv`` holds sentences a practice's staff might publish:
patients' stories, staff welcomes, events, answers, chart notes pasted by mistake. Each row
names the identifiers in it as ``kind:text`` (several joined by ``;``), or nothing, and its
split. About half hold identifiers of every kind; the rest are hard negatives: clinicians and
staff by name, public figures, dates of events, the practice's own phone and email (passed
as ``ignore``, as the studio does). A finding is right when its kind matches a labelled
item it overlaps. Run with ``-s`` to see the report.

How the rules were tuned, and what that says about new text: 247 sentences were written
first and the rules tuned on them. Then three batches were written after the rules and each
scored once, blind, before anything was learned from it: 101 sentences (precision 0.98,
recall 0.83, names the weak kind at 0.65), 88 (1.00, 0.74; names 0.57), 84 (0.955, 0.913;
names 0.905). The first two batches were then learned from and joined the ``tune`` split;
the third is the ``heldout`` split, never tuned on. Recall on fresh text is the number to
watch: names in unfamiliar phrasings are what the guard misses, which is why a human
reviews every finding and an authorization or override is needed to publish.
"""

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bedside.screening.identifiers import Finding, Kind, find

DATA = Path(__file__).resolve().parents[1] / "data" / "identifier_sentences.tsv"
# The practice's own contact details, public on every page: the studio passes them as ignore.
PRACTICE_PUBLIC = ("(555) 234-5678", "frontdesk@riversidefamilymed.com", "9 Riverside Way")


@dataclass(frozen=True)
class Labelled:
    kind: Kind
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    text: str
    expected: tuple[Labelled, ...]
    split: str


def _parse(text: str, expected: str) -> tuple[Labelled, ...]:
    items: list[Labelled] = []
    searched_from: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in expected.split(";"))):
        kind, _, found = item.partition(":")
        start = text.index(found, searched_from.get(found, 0))
        searched_from[found] = start + len(found)
        items.append(Labelled(Kind(kind), start, start + len(found)))
    return tuple(items)


def load() -> list[Example]:
    with DATA.open(encoding="utf-8") as handle:
        rows = [
            row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")
        ]
    return [Example(text, _parse(text, expected), split) for text, expected, split in rows]


EXAMPLES = load()


def _overlaps(finding: Finding, item: Labelled) -> bool:
    return finding.kind == item.kind and finding.start < item.end and item.start < finding.end


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(examples: list[Example]) -> tuple[dict[str, Tally], list[str]]:
    tallies: dict[str, Tally] = {kind.value: Tally() for kind in Kind}
    tallies["overall"] = Tally()
    mistakes: list[str] = []
    for example in examples:
        found = find(example.text, ignore=PRACTICE_PUBLIC)
        for item in example.expected:
            hit = any(_overlaps(finding, item) for finding in found)
            for key in (item.kind.value, "overall"):
                if hit:
                    tallies[key].tp += 1
                else:
                    tallies[key].fn += 1
            if not hit:
                mistakes.append(
                    f"missed {item.kind.value} {example.text[item.start : item.end]!r}: "
                    f"{example.text}"
                )
        for finding in found:
            if not any(_overlaps(finding, item) for item in example.expected):
                tallies[finding.kind.value].fp += 1
                tallies["overall"].fp += 1
                mistakes.append(f"false {finding.kind.value} {finding.text!r}: {example.text}")
    return tallies, mistakes


def report(name: str, examples: list[Example]) -> dict[str, Tally]:
    tallies, mistakes = score(examples)
    print(f"\n{name}: {len(examples)} sentences")
    print(f"  {'kind':<16}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    for key, tally in tallies.items():
        print(
            f"  {key:<16}{tally.precision:>10.3f}{tally.recall:>8.3f}"
            f"{tally.tp:>5}{tally.fp:>5}{tally.fn:>5}"
        )
    for mistake in mistakes:
        print("  " + mistake)
    return tallies


def test_the_labelled_set_is_large_half_positive_and_covers_every_kind():
    kinds = Counter(item.kind for example in EXAMPLES for item in example.expected)
    with_identifiers = sum(1 for example in EXAMPLES if example.expected)

    assert len(EXAMPLES) >= 300
    assert 0.4 <= with_identifiers / len(EXAMPLES) <= 0.6
    assert set(kinds) == set(Kind)
    assert all(kinds[kind] >= 8 for kind in Kind), kinds
    assert len({example.text.lower() for example in EXAMPLES}) == len(EXAMPLES)
    assert Counter(example.split for example in EXAMPLES).keys() == {"tune", "heldout"}
    assert Counter(example.split for example in EXAMPLES)["heldout"] >= 80


def test_the_guard_meets_its_targets_on_the_whole_set_and_the_tuning_split():
    whole = report("whole set", EXAMPLES)
    tune = report("tune split", [e for e in EXAMPLES if e.split == "tune"])

    for tallies in (whole, tune):
        assert tallies["overall"].recall >= 0.95
        assert tallies["overall"].precision >= 0.85


def test_the_held_out_split_is_reported_and_does_not_collapse():
    # Never tuned on: its numbers are the honest estimate (see the module's docstring and
    # docs/ARCHITECTURE.md). The floor catches a regression; raising it means better rules,
    # checked on fresh sentences, not on this split.
    held_out = report("held-out split", [e for e in EXAMPLES if e.split == "heldout"])

    assert held_out["overall"].recall >= 0.8
    assert held_out["overall"].precision >= 0.75
