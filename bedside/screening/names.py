"""Patients' names in what a practice writes: a name only counts in a patient's context.

A practice's posts are full of names that are fine to publish: its own clinicians and staff
("Dr. Patel joins our team", "Nurse Kim Nguyen", "our office manager, Linda"), public
figures ("Serena Williams", "President Lincoln") and names of places ("Lincoln High
School"). A name is a patient's when the sentence around it tells a patient's story: "our
patient Maria Lopez", "Mrs. Alvarez, who came in for her knee", "Maria (pictured) after her
surgery", "thanks to John D. for sharing his story".

Candidates are a courtesy title and a surname ("Mrs. Alvarez"), a known given name with an
optional surname or initial ("John D.", "Maria Lopez"; the given names are a bundled list,
``data/first_names.txt``), or any capitalised name right after "patient". A candidate is
dropped when a staff title, role or credential is attached to it, when it is a public figure
(``data/public_figures.txt``) or part of an institution's name, and otherwise kept only when
its sentence speaks of care: a visit, a diagnosis, an operation, a recovery, a patient.
Everything here is regular expressions and word lists, so it runs anywhere in microseconds.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex  # type: ignore[import-untyped]

DATA = Path(__file__).resolve().parent / "data"


def _words(filename: str) -> frozenset[str]:
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def first_names() -> frozenset[str]:
    return _words("first_names.txt")


@cache
def public_figures() -> frozenset[str]:
    return frozenset(name.lower() for name in _words("public_figures.txt"))


# Given names that are also everyday words: they count only with a surname or a patient cue
# fastened to them ("Will (pictured)", "Hope, a patient of ours"), never alone ("Will we...").
AMBIGUOUS = frozenset(
    [
        "April",
        "August",
        "May",
        "June",
        "July",
        "March",
        "Summer",
        "Autumn",
        "Winter",
        "Spring",
        "Dawn",
        "Grace",
        "Hope",
        "Faith",
        "Joy",
        "Will",
        "Mark",
        "Bill",
        "Art",
        "Rose",
        "Sunny",
        "Page",
        "Chase",
        "Hunter",
        "King",
        "Major",
        "Royal",
        "Christian",
        "Victory",
        "Justice",
        "Patience",
        "Charity",
        "Honor",
        "Trinity",
        "Star",
        "Sky",
        "River",
        "Ocean",
        "Forest",
        "Stone",
        "Brook",
        "Lane",
        "Wood",
        "Guy",
        "Job",
        "Lot",
        "Young",
        "Else",
        "Ever",
        "Floor",
        "Happy",
        "Merry",
        "Holly",
        "Ivy",
        "Iris",
        "Lily",
        "Daisy",
        "Violet",
        "Amber",
        "Ruby",
        "Pearl",
        "Crystal",
        "Jade",
        "Dean",
        "Frank",
        "Gene",
        "Glen",
        "Grant",
        "Miles",
        "Nick",
        "Pat",
        "Ray",
        "Rich",
        "Rob",
        "Sue",
        "Ted",
        "Tom",
        "Van",
        "Don",
        "Penny",
        "Carol",
        "Robin",
        "Jack",
        "Bob",
        "Sage",
        "Rowan",
        "Reed",
        "Reese",
        "Destiny",
        "Heaven",
        "Jay",
        "Kit",
        "Mercy",
        "Norma",
        "Sterling",
        "Worth",
        "Wade",
        "Drew",
        "Cliff",
        "Clay",
        "Dale",
        "Earl",
        "Harley",
        "Hollis",
        "Lincoln",
        "Jordan",
        "Madison",
        "Austin",
        "Houston",
        "Dallas",
        "Chelsea",
        "Paris",
        "Sydney",
        "Brooklyn",
        "Florence",
        "Georgia",
        "Virginia",
        "Carolina",
        "India",
        "Asia",
        "Kenya",
        "Canada",
        "Mercedes",
        "Porsche",
        "Tesla",
        "Bentley",
        "Aurora",
        "Angel",
        "Hero",
        "Saint",
        "Sonny",
        "Meadow",
        "Willow",
        "Harmony",
        "Melody",
        "Bliss",
        "Liberty",
        "Memory",
        "Nova",
        "Unique",
        "Easter",
        "Noel",
        "Monday",
        "Friday",
        "Sunday",
        "Don",
        "Mary",
        "Med",
        "Rx",
        "Care",
        "Health",
        "Family",
        "Patient",
        "Doctor",
        "Nurse",
        "Thanks",
        "Thank",
        "Welcome",
        "Meet",
        "Our",
        "Your",
        "Please",
        "Happy",
        "Congratulations",
        "Ask",
        "Call",
        "Join",
        "Visit",
        "Take",
        "Read",
        "Like",
    ]
)
# Words that look like names but start sentences and headings.
_TITLE_WORDS = [
    "Mayor",
    "President",
    "Senator",
    "Governor",
    "Judge",
    "Coach",
    "Pastor",
    "Father",
    "Sister",
    "Brother",
    "Captain",
    "Officer",
    "Professor",
    "Prof",
    "Rev",
    "Reverend",
    "Saint",
    "Lady",
    "Sir",
    "Dame",
    "Lord",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Dean",
    "Chief",
    "Principal",
    "Uncle",
    "Aunt",
    "Rabbi",
    "Imam",
    "Sergeant",
    "General",
    "Commissioner",
    "Councilmember",
    "Chef",
]
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "Our",
        "Your",
        "Their",
        "His",
        "Her",
        "My",
        "We",
        "You",
        "They",
        "He",
        "She",
        "It",
        "This",
        "That",
        "These",
        "Those",
        "Thanks",
        "Thank",
        "Welcome",
        "Meet",
        "Please",
        "Congratulations",
        "Happy",
        "Join",
        "Ask",
        "Call",
        "Visit",
        "Take",
        "Read",
        "Like",
        "When",
        "After",
        "Before",
        "During",
        "Since",
        "Until",
        "With",
        "Without",
        "For",
        "From",
        "About",
        "Patient",
        "Patients",
        "Staff",
        "Spotlight",
        "Nurse",
        "Doctor",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Twins",
        "Little",
        "Big",
        "Baby",
        "Our",
        # Titles: the name after one is read from its own first word, title before it.
        *_TITLE_WORDS,
    ]
)
_INSTITUTION = frozenset(
    [
        "Hospital",
        "Clinic",
        "Center",
        "Centre",
        "Medical",
        "Health",
        "Healthcare",
        "University",
        "College",
        "School",
        "High",
        "Elementary",
        "Academy",
        "Institute",
        "Foundation",
        "Church",
        "Park",
        "Street",
        "Avenue",
        "Road",
        "Boulevard",
        "Lane",
        "Drive",
        "Way",
        "County",
        "City",
        "Day",
        "Hall",
        "Library",
        "Museum",
        "Memorial",
        "Pharmacy",
        "Club",
        "Society",
        "Association",
        "Fund",
        "Award",
        "Prize",
        "Syndrome",
        "Disease",
        "Act",
        "Program",
        "Scale",
        "Method",
        "Test",
        "Foods",
        "Market",
        "Bank",
        "Company",
        "Inc",
        "Group",
        "Team",
        "House",
        "Home",
        "Center",
        "Centers",
        "Services",
        "Plan",
        "Network",
        "System",
        "Care",
    ]
)

_CAP = r"\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+|['’]\p{Lu}\p{Ll}+)*"
_SURNAME = rf"(?:(?:de|del|de la|van|von|da|di|le|la|bin|al)\s+)?(?:Mc|Mac|O['’])?{_CAP}"
_INITIAL = r"\p{Lu}\.(?!\p{L})"
_INITIAL_WORD = regex.compile(_INITIAL)
_TITLED = regex.compile(rf"\b(?P<title>Mr|Mrs|Ms|Miss|Mx)\.?\s+(?P<name>(?:{_CAP}\s+)?{_SURNAME})")
_WORD = regex.compile(
    rf"(?<![\p{{L}}\d@.'’-])(?P<first>{_CAP})"
    rf"(?P<rest>(?:\s+(?:{_INITIAL}|{_SURNAME}(?![\p{{L}}\d-]))){{0,2}})"
)

_STAFF_TITLE = regex.compile(
    r"(?:\b(?:Dr|Drs|Doctor|Doc|Nurse|Prof|Professor|Pastor|Rev|Reverend|Father|Sister|Brother|"
    r"Rabbi|Imam|Coach|Officer|Judge|Senator|Sen|Rep|Representative|President|Governor|Gov|Mayor|"
    r"Saint|St|Sir|Dame|Lady|Lord|King|Queen|Prince|Princess|Captain|Capt|General|Gen|"
    r"Sergeant|Sgt|Chief|Dean|Principal|Councilmember|Councilwoman|Councilman|Commissioner|"
    r"Secretary|Justice|Chef|Midwife|NP|PA|APRN|RN|LPN|CNA|MA|DJ|Uncle|Aunt|Aunty)\.?\s+)$"
)
_ROLE = (
    r"(?:nurse|doctor|physician|surgeon|pediatrician|paediatrician|cardiologist|dermatologist|"
    r"oncologist|radiologist|neurologist|psychiatrist|psychologist|therapist|counselor|counsellor|"
    r"pharmacist|dentist|hygienist|optometrist|audiologist|dietitian|nutritionist|midwife|doula|"
    r"practitioner|assistant|receptionist|scheduler|coordinator|manager|director|administrator|"
    r"supervisor|lead|technician|tech|technologist|phlebotomist|scribe|navigator|educator|"
    r"instructor|teacher|coach|chaplain|volunteer|intern|resident|fellow|student|colleague|"
    r"partner|founder|owner|staff|employee|specialist|clinician|provider|biller|analyst|"
    r"officer|chief|president|CEO|COO|CFO|CMO|chair|trustee|ambassador|spokesperson|MA|RN|NP|PA)"
)
# Who a famous or outside person is, said before the name: "Olympic swimmer Michael Phelps".
_PUBLIC_ROLE = (
    r"(?:author|writer|speaker|host|guest|singer|actor|actress|athlete|player|swimmer|runner|"
    r"champion|star|senator|governor|mayor|historian|sponsor|donor|hero|comedian|rapper|"
    r"musician|artist|journalist|anchor|scientist|physicist|inventor|pioneer|legend|icon)"
)
# A role right before the name: "receptionist Devon Park", "our office manager, Linda".
_ROLE_BEFORE = regex.compile(
    rf"\b(?:{_ROLE}|{_PUBLIC_ROLE})s?\s*,?\s*(?:and\s+)?$", regex.IGNORECASE
)
_CREDENTIAL_AFTER = regex.compile(
    r"^\s*,?\s*\(?(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|MSN|LPN|LVN|NP|FNP|FNP-C|APRN|CNM|CRNA|PA|PA-C|"
    r"DDS|DMD|DPT|PT|OT|OTR|SLP|CCC-SLP|LCSW|LMFT|LPC|PsyD|PhD|PharmD|RD|RDN|CDE|CDCES|CNA|CMA|"
    r"MA|RRT|IBCLC|MPH|MBA|FACP|FAAFP|DNP|Jr\. Day)\b"
)
# An apposition naming a role: "Miguel Torres, our lab supervisor", "Linda, who leads".
_ROLE_AFTER = regex.compile(
    rf"^\s*,\s*(?:(?:our|a|the|an|one\s+of\s+(?:our|the)|who\s+is\s+our|who\s+leads|"
    rf"who\s+runs|who\s+joins)\s+)"
    rf"(?:[\p{{L}}-]+\s+){{0,3}}?{_ROLE}s?\b",
    regex.IGNORECASE,
)
# A name doing the practice's work: "Tomás sees patients", "Hannah offers counselling".
_CARER_AFTER = regex.compile(
    r"^\s+(?:\w+\s+)?(?:sees|treats|examines|cares\s+for|looks\s+after|works\s+(?:with|alongside)|"
    r"offers|(?:leads|runs|teaches|coordinates|manages|supervises)\s+our|answers|explains|"
    r"keeps\s+the\s+(?:practice|office|clinic)|helps\s+(?:our\s+)?patients|specializes|"
    r"specialises)\b",
    regex.IGNORECASE,
)
# Sentences about the practice's people, its events and the wider world, not a patient.
_STAFF_CONTEXT = regex.compile(
    r"\b(?:joins?|joined|joining\s+(?:our|the)\s+(?:team|staff|practice)|"
    r"welcom(?:e[sd]?|ing)(?!\s+(?:home|back))|aboard|our\s+(?:new|staff)|meet\s+(?:our|the)|"
    r"(?:front\s+desk|billing|nursing|office)\s+team|our\s+team\s+(?:of|congratulates)|"
    r"retires?|retiring|retirement|years\s+of\s+service|employee\s+of|board[-\s]certifi|"
    r"certification|promoted|hired|leads?|led|teach(?:es)?|taught|answers|explains|"
    r"from\s+our|concert|album|movie|book|novel|wrote|writes|author|spoke|speaks|spoken|"
    r"interview|signed|founded|president|historian|olympic|championship|celebrity|famous|"
    r"awareness|sponsor|benefit|described|discovered|invented|named\s+(?:after|for))\b",
    regex.IGNORECASE,
)
# Conditions, care and the body, by word or by the endings medicine names things with.
_MEDICAL = (
    r"(?:\w+(?:itis|oma|omas|ectomy|ostomy|otomy|plasty|scopy|emia|pathy|algia|osis)|"
    r"surgery|operation|procedure|treatment|chemo\w*|radiation|transplant|recovery|rehab|"
    r"diagnosis|visit|appointment|stitches|cast|knee|hip|heart|lungs?|kidneys?|liver|"
    r"asthma|diabetes|insulin|inhaler|mammogram|colonoscopy|hearing\s+aids?|booster|shots?|"
    r"scan|stroke|cancer|tumou?r|check-?up|blood\s+pressure|A1C|weight|pregnancy|baby|"
    r"twins|labou?r|delivery|home\s+visit|ACL|COPD|migraines?|bypass|therapy|healing|"
    r"pacemaker|CPAP|prosthe\w+|amputation|seizures?|gout|depression|anxiety|postpartum|"
    r"polyps?|disease|disorder|syndrome|condition|infection|fracture|injury|wound|"
    r"medication|medicine|prescription|NICU|ICU|ER|cardiac|unit|ward|hospital\s+stay|"
    r"sickle\s+cell|HIV|COVID|flu|pneumonia|sepsis|dialysis|crutches|wheelchair|walker|"
    r"care\s+team|physical\s+therapy|illness|symptoms?|pain|fever|cough|rash|allerg\w*|"
    r"accident|fall|injur\w+|jaundice|lupus|ulcer|bleeding|infusion|reconstruction|breast|"
    r"surgeons?|vaccines?|screening|prenatal|labs?|results?|test|biopsy|MRI|X-ray|stent|"
    r"ambulance|rushed|emergency|paramedics|nurses|doctors|clinic|hospital|discharge|"
    r"admission|ward|bed|sick|ill|well|healthy|health|heal\w*|recover\w*|cure\w*|survivor|"
    r"remission|relapse|patients?)"
)
_STAFF_NEARBY = regex.compile(
    rf"{_STAFF_CONTEXT.pattern}|\b(?:staff|colleagues?|coworkers?|co-workers?)\b|"
    rf"\bour\s+(?:[\w-]+\s+){{0,2}}?{_ROLE}s?\b",
    regex.IGNORECASE,
)
# What the sentence says about care: a patient, a visit, a diagnosis, a body, a recovery.
_PATIENT_STRONG = regex.compile(
    r"\b(?:(?:patient|success|recovery)\s+(?:story|stories|spotlight)|our\s+(?:\w+\s+)?patients?|(?:a|one)\s+(?:\w+\s+)?patients?\s+of\s+ours|"
    r"longtime\s+patient|patient\s+spotlight|pictured|sharing\s+(?:his|her|their)|"
    r"(?:share|tell|told|shared)\s+(?:his|her|their)\s+(?:\w+\s+)?(?:story|journey|experience)|"
    r"story\s+so|'s\s+(?:story|journey)|came\s+(?:in|to\s+(?:us|our|see))|was\s+(?:seen|admitted|"
    r"discharged|diagnosed|treated|brought|born\s+here|delivered)|admitted|discharged|"
    r"diagnos\w*|underwent|recover\w*|rang\s+the\s+bell|cancer[-\s]free|first\s+met|"
    rf"(?:his|her|their)\s+(?:[\w-]+\s+){{0,2}}{_MEDICAL}|living\s+(?:well\s+)?with|"
    r"(?:we|I)\s+(?:first\s+)?(?:saw|met|treated)\s+(?:him|her|them)|"
    r"bypass|transplant|chemo\w*|rehab|surgery|ICU|ER|ambulance|stitches|"
    r"weeks\s+early|our\s+\d+(?:st|nd|rd|th)\s+baby|baby\s+delivered|"
    r"(?:lost|gained)\s+\d+\s+pounds|(?:quit|stopped)\s+smoking|heart\s+patients?|"
    r"meals\s+on\s+wheels|home\s+visit|flowers\s+were\s+delivered|caregiver)\b",
    regex.IGNORECASE,
)
_PATIENT_WEAK = regex.compile(
    rf"\b(?:{_MEDICAL}|asthma|diabetes|insulin|cancer|COPD|stroke|migraines?|pneumonia|fever|rash|cough|"
    r"fracture|broken|torn|tore|sprain\w*|hip|knee|heart|lungs?|kidney|mammogram|colonoscopy|"
    r"hearing\s+aids?|inhaler|booster|vaccine|shot|check-?up|physical\s+therapy|therapy|"
    r"treatment|medication|prescription|hospital|clinic|appointment|visit|doctor|nurse|"
    r"healthy|health|pain|recovery|recovered|healed|wheelchair|walker|cane|crutches|cast|"
    r"pregnan\w*|baby|born|swallowed|battery|swollen|sore|infection|seizure|allerg\w*|"
    r"chest|blood|sugar|weight|pounds|smoking|thank\s+you|thanks|thanked|thankful|grateful)\b",
    regex.IGNORECASE,
)
_AGE_AFTER = regex.compile(
    r"^\s*(?:,\s*(?:age\s+)?\d{1,3}\s*,|\(\s*\d{1,3}\s*\)|,\s*age\s+\d{1,3})"
)
_FASTENED_CUE = regex.compile(
    r"^(?:\s*\((?:pictured|left|right|center|centre|middle|above|below|top|bottom)\b|\s*,\s*(?:a|our|one\s+of\s+our)\s+(?:\w+\s+){0,3}?patients?\b|"
    r"\s*,\s*who\s+(?:came|was|had|has|spent|delivered|lives|is\s+living|underwent|"
    r"recovered|survived|battled|fought|beat|finished|needed|needs|struggled)|"
    r"(?:\s+and\s+\p{Lu}\p{Ll}+)?['’]s\s+(?:story|journey|recovery|surgery|mom|dad|family|"
    r"wife|husband|son|daughter|mother|father|parents|grandma|grandpa|grandmother|"
    r"grandfather|kids|children|baby|twins|caregiver|asthma|diabetes|kidney|heart|hip|knee|"
    r"procedure|transplant|hearing|colonoscopy|mammogram|surgeon|care|treatment|"
    r"diagnosis|cancer))",
    regex.IGNORECASE,
)
_PATIENT_BEFORE = regex.compile(
    r"(?:\b(?:patients?|(?:patient|success|recovery)\s+(?:story|spotlight|stories)\s*:|"
    r"pictured:|little|twins|baby|son|daughter)\s*,?\s*"
    r"(?:\p{Lu}\p{Ll}+\s+and\s+)?)$",
    regex.IGNORECASE,
)
_SENTENCE_END = regex.compile(
    r"(?<!\b(?:Mr|Mrs|Ms|Mx|Dr|Drs|St|Jr|Sr|Prof|Rev|Gen|Capt|Sgt|Gov|Sen|Rep|No|vs|etc|"
    r"Ave|Blvd|Rd|Apt|Ste|Dept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|\p{Lu}))"
    r"[.!?]+[\"'”’)]*(?=\s+|$)|\n\s*\n|\n(?=\s*[-*•])"
)


_COURTESY = regex.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+")
_NEXT_WORD = regex.compile(rf"\s+({_CAP})")
_HOLIDAY_AFTER = regex.compile(r"\s+(?:Jr|Sr)\.?\s+Day\b|['’]s\s+(?:Day|Eve)\b")
_NAME_WORD = regex.compile(r"\p{Lu}\p{Ll}+")


@dataclass(frozen=True, slots=True)
class NameSpan:
    start: int
    end: int


_LONGEST_SENTENCE = 600


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans; a run-on longer than 600 characters is cut at spaces, so that the
    context checks, each bounded by its sentence, keep the whole scan linear."""
    start = 0
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    for end in [*ends, len(text)]:
        while end - start > _LONGEST_SENTENCE:
            cut = text.rfind(" ", start + 1, start + _LONGEST_SENTENCE)
            cut = cut if cut > start else start + _LONGEST_SENTENCE
            yield start, cut
            start = cut
        if end > start:
            yield start, end
            start = end


def _is_name_word(word: str) -> bool:
    return word in first_names() and word not in _NOT_NAMES


def _surname_like(word: str) -> bool:
    bare = word.split()[-1]
    return bare not in _NOT_NAMES and bare not in _INSTITUTION and bare not in AMBIGUOUS


def _candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """(start, end, titled) for each possible person's name in ``text[start:end]``."""
    taken: list[tuple[int, int]] = []
    for match in _TITLED.finditer(text, start, end):
        if match["name"].split()[-1] in _INSTITUTION:
            continue
        taken.append((match.start(), match.end()))
        yield match.start(), match.end(), True
    # Overlapped, so that "Nurse Harold Simmons" and "When Tom Becker" are also read from
    # their second word on.
    for match in _WORD.finditer(text, start, end, overlapped=True):
        if any(a <= match.start() < b for a, b in taken):
            continue
        first = match["first"]
        parts = match["rest"].split()
        kept: list[str] = []
        for part in parts:
            if _INITIAL_WORD.fullmatch(part) or _surname_like(part):
                kept.append(part)
            else:
                break
        after_first = text[match.end("first") : min(end, match.end("first") + 80)]
        before = text[max(start, match.start() - 60) : match.start()]
        if first in _NOT_NAMES or first in _INSTITUTION:
            continue
        if parts and parts[0] in _INSTITUTION:
            continue  # "Grace Hospital", "Lincoln High School"
        known = _is_name_word(first)
        # An unknown word, or a given name that is also a word ("Will", "Hope") standing
        # alone, is a name only with a cue fastened to it: right after "patient", "meet"
        # and the like, or before "(pictured)", ", a patient", ", 67,".
        needs_cue = not known or (first in AMBIGUOUS and not kept)
        fastened = _FASTENED_CUE.match(after_first) or _AGE_AFTER.match(after_first)
        if needs_cue and not fastened and not (before.strip() and _PATIENT_BEFORE.search(before)):
            continue
        name_end = match.start() + len(first) + _joined_length(match["rest"], kept)
        taken.append((match.start(), name_end))
        yield match.start(), name_end, False


def _joined_length(rest: str, kept: list[str]) -> int:
    """How many characters of ``rest`` the first ``len(kept)`` words take, spaces included."""
    if not kept:
        return 0
    position = 0
    for part in kept:
        position = rest.index(part, position) + len(part)
    return position


def _is_staff_or_public(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    before = text[max(sentence[0], start - 60) : start]
    after = text[end : min(sentence[1], end + 60)]
    name = text[start:end]
    bare = _COURTESY.sub("", name)
    if _STAFF_TITLE.search(before) or _ROLE_BEFORE.search(before):
        return True
    if _CREDENTIAL_AFTER.match(after) or _ROLE_AFTER.match(after) or _CARER_AFTER.match(after):
        return True
    if _is_public_figure(text, start, bare):
        return True
    following = _NEXT_WORD.match(after)
    if following and following.group(1) in _INSTITUTION:
        return True
    return _HOLIDAY_AFTER.match(after) is not None


def _is_public_figure(text: str, start: int, name: str) -> bool:
    """The name, or the name and the words after it, are a public figure's."""
    figures = public_figures()
    if name.lower() in figures:
        return True
    ahead = text[start : start + 40].lower()
    return any(
        ahead.startswith(figure)
        for figure in _figures_by_first_word().get(name.split()[0].lower(), ())
    )


@cache
def _figures_by_first_word() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for figure in public_figures():
        index.setdefault(figure.split()[0], []).append(figure)
    return {word: tuple(names) for word, names in index.items()}


@dataclass(frozen=True, slots=True)
class _Sentence:
    """What a sentence says, read once however many names it holds."""

    start: int
    end: int
    first_strong: int | None  # where the first strong patient cue starts
    staff: bool
    weak: bool
    last_pronoun: int  # where the last "he", "her"... ends, or -1
    staff_nearby: bool  # staff are spoken of here or in the sentence before or after

    @classmethod
    def read(cls, text: str, span: tuple[int, int], around: tuple[int, int]) -> "_Sentence":
        start, end = span
        strong = _PATIENT_STRONG.search(text, start, end)
        pronouns = [m.end() for m in _PRONOUN.finditer(text, start, end)]
        return cls(
            start=start,
            end=end,
            first_strong=strong.start() if strong else None,
            staff=_STAFF_CONTEXT.search(text, start, end) is not None,
            weak=_PATIENT_WEAK.search(text, start, end) is not None,
            last_pronoun=pronouns[-1] if pronouns else -1,
            staff_nearby=_STAFF_NEARBY.search(text, *around) is not None,
        )


def _fastened(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """A patient cue attached to the name itself: "our patient, Daniel,", "Maria (pictured)"."""
    before = text[max(sentence[0], start - 60) : start]
    after = text[end : min(sentence[1], end + 80)]
    return bool(
        _FASTENED_CUE.match(after) or _AGE_AFTER.match(after) or _PATIENT_BEFORE.search(before)
    )


def _in_patient_context(
    text: str, start: int, end: int, sentence: _Sentence, *, titled: bool
) -> bool:
    if _fastened(text, start, end, (sentence.start, sentence.end)):
        return True
    strong = sentence.first_strong is not None
    if strong and not sentence.staff:
        return True
    if sentence.staff:
        # "Thanks to our team, Mr. Chen had his surgery": the cue comes after the name.
        return strong and (titled or (sentence.first_strong or 0) >= start)
    if titled or sentence.weak:
        return True
    # A story told about someone ("she never thought she would run again") who is neither
    # staff nor famous is, in a practice's post, a patient's story.
    # Not when staff are spoken of around it: "a lot of happy staff. Congratulations to Ben
    # for his chili" is about a colleague.
    return sentence.last_pronoun > end and not sentence.staff_nearby


_PRONOUN = regex.compile(r"\b(?:he|she|his|her|him|hers|himself|herself)\b", regex.IGNORECASE)


def find_names(text: str) -> list[NameSpan]:
    """Spans of patients' names in ``text`` (see the module's docstring for the rules)."""
    found: list[NameSpan] = []
    staff_words: set[str] = set()
    patient_words: set[str] = set()
    pending: list[tuple[int, int, tuple[int, int], bool]] = []
    spans = list(_sentences(text))
    order = {span: at for at, span in enumerate(spans)}
    for sentence in spans:
        for start, end, titled in _candidates(text, *sentence):
            words = _name_words(text[start:end])
            if _is_staff_or_public(text, start, end, sentence):
                staff_words.update(words)
                continue
            pending.append((start, end, sentence, titled))
    read: dict[tuple[int, int], _Sentence] = {}
    for start, end, sentence, titled in pending:
        words = _name_words(text[start:end])
        if words & staff_words and not _fastened(text, start, end, sentence):
            continue  # "Nurse Harold Simmons retires... Thank you, Harold!"
        if sentence not in read:
            at = order[sentence]
            around = (spans[max(0, at - 1)][0], spans[min(len(spans) - 1, at + 1)][1])
            read[sentence] = _Sentence.read(text, sentence, around)
        if _in_patient_context(text, start, end, read[sentence], titled=titled):
            patient_words.update(words)
            found.append(NameSpan(start, end))
    # Later mentions of a patient's name are the patient's too ("Evelyn ... Evelyn's").
    chosen = set(found)
    for start, end, _sentence, _titled in pending:
        span = NameSpan(start, end)
        if span not in chosen and _name_words(text[start:end]) & patient_words:
            chosen.add(span)
    return sorted(chosen, key=lambda span: span.start)


def _name_words(name: str) -> set[str]:
    return {
        word for word in _NAME_WORD.findall(name) if word not in {"Mr", "Mrs", "Ms", "Miss", "Mx"}
    }
