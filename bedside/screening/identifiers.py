"""Personal identifiers in free text: what must go before a patient's words are published.

``find(text)`` returns findings (kind, span, text) for phone numbers, email addresses,
street addresses and PO boxes, dates of birth, medical record and insurance numbers, and
Social Security numbers. Each kind is a regular expression plus a check that keeps ordinary
writing out: a date is a date of birth only next to words such as "born" or "DOB" (an event
on "May 3" is not), a number is a record or member number only after words that say so, a
street address needs a house number, a capitalised street name and a street word (so
"Dr. Patel" is not one), a phone number needs ten digits in North American shape or a "+"
country code, and an SSN must be a number the SSA could issue.

``ignore`` exempts strings meant to be public, such as the practice's own phone and email.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    DATE_OF_BIRTH = "date_of_birth"
    RECORD_NUMBER = "record_number"
    INSURANCE_NUMBER = "insurance_number"
    SSN = "ssn"


LABELS = {
    Kind.PHONE: "phone number",
    Kind.EMAIL: "email address",
    Kind.ADDRESS: "street address",
    Kind.DATE_OF_BIRTH: "date of birth",
    Kind.RECORD_NUMBER: "medical record number",
    Kind.INSURANCE_NUMBER: "insurance number",
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
    r"\b(?:SSN|SS\s?#|social\s+security(?:\s+(?:number|no\.?|#))?)\s*(?:is|:|#|number)?\s*"
    r"(\d{9})\b",
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
    r"(?:\s+(?:is|was))?\s*[:\-]?\s*"
    rf"(?P<date>{_DATE})(?![\w/])",
    re.IGNORECASE,
)

_NUMBER = r"(?P<number>(?=(?:[A-Za-z-]*\d){{4}})[A-Za-z0-9][A-Za-z0-9-]{{3,19}})"
_RECORD = re.compile(
    r"\b(?:MRN|medical\s+record(?:\s+(?:number|no\.?|#))?|record\s+(?:number|no\.?|#)|"
    r"chart\s+(?:number|no\.?|#)|patient\s+(?:ID|number|no\.?|#)|account\s+(?:number|no\.?|#))"
    r"(?:\s+(?:is|was))?\s*[:#]?\s*" + _NUMBER.format(),
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


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    return not (area in {"000", "666"} or area.startswith("9") or group == "00" or serial == "0000")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


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
        yield Finding(Kind.DATE_OF_BIRTH, match.start("date"), match.end("date"), match["date"])
    for pattern, kind in ((_RECORD, Kind.RECORD_NUMBER), (_INSURANCE, Kind.INSURANCE_NUMBER)):
        for match in pattern.finditer(text):
            number = match["number"].rstrip("-")
            yield Finding(kind, match.start("number"), match.start("number") + len(number), number)
    for match in _MBI.finditer(text):
        yield Finding(Kind.INSURANCE_NUMBER, match.start(), match.end(), match.group(0))


# When two findings overlap, the more specific kind keeps the span.
_PRIORITY = {
    Kind.SSN: 0,
    Kind.EMAIL: 1,
    Kind.DATE_OF_BIRTH: 2,
    Kind.RECORD_NUMBER: 3,
    Kind.INSURANCE_NUMBER: 3,
    Kind.PHONE: 4,
    Kind.ADDRESS: 5,
}


def _is_ignored(finding: Finding, ignore: Iterable[str]) -> bool:
    for public in ignore:
        if finding.text.strip().lower() == public.strip().lower():
            return True
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
    kept: list[Finding] = []
    for finding in ranked:
        if finding.start >= finding.end or _is_ignored(finding, public):
            continue
        if any(finding.start < other.end and other.start < finding.end for other in kept):
            continue
        kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def redact(text: str, findings: Iterable[Finding] | None = None) -> str:
    """``text`` with each finding replaced by a bracketed label, e.g. "[phone number]"."""
    result = text
    chosen = find(text) if findings is None else list(findings)
    for finding in sorted(chosen, key=lambda f: f.start, reverse=True):
        result = f"{result[: finding.start]}[{finding.label}]{result[finding.end :]}"
    return result
