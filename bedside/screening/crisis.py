"""Crisis screening for what patients write in support groups, in pure Python.

``screen(text)`` answers whether a post says its writer may be in danger now, and why:
suicidal thoughts, self-harm, an overdose, abuse, or a medical emergency. It is a set of
phrase patterns, each read in its own clause with three checks that keyword lists lack:

- **negation**: "I'm not suicidal", "I would never hurt myself" (but "I no longer want to
  live" and "I don't want to wake up" are themselves patterns, so negating "want" counts);
- **distance**: hypotheticals, questions about others and reported speech ("my doctor asked
  if I'd ever thought of self-harm", "what are the warning signs of an overdose"), and a past
  that is over ("I used to cut, I'm three years clean");
- **figures of speech**: the patterns name the writer as the one in danger ("kill myself",
  not "this diet is killing me"), and a short list of idioms is removed before matching
  ("I'd die for that cake", "dying to try", "my feet are killing me").

It errs towards raising the alert: a false alarm costs a moderator a glance, a miss costs
more. The labelled sentences in ``tests/data/crisis_sentences.tsv`` measure it.
"""

import re
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    SUICIDAL = "suicidal"
    SELF_HARM = "self_harm"
    OVERDOSE = "overdose"
    ABUSE = "abuse"
    MEDICAL_EMERGENCY = "medical_emergency"


LABELS = {
    Category.SUICIDAL: "suicidal thoughts",
    Category.SELF_HARM: "self-harm",
    Category.OVERDOSE: "overdose",
    Category.ABUSE: "abuse",
    Category.MEDICAL_EMERGENCY: "medical emergency",
}


@dataclass(frozen=True, slots=True)
class CrisisResult:
    """The verdict: ``category`` is a ``Category`` value when ``is_crisis``, else None;
    ``reason`` says in plain words what was found (or why nothing was)."""

    is_crisis: bool
    category: str | None
    reason: str

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons as a sequence, as the screening interface promises (one today)."""
        return (self.reason,) if self.reason else ()


@dataclass(frozen=True, slots=True)
class _Pattern:
    category: Category
    regex: re.Pattern[str]
    negatable: bool = True


def _p(category: Category, pattern: str, *, negatable: bool = True) -> _Pattern:
    return _Pattern(category, re.compile(pattern), negatable)


ME = r"(?:i|i'm|i am|i've|i have|i'd|i was|i feel|i keep|i just|i really)"
PARTNER = (
    r"(?:he|she|they|my (?:husband|wife|partner|boyfriend|girlfriend|bf|gf|ex|fianc[eé]e?|"
    r"dad|father|stepdad|stepfather|mom|mother|stepmom|stepmother|son|daughter|brother|sister|"
    r"uncle|aunt|grandson|granddaughter|caregiver|carer|roommate|landlord|boss|spouse))"
)
PEOPLE = PARTNER.removeprefix("(?:he|she|they|").removesuffix(")")
# "hits me up", "beats me at chess", "pushes me to exercise", "kicked me in her sleep".
NOT_ABUSE = r"(?! up\b| at\b| to\b| in (?:her|his|their|my) sleep| into the pool)"
HIT = (
    r"(?:hits?|hitting|hit|beats?|beating|beat|punch(?:es|ed|ing)?|slap(?:s|ped|ping)?|"
    r"kick(?:s|ed|ing)?|chok(?:es|ed|ing)|strangl(?:es|ed|ing)|shov(?:es|ed|ing)|"
    r"push(?:es|ed|ing)|throws? things at|threw things at|burn(?:s|ed)|rap(?:es|ed))"
)
PILLS = (
    r"(?:pills|tablets|meds|medications?|insulin|sleeping pills|painkillers|tylenol|"
    r"acetaminophen|paracetamol|oxy(?:codone|contin)?|xanax|ambien|fentanyl|heroin|opioids|"
    r"percocet|vicodin|morphine|antidepressants|benadryl|advil|ibuprofen)"
)

PATTERNS: list[_Pattern] = [
    # Suicidal thoughts.
    _p(Category.SUICIDAL, r"\b(?:kill|killing|off|end|ending) myself\b"),
    _p(Category.SUICIDAL, r"\bsuicid(?:e|al)\b"),
    _p(Category.SUICIDAL, r"\b(?:end|ending|take|taking) (?:it all|my (?:own )?life)\b(?! back)"),
    _p(Category.SUICIDAL, r"\bwant(?:ed)? (?:it )?(?:all )?to (?:be )?(?:over|end)\b"),
    _p(Category.SUICIDAL, r"\b(?:want|wanting|ready|going) to die\b(?! (?:my|her|his) hair)"),
    _p(Category.SUICIDAL, r"\bwanna die\b(?! (?:my|her|his) hair)"),
    _p(Category.SUICIDAL, r"\b(?:ways|how) to (?:die|kill myself|end (?:it|my life))\b"),
    _p(
        Category.SUICIDAL,
        r"\b(?:no|don't see the|do not see the|what's the|lost the) point (?:in|of) "
        r"(?:living|going on|being alive|life|waking up)\b",
    ),
    _p(Category.SUICIDAL, r"\b(?:sleep and|to|and|just|would) (?:never|not) wake up\b"),
    _p(Category.SUICIDAL, r"\bdone with (?:life|living|it all|this life|being alive)\b"),
    _p(
        Category.SUICIDAL,
        r"\b(?:thinking|thought|think) (?:about|of) (?:jumping|ending it|dying|not being here|"
        r"killing myself|taking my (?:own )?life|overdosing|not waking up)\b",
    ),
    _p(Category.SUICIDAL, r"\bwant out (?:for good|of (?:this life|life))\b"),
    _p(
        Category.SUICIDAL,
        r"\b(?:can't|cannot) survive another (?:night|day|week)\b",
        negatable=False,
    ),
    _p(
        Category.SUICIDAL,
        r"\b(?:hope|hopes|hoping|wish|pray|praying) (?:[\w']+ ){0,3}(?:takes me|kills me|"
        r"i die|i don't wake up|i never wake up)\b",
    ),
    _p(
        Category.SUICIDAL,
        r"\b(?:better|happier|fine|okay|ok) (?:off )?(?:without me|"
        r"if i (?:was|were)n't (?:here|around)|"
        r"if i (?:was|were) (?:gone|dead)|if i (?:just )?(?:disappeared|died))\b",
    ),
    _p(Category.SUICIDAL, r"\bwish (?:i|i'd) (?:was|were|had) (?:dead|never been born|died)\b"),
    _p(Category.SUICIDAL, r"\bwish i (?:could )?(?:just )?(?:die|disappear forever|not exist)\b"),
    _p(
        Category.SUICIDAL,
        r"\b(?:don't|do not|dont|no longer|not) (?:really )?(?:want to|wanna) "
        r"(?:live|be alive|be here|wake up|exist|go on|keep going|keep living|see tomorrow)\b"
        r"(?! early| at\b| in time| for (?:the|my|work|school)| in (?:this|that)| there)",
        negatable=False,
    ),
    _p(Category.SUICIDAL, r"\bbetter off dead\b"),
    _p(Category.SUICIDAL, r"\b(?:nothing|nobody|no one|no reason) (?:left )?to live for\b"),
    _p(Category.SUICIDAL, r"\b(?:no|nothing (?:left )?to|any) reason(?:s)? (?:left )?to live\b"),
    _p(
        Category.SUICIDAL,
        r"\b(?:life|living) (?:isn't|is not|is no longer|not) worth (?:living|it)\b",
    ),
    _p(
        Category.SUICIDAL,
        r"\b(?:can't|cannot|can not) (?:go on|do this anymore|keep going|"
        r"take (?:it|this))(?: like this)?(?: anymore| any ?more| any longer)?(?=\s*(?:[.!?,;]|$))",
        negatable=False,
    ),
    _p(
        Category.SUICIDAL,
        r"\b(?:won't|will not) (?:be (?:here|around)|wake up) (?:much longer|"
        r"tomorrow|by|anymore|for long)\b",
    ),
    _p(Category.SUICIDAL, r"\bsuicide (?:note|letter)s?\b"),
    _p(
        Category.SUICIDAL,
        r"\bgoodbye (?:note|letter)s? (?:to|for) (?:my |all )?(?:kids|children|family|wife|"
        r"husband|parents|mom|dad|everyone|friends|son|daughter)\b",
    ),
    _p(Category.SUICIDAL, r"\b(?:giving|gave|give) away my (?:things|stuff|belongings)\b"),
    _p(
        Category.SUICIDAL,
        r"\bthis is (?:my )?goodbye\b|\bsaying goodbye (?:to everyone|for good)\b",
    ),
    _p(Category.SUICIDAL, r"\b(?:jump|jumping) (?:off|from) (?:the|a) (?:bridge|roof|building)\b"),
    _p(Category.SUICIDAL, r"\b(?:hang|hanging) myself\b|\b(?:bought|got|have) (?:a )?rope\b"),
    _p(Category.SUICIDAL, r"\bnot (?:be|being) here (?:anymore|tomorrow|much longer)\b"),
    _p(Category.SUICIDAL, r"\bdisappear (?:forever|for good)\b|\bsleep (?:and|&) never wake up\b"),
    _p(Category.SUICIDAL, r"\bworld would be better (?:off )?without me\b"),
    _p(Category.SUICIDAL, r"\bburden (?:to|on) (?:everyone|my family|them|everybody)\b"),
    # Self-harm.
    _p(Category.SELF_HARM, r"\bself[- ]?harm(?:ing|ed)?\b"),
    _p(
        Category.SELF_HARM,
        r"\b(?:cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|harm|"
        r"harming|hit|hitting|punish|punishing|scratch|scratching|carve|carving|starve|starving) "
        r"(?:myself|my (?:arms?|wrists?|legs?|thighs?|skin|stomach))\b",
    ),
    _p(
        Category.SELF_HARM,
        r"\b(?:urge|urges|relapsed?|relapsing) (?:to |on |with )?(?:cut|cutting|"
        r"self[- ]?harm|hurt myself)\b",
    ),
    _p(Category.SELF_HARM, r"\b(?:razor|blade)s?\b.{0,80}?\b(?:arm|wrist|thigh|skin)s?\b"),
    _p(Category.SELF_HARM, r"\bcuts? (?:that )?i (?:made|gave|did) (?:to )?myself\b"),
    _p(Category.SELF_HARM, r"\b(?:cut|cutting|cutting myself) again\b"),
    _p(
        Category.SELF_HARM,
        r"\b(?:and|been|started|keep|still|i'm|back to|gone back to|relapsed into) cutting"
        r"(?= (?:again|since|every|when|because|to cope|at night|myself)|\s*(?:[.!?,;]|$))",
    ),
    _p(Category.SELF_HARM, r"\b(?:need|needed|want|wanted|have) to cut (?:to|so|myself|again)\b"),
    _p(
        Category.SELF_HARM,
        r"\b(?:bang\w*|hurt\w*|burn\w*|cut\w*|hit\w*|scratch\w*|punch\w*|pull\w* (?:out )?my)\b"
        r".{0,120}?\b(?:on purpose|deliberately|to feel something|to punish)\b",
    ),
    # Overdose.
    _p(Category.OVERDOSE, r"\boverdos(?:e|ed|ing)\b|\bod'?d\b|\bo\.d\.\b"),
    _p(
        Category.OVERDOSE,
        rf"\b(?:took|taken|swallowed|take|taking|downed|ate|injected|gave myself|used|shot) "
        rf"(?:all (?:of )?|the (?:whole|entire|rest of the) |"
        rf"a (?:whole |full |double |triple )?(?:bottle|box|pack|handful|dose) of |"
        rf"(?:\d+|fifteen|twenty|thirty|forty|fifty|a bunch of|way too many|too many|way too much|"
        rf"too much|extra|double|triple) (?:of )?)(?:my |the |his |her )?(?:[\w']+ )?{PILLS}\b",
    ),
    _p(
        Category.OVERDOSE,
        rf"\b(?:took|swallowed|taken|injected|gave myself) (?:way )?too (?:many|much)"
        rf"(?: (?:of )?(?:my |the )?(?:\w+ )?{PILLS}\b|\s*(?:[.!?,;]|$|and\b))",
    ),
    _p(Category.OVERDOSE, rf"\b(?:whole|entire) (?:bottle|box|pack) of (?:\w+ )?{PILLS}\b"),
    _p(
        Category.OVERDOSE,
        rf"\b(?:took|swallowed|taken|take|taking) (?:[\w']+ ){{0,5}}?{PILLS} (?:all )?at once\b",
    ),
    # Abuse.
    _p(Category.ABUSE, rf"\b{PARTNER}(?:'s)? (?:[\w']+ ){{0,2}}{HIT} me\b{NOT_ABUSE}"),
    _p(
        Category.ABUSE,
        rf"\b{PARTNER} (?:[\w']+ ){{0,2}}(?:threaten(?:s|ed)?|said he'?d|said she'?d) "
        r"(?:to )?(?:kill|hurt|beat) me\b",
    ),
    _p(
        Category.ABUSE,
        rf"\b(?:afraid|scared|terrified) (?:to go home|of (?:him|her|{PEOPLE}))\b(?!')",
    ),
    _p(
        Category.ABUSE,
        rf"\b{PARTNER} (?:[\w']+ )?(?:won't|will not|doesn't|does not) let me "
        r"(?:leave|go out|see|have|call|sleep|use|take my)\b",
    ),
    _p(Category.ABUSE, r"\b(?:locks?|locked) me (?:in|out)\b"),
    _p(
        Category.ABUSE,
        rf"\b{PARTNER}(?:'s)? (?:[\w']+ ){{0,2}}(?:grabs?|grabbed|holds?|held|pins?|pinned) me "
        r"(?:by the (?:throat|neck|hair)|down|against)\b",
    ),
    _p(
        Category.ABUSE,
        r"\b(?:touch(?:es|ed)?|touching) me (?:when|where|and|down|inappropriately"
        r"|at night)\b",
    ),
    _p(
        Category.ABUSE,
        r"\b(?:being|been|getting|was|he|she|they) (?:sexually |physically )?(?:abused|raped|"
        r"assaulted|molested)(?: me)?\b|"
        r"\babusive (?:husband|wife|partner|relationship|boyfriend|home)\b",
    ),
    _p(Category.ABUSE, r"\b(?:bruises?|black eye|marks) (?:from|that) (?:him|her|my)\b"),
    _p(Category.ABUSE, rf"\b(?:he|she|{PEOPLE}) (?:[\w']+ )?hurts me\b"),
    # Medical emergency.
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:can't|cannot|can not|struggling to|hard to) "
        r"(?:breathe|catch my breath|get air)\b(?! when i laugh)",
        negatable=False,
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\bchest (?:pain|pressure|tightness|is tight|hurts|feels "
        r"(?:tight|heavy|crushed))\b",
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:having|had|think i'm having|think i am having) "
        r"(?:a |another )?(?:heart attack|stroke|seizure|allergic reaction)\b",
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:face|mouth|smile) (?:is |feels )?(?:drooping|droops|"
        r"droopy)\b|\bslurr(?:ed|ing) (?:my )?(?:speech|words)\b|\bcan't (?:move|feel) my "
        r"(?:left|right|arm|leg|face)\b",
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:throat|tongue|lips?) (?:is |are |feels? )?(?:swelling|"
        r"swollen|closing)\b",
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:won't|will not|doesn't|does not|can't) stop bleeding\b|"
        r"\bbleeding (?:heavily|a lot|badly|won't stop)\b|\bcoughing up blood\b|\bvomiting blood\b",
        negatable=False,
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:sugar|glucose|bg|bs) (?:is |was |just )?(?:at |reads? |"
        r"of )?(?:[1-4]\d|[5-9]\d\d)\b",
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:passed out|unconscious|unresponsive|won't wake up|"
        r"turning blue|lips are blue)\b",
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\b(?:isn't|is not|wasn't|not|stopped|stops|quit) breathing\b|"
        r"\b(?:he|she|i|my \w+) (?:just |has |suddenly )?collapsed\b",
        negatable=False,
    ),
    _p(
        Category.MEDICAL_EMERGENCY,
        r"\bworst headache of my life\b|\bsuddenly (?:can't|cannot) "
        r"(?:see|speak|talk)\b",
    ),
]

# Idioms that look like danger and are not; removed before the patterns run.
_IDIOMS = re.compile(
    r"\b(?:i'?d|i would|i could) (?:literally )?(?:die|kill) for\b"
    r"|\bdying (?:to|for|of laughter|laughing)\b"
    r"|\b(?:die|died|dying) (?:of|from) "
    r"(?:embarrassment|laughter|laughing|boredom|cuteness|shame)\b"
    r"|\b(?:killing|kills|killed) me\b"
    r"|\bkill (?:some )?time\b"
    r"|\bdead (?:tired|on my feet)\b"
    r"|\bscared to death\b|\bbored to death\b"
    r"|\b(?:cut|cutting) myself (?:some )?slack\b"
    r"|\bcut myself (?:off|a (?:slice|piece))\b"
    r"|\bcan't take (?:it|this) anymore,? (?:lol|haha)\b"
    r"|\bif i [^,.!?]{1,40}(?:i'm going to|i'll|i'm gonna|i will) die\b"
    r"|\boverdos(?:e|ed|ing) on (?!my\b|(?:the |some |his |her )?(?:\w+ )?" + PILLS + r")\w+"
)

# Words that turn a match into its opposite when they come shortly before it.
_NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|none|nor|neither|without|don't|dont|doesn't|didn't|isn't|wasn't"
    r"|aren't|won't|wouldn't|couldn't|haven't|hasn't|stop(?:ped)? being|denied|deny)\b"
)
NEGATION_WINDOW = 6  # words

# Clause openers that put the match at a distance: asked about, imagined, reported, taught.
_DISTANCE = re.compile(
    r"\b(?:ask(?:s|ed)? (?:me )?(?:[\w']+ ){0,3}(?:if|whether|about)|"
    r"if (?:someone|somebody|anyone|a person|a friend|a loved one|you|they)\b|"
    r"prevention|naloxone|narcan|antidote|suicide loss|loss survivors?|survivors? of|"
    r"talk(?:ing)? to (?:my|our|a|the) \w+ about|best way to|ruled out|turned out|went away|"
    r"false alarm|(?:i'm|i am|all) fine now|"
    r"last (?:year|month|spring|summer|fall|autumn|winter)|"
    r"(?:\d+|a few|two|three|four|five|several|many) (?:years|months|decades) ago|"
    r"(?:if|whether) (?:i'?d|i have|i had|i've) ever|what if|hypothetically|"
    r"screening|questionnaire|survey|form (?:asks|asked)|"
    r"(?:warning )?signs? of|symptoms? of|risk(?:s)? of|how (?:do|can|would) (?:i|you|we) "
    r"(?:know|tell|spot|recognize|prevent|avoid|help)|what (?:to do|should (?:i|you) do) if|"
    r"in case (?:of|someone)|(?:the|a|this) (?:movie|book|show|film|novel|episode|character|"
    r"article|documentary|podcast|song)|"
    r"used to|years ago|months ago|back in (?:high school|college|\d{4})|when i was "
    r"(?:a )?(?:teen|teenager|younger|kid|child|in (?:high school|college))|in (?:19|20)\d\d|"
    r"(?:clean|free|sober) (?:for|since)|recovered from|survived|"
    r"nurse (?:said|explained|told)|doctor (?:said|explained|told)|pamphlet|leaflet|class on|"
    r"training|first aid|cpr course|educat(?:e|ion)|awareness|statistics|research|"
    r"my (?:friend|neighbor|coworker|cousin)'s|someone (?:i know|else)|"
    r"for (?:a|my) (?:friend|neighbor|patient))\b"
)

_CLAUSE_SPLIT = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*|,?\s+\bbut\b\s+|\s+-{1,2}\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_WORD = re.compile(r"[a-z']+")
MAX_CHARS = 20_000

# Where a match is about something else: an accident in the kitchen is not self-harm,
# breathless in the heat or numb from the dentist is not an emergency.
_ORDINARY = {
    Category.SELF_HARM: re.compile(
        r"\b(?:shaving|shave|cooking|chopping|slicing|baking|making (?:dinner|pancakes|breakfast|"
        r"lunch)|oven|stove|(?:hot )?pan|kitchen|knife slipped|accident(?:ally)?|gardening|"
        r"paper cut|iron|curling|gym|workout|lifting|tripped|fell|slipped)\b"
    ),
    Category.MEDICAL_EMERGENCY: re.compile(
        r"\b(?:heat|humidity|humid|laughed|laughing|dentist|numbing|novocaine|numbed)\b"
    ),
}
_ON_PURPOSE = re.compile(r"\b(?:on purpose|deliberately|to feel something|to punish)\b")


def _normalise(text: str) -> str:
    text = text.translate(_APOSTROPHES).lower()
    text = re.sub(r"\bim\b", "i'm", text)
    text = re.sub(r"\bive\b", "i've", text)
    text = re.sub(r"\bcant\b", "can't", text)
    text = re.sub(r"\bwont\b", "won't", text)
    text = re.sub(r"\bdont\b", "don't", text)
    return re.sub(r"[ \t]+", " ", text)


def _negated(clause: str, start: int) -> bool:
    before = _WORD.findall(clause[max(0, start - 80) : start])[-NEGATION_WINDOW:]
    window = " ".join(before)
    if re.search(r"\bno longer\b|\bnot sure\b|\bnever (?:felt|been) (?:this|so)\b", window):
        return False
    return _NEGATION.search(window) is not None


def _distant(clause: str) -> bool:
    return _DISTANCE.search(clause) is not None


def _screen_clause(clause: str) -> tuple[_Pattern, str] | None:
    cleaned = _IDIOMS.sub(" ", clause)
    if _distant(cleaned):
        return None
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(cleaned):
            if pattern.negatable and _negated(cleaned, match.start()):
                continue
            ordinary = _ORDINARY.get(pattern.category)
            if ordinary and ordinary.search(cleaned) and not _ON_PURPOSE.search(cleaned):
                continue
            return pattern, match.group(0)
    return None


def screen(text: str) -> CrisisResult:
    """Screen one post. Never raises; very long text is read up to ``MAX_CHARS``."""
    if not isinstance(text, str) or not text.strip():
        return CrisisResult(False, None, "Nothing to screen.")
    normal = _normalise(text[:MAX_CHARS])
    for clause in _CLAUSE_SPLIT.split(normal):
        if not clause:
            continue
        found = _screen_clause(clause)
        if found is not None:
            pattern, words = found
            return CrisisResult(
                True,
                pattern.category.value,
                f"{LABELS[pattern.category].capitalize()}: “{words.strip()}”.",
            )
    return CrisisResult(False, None, "No sign of a crisis.")
