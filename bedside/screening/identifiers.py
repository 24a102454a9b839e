"""Personal identifiers in free text: what must go before a patient's words are published.

``find(text)`` returns findings (kind, span, text) for patients' names, phone numbers, email
addresses, street addresses and PO boxes, dates of birth and of service, medical record and
insurance numbers, and Social Security numbers. Each kind is a pattern plus a check that
keeps ordinary writing out: a date is a date of birth only next to words such as "born" or
"DOB", and a date of service only next to words of care ("seen on", "admitted", "her
surgery on"), so an event "on May 3" is neither; a number is a record or member number only
after words that say so; a street address needs a house number, a capitalised street name
and a street word (so "Dr. Patel" is not one); a phone number needs ten digits in North
American shape or a "+" country code, and toll-free lines are public; an SSN must be a
number the SSA could issue. Names are found by ``bedside.screening.names``: only in a
patient's context, never a clinician's, a staff member's or a public figure's.

Presidio's pattern recognizers add their candidates for SSNs, phone numbers (through
``phonenumbers``), Medicare and member numbers and dates. They are built directly and run
without an NLP model; the package (which imports spaCy, about 2.5 s) loads on the first
call of ``find`` (or ``warm()``), not at import, so Django and tests that never screen text
do not pay it.
Presidio's email and URL recognizers are never used: they would fetch the Public Suffix List.

``ignore`` exempts strings meant to be public, such as the practice's own phone and email.
"""

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from bedside.screening.names import find_names

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer


class Kind(StrEnum):
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    DOB = "dob"
    DATE_OF_SERVICE = "date_of_service"
    MRN = "mrn"
    INSURANCE_ID = "insurance_id"
    SSN = "ssn"


LABELS = {
    Kind.NAME: "patient's name",
    Kind.PHONE: "phone number",
    Kind.EMAIL: "email address",
    Kind.ADDRESS: "street address",
    Kind.DOB: "date of birth",
    Kind.DATE_OF_SERVICE: "date of care",
    Kind.MRN: "medical record number",
    Kind.INSURANCE_ID: "insurance number",
    Kind.SSN: "Social Security number",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """An identifier at ``text[start:end]``."""

    kind: Kind
    start: int
    end: int
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def label(self) -> str:
        return LABELS[self.kind]


_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-])"
)

# North American numbers: optional +1, area code and exchange not starting with 0 or 1.
_PHONE_NANP = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}(?![\w-])"
)
_PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])\+[1-9]\d{0,2}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w-])")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}\b", re.IGNORECASE)

# SSNs with separators anywhere; nine bare digits only after words that name them.
_SSN = re.compile(r"(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])")
_SSN_CONTEXT = re.compile(
    r"\b(?:SSN|SS\s?#|social\s+security(?:\s+(?:number|no\.?|#))?)"
    r"(?:\s*(?:is|was|as|of|:|#|number))?\s*(\d{9})\b",
    re.IGNORECASE,
)

_STREET_WORDS = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Row|Crescent|Close|"
    "Alley|Plaza|Pike|Loop"
)
_STREET_ABBR = frozenset(
    {"st", "ave", "rd", "blvd", "ln", "dr", "ct", "pl", "ter", "cir", "pkwy", "hwy", "sq", "trl"}
)
_TITLE_AFTER_DR = re.compile(r"(?<=\bDr)\.?\s+[A-Z][a-z]")
_ADDRESS = re.compile(
    r"(?<![\w-])\d{1,6}[A-Za-z]?\s+"
    r"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
    r"(?:(?:[A-Z][A-Za-z'-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,4}"
    rf"(?:{_STREET_WORDS}|{_STREET_WORDS.lower()}|{_STREET_WORDS.upper()})\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6}\b)?"
)
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s*Box\s+\d{1,7}\b", re.IGNORECASE)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?)"
)
_AFTER_MONTH = re.compile(rf"\b{_MONTHS}\s+$", re.IGNORECASE)
_DATE_OF_BIRTH = re.compile(
    r"\b(?:D\.?O\.?B\.?|date\s+of\s+birth|birth\s?date|birthday|born(?:\s+on)?|b\.)"
    r"(?:\s+(?:is|was))?\s*[:\-(]?\s*"
    rf"(?P<date>{_DATE})(?![\w/])",
    re.IGNORECASE,
)

_NUMBER = r"(?P<number>(?=(?:[A-Za-z-]*\d){{4}})[A-Za-z0-9][A-Za-z0-9-]{{3,19}})"
_RECORD = re.compile(
    r"\b(?:MRN|medical\s+record(?:\s+(?:number|no\.?|#))?|record\s+(?:number|no\.?|#)|"
    r"chart\s+(?:number|no\.?|#)|patient\s+(?:ID|number|no\.?|#)|account\s+(?:number|no\.?|#))"
    r"(?:\s+(?:is|was))?\s*[:#,]?\s*" + _NUMBER.format(),
    re.IGNORECASE,
)
_INSURANCE = re.compile(
    r"\b(?:member\s+(?:ID|number|no\.?|#)|policy\s+(?:number|no\.?|#)|group\s+(?:number|no\.?|#)|"
    r"subscriber\s+(?:ID|number|no\.?|#)|insurance\s+(?:ID|card|number|no\.?|#)|"
    r"(?:Medicare|Medicaid)\s+(?:ID|card|number|no\.?|#))"
    r"(?:\s+(?:is|was))?\s*[:#]?\s*" + _NUMBER.format(),
    re.IGNORECASE,
)
# A Medicare Beneficiary Identifier has a shape distinctive enough to need no context.
_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
_MBI = re.compile(
    rf"(?<![\w-])[1-9]{_MBI_LETTER}[{_MBI_LETTER[1:-1]}0-9]\d{_MBI_LETTER}[{_MBI_LETTER[1:-1]}0-9]"
    rf"\d{_MBI_LETTER}{{2}}\d{{2}}(?![\w-])"
)


# A date of service: a date told with the care given on it. Events ("our flu clinic on
# May 3", "closed on July 4") carry none of these words, so they stay out.
_SERVICE_BEFORE = re.compile(
    r"\b(?:seen|admitted|discharged|treated|visited|operated|hospitali[sz]ed|delivered|"
    r"diagnosed|examined|transferred|released|presented|came\s+in|brought\s+in|checked\s+in|"
    r"(?:saw|met|treated|examined)\s+(?:him|her|them)|"
    r"date\s+of\s+service|DOS|date\s+of\s+(?:visit|admission|discharge|surgery)|"
    r"(?:his|her|their|the\s+patient'?s?)\s+(?:\w+\s+)?(?:surgery|procedure|operation|visit|"
    r"appointment|admission|scan|MRI|biopsy|infusion|delivery|transplant|check-?up|"
    r"\w+(?:scopy|ectomy|ostomy|otomy|plasty|gram|graphy)|x-ray|ultrasound|CT|stent|"
    r"cesarean|C-section|vaccine|shot|test|screening|exam)|"
    r"(?:visit|admission|discharge|procedure|surgery|encounter)\s+(?:was\s+)?(?:on|of|dated)|"
    r"(?:visited|went\s+to|came\s+to|arrived\s+at)\s+(?:the\s+|our\s+)?"
    r"(?:ER|ED|emergency\s+room|clinic|office|urgent\s+care|hospital))"
    r"(?:[^.!?\n\d]{0,30}?)\s*(?:on|of|dated|:)?\s*$",
    re.IGNORECASE,
)
_SERVICE_AFTER = re.compile(
    r"^[,\s]*(?:,\s*)?(?:when\s+(?:he|she|they)\s+(?:came\s+in|was\s+(?:seen|admitted))|"
    r"(?:he|she|they)\s+(?:was|were)\s+(?:seen|admitted|discharged|treated|diagnosed)|"
    r"(?:he|she|they)\s+(?:came\s+in|arrived|presented|delivered|visited)|"
    r"(?:he|she|they)\s+had\s+(?:his|her|their)\s+(?:surgery|procedure|operation))",
    re.IGNORECASE,
)
# Chart notes write a date of care without its year: "Visit on 12/3".
_SHORT_DATE = r"(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])"
_SERVICE_DATE = re.compile(
    rf"(?<![\w/])(?P<date>{_DATE}|{_SHORT_DATE})(?![\w/]|\.\d)", re.IGNORECASE
)
_EVENT_BEFORE = re.compile(
    r"\b(?:scheduled|will|reopens?|opens?|closed|closes|starts?|begins?|join|register|"
    r"sign\s+up|until|through|before|after|by)\s+(?:on\s+)?(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    return not (area in {"000", "666"} or area.startswith("9") or group == "00" or serial == "0000")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def _is_public_line(number: str) -> bool:
    """Toll-free lines belong to organisations (hotlines, insurers), never to a patient."""
    digits = _digits(number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return len(digits) == 10 and digits[:3] in _TOLL_FREE


@cache
def _recognizers() -> tuple[tuple[Kind, "EntityRecognizer"], ...]:
    """Presidio's pattern recognizers, built once: no NLP engine, no model, no network."""
    from presidio_analyzer.predefined_recognizers import (
        DateRecognizer,
        PhoneRecognizer,
        UsHealthInsuranceMemberIdRecognizer,
        UsMbiRecognizer,
        UsSsnRecognizer,
    )

    return (
        (Kind.SSN, UsSsnRecognizer()),
        # Strict grouping: "3 2026 3 2026" has ten digits but is no phone number.
        (Kind.PHONE, PhoneRecognizer(supported_regions=("US", "GB"), leniency=2)),
        (Kind.INSURANCE_ID, UsMbiRecognizer()),
        (Kind.INSURANCE_ID, UsHealthInsuranceMemberIdRecognizer()),
        (Kind.DATE_OF_SERVICE, DateRecognizer()),
    )


_SSN_WORDS = re.compile(r"\b(?:SSN|SS\s?#|social\s+security)\b[^.!?\n]{0,30}$", re.IGNORECASE)
_MEMBER_WORDS = re.compile(
    r"\b(?:member|subscriber|insurance|policy|Medicaid|Medicare|plan|group|card|MBI)\b"
    r"[^.!?\n]{0,25}$",
    re.IGNORECASE,
)


# Runs of ten or more digits that could be a phone number. ``phonenumbers`` reads only
# these: its matcher, run over a whole text full of digits, takes seconds.
# A text with more runs than this is a table, not prose: our own patterns still read all of it.
_MOST_PHONE_RUNS = 200
_PHONE_RUN = re.compile(r"\+?\(?\d(?:[\s().-]{0,3}\d){9,14}\)?")


def _windows(text: str, kind: Kind) -> Iterator[tuple[int, str]]:
    if kind is not Kind.PHONE:
        yield 0, text
        return
    for match in itertools.islice(_PHONE_RUN.finditer(text), _MOST_PHONE_RUNS):
        yield match.start(), match.group(0)


def _presidio_candidates(text: str) -> Iterator[Finding]:
    for kind, recognizer in _recognizers():
        for offset, window in _windows(text, kind):
            # No NLP artifacts: presidio's pattern recognizers take None and need no model.
            results = recognizer.analyze(
                window,
                recognizer.supported_entities,
                None,  # type: ignore[arg-type]
            )
            for result in results:
                start, end = offset + result.start, offset + result.end
                if _accepted(text, kind, start, end, result.score, result.entity_type):
                    yield Finding(kind, start, end, text[start:end])


def _accepted(text: str, kind: Kind, start: int, end: int, score: float, entity: str) -> bool:
    """Whether a presidio result holds up by our rules (its own context boost needs NLP)."""
    found = text[start:end]
    before = text[max(0, start - 40) : start]
    if kind is Kind.SSN:
        # Presidio scores bare digit runs "very weak": they count only after words saying so.
        digits = _digits(found)
        if len(digits) != 9 or not _valid_ssn(digits[:3], digits[3:5], digits[5:]):
            return False  # a 9xx area is an ITIN, not an SSN
        return score >= 0.5 or _SSN_WORDS.search(before) is not None
    if kind is Kind.INSURANCE_ID:
        return entity == "US_MBI" or _MEMBER_WORDS.search(before) is not None
    if kind is Kind.PHONE:
        return len(_digits(found)) >= 10 and not _is_public_line(found)
    return _is_service_date(text, start, end)


def _is_service_date(text: str, start: int, end: int) -> bool:
    line_start = max(text.rfind(stop, 0, start) for stop in (". ", "! ", "? ", "\n")) + 1
    before = text[max(line_start, start - 80) : start]
    after = text[end : end + 60]
    if _EVENT_BEFORE.search(before):
        return False
    return bool(_SERVICE_BEFORE.search(before) or _SERVICE_AFTER.match(after))


def _candidates(text: str) -> Iterable[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding(Kind.EMAIL, match.start(), match.end(), match.group(0))
    for match in _SSN.finditer(text):
        if _valid_ssn(match.group(1), match.group(3), match.group(4)):
            yield Finding(Kind.SSN, match.start(), match.end(), match.group(0))
    for match in _SSN_CONTEXT.finditer(text):
        number = match.group(1)
        if _valid_ssn(number[:3], number[3:5], number[5:]):
            yield Finding(Kind.SSN, match.start(1), match.end(1), number)
    for pattern in (_PHONE_NANP, _PHONE_INTERNATIONAL):
        for match in pattern.finditer(text):
            digits = _digits(match.group(0))
            if pattern is _PHONE_INTERNATIONAL and not 8 <= len(digits) <= 15:
                continue
            if _is_public_line(match.group(0)):
                continue
            end = match.end()
            extension = _EXTENSION.match(text, end)
            if extension:
                end = extension.end()
            yield Finding(Kind.PHONE, match.start(), end, text[match.start() : end])
    for pattern in (_ADDRESS, _PO_BOX):
        for match in pattern.finditer(text):
            if pattern is _ADDRESS and _AFTER_MONTH.search(
                text[max(0, match.start() - 16) : match.start()]
            ):
                continue  # "our May 3 Food Drive" is a date, not a house number
            found = match.group(0)
            if _TITLE_AFTER_DR.match(text, match.end() - found.endswith(".")):
                continue  # "12 Patel Dr. Smith": "Dr." starts a name here
            if found.endswith(".") and found[:-1].rsplit(None, 1)[-1].lower() not in _STREET_ABBR:
                found = found[:-1]  # the full stop ends the sentence, not "Ave."
            yield Finding(Kind.ADDRESS, match.start(), match.start() + len(found), found)
    for match in _DATE_OF_BIRTH.finditer(text):
        yield Finding(Kind.DOB, match.start("date"), match.end("date"), match["date"])
    for match in _SERVICE_DATE.finditer(text):
        if _is_service_date(text, match.start(), match.end()):
            yield Finding(Kind.DATE_OF_SERVICE, match.start(), match.end(), match["date"])
    for pattern, kind in ((_RECORD, Kind.MRN), (_INSURANCE, Kind.INSURANCE_ID)):
        for match in pattern.finditer(text):
            number = match["number"].rstrip("-")
            yield Finding(kind, match.start("number"), match.start("number") + len(number), number)
    for match in _MBI.finditer(text):
        yield Finding(Kind.INSURANCE_ID, match.start(), match.end(), match.group(0))
    for span in find_names(text):
        yield Finding(Kind.NAME, span.start, span.end, text[span.start : span.end])
    yield from _presidio_candidates(text)


# When two findings overlap, the more specific kind keeps the span.
_PRIORITY = {
    Kind.SSN: 0,
    Kind.EMAIL: 1,
    Kind.DOB: 2,
    Kind.MRN: 3,
    Kind.INSURANCE_ID: 3,
    Kind.PHONE: 4,
    Kind.DATE_OF_SERVICE: 5,
    Kind.ADDRESS: 6,
    Kind.NAME: 7,
}


def _is_ignored(finding: Finding, ignore: Iterable[str]) -> bool:
    for public in ignore:
        if finding.text.strip().lower() == public.strip().lower():
            return True
        if finding.kind is Kind.ADDRESS and finding.text.lower().startswith(public.lower()):
            return True  # the practice's address with its suite number
        digits = _digits(public)
        if finding.kind is Kind.PHONE and len(digits) >= 7:
            found = _digits(finding.text)
            if found == digits or found.lstrip("1") == digits.lstrip("1"):
                return True
    return False


def find(text: str, *, ignore: Iterable[str] = ()) -> list[Finding]:
    """Identifiers in ``text``, in order and never overlapping; never raises on a string."""
    if not isinstance(text, str) or not text:
        return []
    public = [value for value in ignore if value and value.strip()]
    ranked = sorted(
        _candidates(text), key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start)
    )
    kept: list[Finding] = []  # never overlapping, so ordered by start and by end alike
    starts: list[int] = []
    for finding in ranked:
        if finding.start >= finding.end or _is_ignored(finding, public):
            continue
        at = bisect.bisect_right(starts, finding.start)
        if at and kept[at - 1].end > finding.start:
            continue
        if at < len(kept) and kept[at].start < finding.end:
            continue
        kept.insert(at, finding)
        starts.insert(at, finding.start)
    return kept


def redact(text: str, findings: Iterable[Finding] | None = None) -> str:
    """``text`` with each finding replaced by a bracketed label, e.g. "[phone number]"."""
    result = text
    chosen = find(text) if findings is None else list(findings)
    for finding in sorted(chosen, key=lambda f: f.start, reverse=True):
        result = f"{result[: finding.start]}[{finding.label}]{result[finding.end :]}"
    return result


def warm() -> None:
    """Load presidio now, not on the first ``find``: a server can call this at start-up so
    that no writer waits the seconds the import takes (2.5 s on an idle machine)."""
    _recognizers()


def highlight(text: str, findings: Iterable[Finding]) -> list[tuple[str, Finding | None]]:
    """``text`` cut into segments, each paired with its finding or None, for ``<mark>``.

    Findings that overlap one kept earlier, or that do not point into ``text``, are skipped,
    so the segments always join back into ``text``.
    """
    segments: list[tuple[str, Finding | None]] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < position or finding.end > len(text) or finding.start >= finding.end:
            continue
        if finding.start > position:
            segments.append((text[position : finding.start], None))
        segments.append((text[finding.start : finding.end], finding))
        position = finding.end
    if position < len(text):
        segments.append((text[position:], None))
    return segments
