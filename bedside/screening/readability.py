"""How hard a text is to read, and which medical words have plainer alternatives.

``assess(text)`` takes what a writer typed (Markdown) and returns three scores from textstat
(Flesch–Kincaid grade, Flesch reading ease, SMOG), the longest sentences and the jargon found
with a plainer word for each. It never raises, whatever the text: an empty text scores zero.

The scores are computed on the text with its Markdown markup removed (link targets, emphasis
marks, heading hashes), and each heading or list item counts as a sentence of its own, so a
bulleted list does not read as one endless sentence. Jargon positions point into the text as
given, so an editor can highlight them.
"""

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources

import textstat  # type: ignore[import-untyped]

# Texts longer than this are scored on their beginning: the scores settle long before, and
# syllable counting stays fast on whatever is pasted in.
MAX_SCORED_CHARS = 60_000
LONGEST_SHOWN = 3

_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "a.m", "p.m", "approx"}
    | {"dept", "jr", "sr", "no", "fig", "inc", "ltd", "co", "mt", "ft"}
)


@dataclass(frozen=True, slots=True)
class JargonHit:
    """A glossary term found in the text: ``text[start:end] == found``."""

    term: str
    plain: str
    found: str
    start: int
    end: int

    @property
    def position(self) -> int:
        return self.start


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True, slots=True)
class Assessment:
    fk_grade: float
    reading_ease: float
    smog: float
    words: int
    sentences: int
    longest_sentences: tuple[Sentence, ...]
    jargon: tuple[JargonHit, ...]

    def meets(self, target_grade: int | float) -> bool:
        """True when the Flesch–Kincaid grade is at or under the target."""
        return self.fk_grade <= target_grade


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    term: str
    plain: str


@functools.cache
def glossary() -> dict[str, GlossaryEntry]:
    """The jargon glossary, keyed by lower-cased term (read once from ``data/jargon.tsv``)."""
    source = resources.files("bedside.screening").joinpath("data/jargon.tsv")
    entries: dict[str, GlossaryEntry] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, plain = line.split("\t", 1)
        entries[term.strip().lower()] = GlossaryEntry(term.strip(), plain.strip())
    return entries


@functools.cache
def _jargon_pattern() -> re.Pattern[str]:
    # Longest terms first, so "myocardial infarction" wins over "infarction".
    terms = sorted(glossary(), key=len, reverse=True)
    alternatives = "|".join(re.escape(term).replace(r"\ ", r"\s+") for term in terms)
    return re.compile(rf"(?<![\w-])({alternatives})(?:e?s)?(?![\w-])", re.IGNORECASE)


def find_jargon(text: str) -> tuple[JargonHit, ...]:
    """Every glossary term in ``text``, in order, with its position."""
    entries = glossary()
    hits = []
    for match in _jargon_pattern().finditer(text):
        key = re.sub(r"\s+", " ", match.group(1)).lower()
        entry = entries[key]
        hits.append(JargonHit(entry.term, entry.plain, match.group(0), match.start(), match.end()))
    return tuple(hits)


_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_BLOCK_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)")
_INLINE_MARK = re.compile(r"[*_`~]+")


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, one block (paragraph, heading, item) per sentence."""
    text = _FENCE.sub(" ", markdown.replace("\r\n", "\n").replace("\r", "\n"))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _BARE_URL.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    blocks: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        starts_block = bool(_BLOCK_MARK.match(raw))
        line = _INLINE_MARK.sub("", _BLOCK_MARK.sub("", raw)).strip()
        if starts_block or not line:
            if current:
                blocks.append(" ".join(current))
            current = []
        if line:
            current.append(line)
    if current:
        blocks.append(" ".join(current))
    # A heading or list item without final punctuation still ends its sentence.
    return "\n".join(b if b[-1] in ".!?:;" else f"{b}." for b in blocks)


_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n")


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain text; abbreviations such as "Dr." do not end one."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".") if before else ""
        if match.group(0).startswith(".") and (
            last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
        ):
            continue
        sentence = text[start : match.end()].strip()
        if any(ch.isalnum() for ch in sentence):
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if any(ch.isalnum() for ch in tail):
        sentences.append(tail)
    return sentences


def _words(sentence: str) -> int:
    return sum(1 for token in sentence.split() if any(ch.isalnum() for ch in token))


def _score(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return round(number, 1) if math.isfinite(number) else 0.0


def assess(text: str) -> Assessment:
    """Scores, longest sentences and jargon for a Markdown ``text``; never raises."""
    text = text if isinstance(text, str) else ""
    text = text.replace("\x00", "")
    plain = plain_text(text[:MAX_SCORED_CHARS])
    sentences = split_sentences(plain)
    words = sum(_words(s) for s in sentences)
    if words == 0:
        fk = ease = smog = 0.0
    else:
        scored = " ".join(sentences)
        fk = _score(_safely(textstat.flesch_kincaid_grade, scored))
        ease = _score(_safely(textstat.flesch_reading_ease, scored))
        smog = _score(_safely(textstat.smog_index, scored))
    ranked = sorted(sentences, key=_words, reverse=True)[:LONGEST_SHOWN]
    return Assessment(
        fk_grade=fk,
        reading_ease=ease,
        smog=smog,
        words=words,
        sentences=len(sentences),
        longest_sentences=tuple(Sentence(s, _words(s)) for s in ranked if _words(s) > 0),
        jargon=find_jargon(text[:MAX_SCORED_CHARS]),
    )


def _safely(score: object, text: str) -> object:
    # textstat is third-party arithmetic on odd input (a text of symbols, one huge word):
    # a failure there must not break a writer's page, so it scores zero instead.
    try:
        return score(text)  # type: ignore[operator]
    except Exception:
        return 0.0
