import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.screening.identifiers import (
    LABELS,
    Finding,
    Kind,
    find,
    highlight,
    redact,
    warm,
)

# (text, [(kind, the identifier's text)]) — a labelled list, positives and negatives.
LABELLED = [
    ("Call me at (555) 234-5678 after lunch.", [(Kind.PHONE, "(555) 234-5678")]),
    ("my cell is 555.234.5678 ext 12", [(Kind.PHONE, "555.234.5678 ext 12")]),
    ("text +1 415-555-2671 please", [(Kind.PHONE, "+1 415-555-2671")]),
    ("from the UK: +44 20 7946 0958", [(Kind.PHONE, "+44 20 7946 0958")]),
    ("Reach me at 4155552671.", [(Kind.PHONE, "4155552671")]),
    ("email jane.doe+clinic@example.co.uk today", [(Kind.EMAIL, "jane.doe+clinic@example.co.uk")]),
    (
        "I live at 123 Main Street, Apt 4B near the park",
        [(Kind.ADDRESS, "123 Main Street, Apt 4B")],
    ),
    ("send it to 42 W 3rd Ave.", [(Kind.ADDRESS, "42 W 3rd Ave.")]),
    ("mail: PO Box 1234", [(Kind.ADDRESS, "PO Box 1234")]),
    ("We are at 9 Riverside Way.", [(Kind.ADDRESS, "9 Riverside Way")]),
    ("DOB: 03/14/1985", [(Kind.DOB, "03/14/1985")]),
    ("My son was born on May 3, 2019 and coughs", [(Kind.DOB, "May 3, 2019")]),
    ("date of birth 1985-03-14", [(Kind.DOB, "1985-03-14")]),
    ("her birthday is 3rd of June", [(Kind.DOB, "3rd of June")]),
    ("SSN 123-45-6789", [(Kind.SSN, "123-45-6789")]),
    ("my social security number is 123456789", [(Kind.SSN, "123456789")]),
    ("ss 123 45 6789", [(Kind.SSN, "123 45 6789")]),
    ("My MRN is 00123456.", [(Kind.MRN, "00123456")]),
    ("medical record number: A12-34-567", [(Kind.MRN, "A12-34-567")]),
    ("Patient ID #7781234", [(Kind.MRN, "7781234")]),
    ("member ID: XJH123456789", [(Kind.INSURANCE_ID, "XJH123456789")]),
    ("policy number 99887766", [(Kind.INSURANCE_ID, "99887766")]),
    ("Medicare number 1EG4-TE5-MK73", [(Kind.INSURANCE_ID, "1EG4-TE5-MK73")]),
    ("my card says 1EG4TE5MK73", [(Kind.INSURANCE_ID, "1EG4TE5MK73")]),
    (
        "Jo (DOB 1/2/1990), 12 Oak Lane, jo@mail.com, 555-234-5678",
        [
            (Kind.DOB, "1/2/1990"),
            (Kind.ADDRESS, "12 Oak Lane"),
            (Kind.EMAIL, "jo@mail.com"),
            (Kind.PHONE, "555-234-5678"),
        ],
    ),
    # Negatives: ordinary writing in questions and answers.
    ("Dr. Patel will see you on May 3.", []),
    ("Ask Dr. Nguyen or Dr. Lee about it.", []),
    ("At 10 Patel Dr. Smith joins the team.", []),
    ("Our flu clinic is on May 3, 2026 at 9 am.", []),
    ("Join our May 3 Food Drive!", []),
    ("Take 2 tablets twice a day for 10 days.", []),
    ("I walked 5 miles down the road.", []),
    ("If it is an emergency call 911, or 988 for a crisis.", []),
    ("In 2024 we saw 1200 patients and gave 3400 shots.", []),
    ("Room 12 on the 3rd floor.", []),
    ("A1C of 6.5 and blood pressure 120/80.", []),
    ("Invalid SSN shapes: 000-12-3456, 666-12-3456, 912-34-5678.", []),
    ("Numbers that are not phones: 123-4567, 055-234-5678.", []),
    ("Medicare covers 2024 flu shots.", []),
    ("I was born in 1990.", []),
    ("Visit https://www.cdc.gov/flu for details.", []),
    # Names, dates of care and the hard negatives.
    ("Our patient Maria Lopez ran her first 5K.", [(Kind.NAME, "Maria Lopez")]),
    ("Mrs. Alvarez, who came in for her knee, is gardening again.", [(Kind.NAME, "Mrs. Alvarez")]),
    ("Maria (pictured) after her surgery.", [(Kind.NAME, "Maria")]),
    ("Thanks to John D. for sharing his story.", [(Kind.NAME, "John D.")]),
    ("The patient was seen on 3/14/2025 for asthma.", [(Kind.DATE_OF_SERVICE, "3/14/2025")]),
    ("He was admitted June 2 with pneumonia.", [(Kind.DATE_OF_SERVICE, "June 2")]),
    ("Dr. Patel joins our team this month.", []),
    ("Please welcome Nurse Kim Nguyen!", []),
    ("Serena Williams spoke about the blood clots she had after giving birth.", []),
    ("President Lincoln suffered from depression.", []),
    ("Our flu clinic on May 3 runs from 9 to noon.", []),
    ("Call 1-800-222-1222, the poison control line, any time.", []),
    # Staff spoken of around a name make it a colleague's; a patient's name stays one.
    ("A lot of happy staff. Congratulations to Ben for his three-bean chili!", []),
    ("Tomás sees patients for same-day visits at our Northside clinic.", []),
    ("Special thanks to Mayor Ellen Brooks for opening the fair.", []),
    ("Sarah, one of our nurses, ran a marathon for cancer research.", []),
    (
        "Our patient, Daniel, was diagnosed with diabetes. Daniel now runs marathons.",
        [(Kind.NAME, "Daniel"), (Kind.NAME, "Daniel")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_labelled_examples(text, expected):
    found = find(text)

    assert [(f.kind, f.text) for f in found] == expected
    for finding in found:
        assert text[finding.start : finding.end] == finding.text
        assert finding.span == (finding.start, finding.end)


def test_the_practice_own_phone_and_email_can_be_exempted():
    text = "Call the office at (555) 234-5678 or write to hello@clinic.test, not 555-999-1234."

    found = find(text, ignore=["555-234-5678", "hello@clinic.test"])

    assert [f.text for f in found] == ["555-999-1234"]


def test_redact_replaces_each_identifier_with_its_label():
    assert (
        redact("Call (555) 234-5678, DOB 1/2/1990.") == "Call [phone number], DOB [date of birth]."
    )
    assert redact("Our patient Maria Lopez says hi.") == "Our patient [patient's name] says hi."
    assert redact("Nothing to hide.") == "Nothing to hide."


def test_the_kinds_are_exactly_those_of_the_interface_and_each_has_human_words():
    assert [kind.value for kind in Kind] == [
        "name",
        "phone",
        "email",
        "address",
        "dob",
        "date_of_service",
        "mrn",
        "insurance_id",
        "ssn",
    ]
    assert set(LABELS) == set(Kind)
    assert len(set(LABELS.values())) == len(Kind)
    assert LABELS[Kind.NAME] == "patient's name"
    assert Finding(Kind.MRN, 0, 3, "123").label == "medical record number"


def test_the_practice_own_address_is_exempt_with_its_suite_number():
    assert find("Visit us at 9 Riverside Way, Suite 100.", ignore=["9 Riverside Way"]) == []


def test_highlight_cuts_the_text_into_marked_and_plain_segments():
    text = "Our patient Maria Lopez, DOB 1/2/1990, says hi."
    found = find(text)

    segments = highlight(text, found)

    assert "".join(part for part, _ in segments) == text
    assert [(part, f.kind) for part, f in segments if f] == [
        ("Maria Lopez", Kind.NAME),
        ("1/2/1990", Kind.DOB),
    ]
    assert segments[0] == ("Our patient ", None)
    assert highlight("", []) == []
    assert highlight("plain", []) == [("plain", None)]


def test_highlight_skips_findings_that_overlap_or_fall_outside_the_text():
    text = "call 555-234-5678 now"
    inside = Finding(Kind.PHONE, 5, 17, "555-234-5678")
    overlapping = Finding(Kind.SSN, 10, 15, "34-56")
    outside = Finding(Kind.EMAIL, 30, 40, "x@y.z")

    segments = highlight(text, [overlapping, outside, inside])

    assert segments == [("call ", None), ("555-234-5678", inside), (" now", None)]


def test_long_texts_are_answered_quickly():
    warm()
    story = (
        "Our patient Maria Lopez was seen on 3/14/2025 and had her surgery on May 2. "
        "Dr. Patel joins our team; call (555) 234-5678 or write to hello@clinic.test. "
    )
    for text in (story * 700, "1 " * 50_000, "Mrs. " * 20_000, "x" * 100_000):
        started = time.perf_counter()
        find(text)
        assert time.perf_counter() - started < 10, text[:40]


def test_the_interface_works_without_django_settings_and_never_touches_the_network():
    # Presidio's email and URL recognizers would fetch the Public Suffix List through
    # tldextract on first use; the guard must not, nor load any model. A fresh process, so
    # the first use really is the first, with every socket refusing to connect.
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('network access')\n"
        "socket.socket.connect = refuse\n"
        "socket.socket.connect_ex = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "import sys\n"
        "from bedside.screening.identifiers import find\n"
        "assert 'presidio_analyzer' not in sys.modules, 'presidio loads on first use only'\n"
        "text = ('Our patient Maria Lopez, jo@mail.com, +44 20 7946 0958, SSN 412-55-8830, '\n"
        "        'Medicare 1EG4-TE5-MK73, seen on 3/14/2025, see https://www.cdc.gov/flu')\n"
        "kinds = {f.kind.value for f in find(text)}\n"
        "expected = {'name', 'email', 'phone', 'ssn', 'insurance_id', 'date_of_service'}\n"
        "assert kinds == expected, kinds\n"
        "assert 'presidio_analyzer' in sys.modules\n"
        "assert not any(name.startswith('en_core_web') for name in sys.modules), 'a model'\n"
        "import django.conf\n"
        "assert not django.conf.settings.configured\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gives_ordered_non_overlapping_findings_that_point_into_it(text):
    found = find(text)

    for finding in found:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


SAFE_WORDS = st.sampled_from(
    ["the", "clinic", "Dr. Patel", "Patel", "on", "May", "3", "cough", "and", "2026", "12", "a"]
)


@settings(max_examples=200, deadline=None)
@given(
    before=st.lists(SAFE_WORDS, max_size=8),
    after=st.lists(SAFE_WORDS, max_size=8),
    # Toll-free lines (800, 888...) are organisations', never a patient's: left out on purpose.
    area=st.integers(200, 999).filter(lambda area: area not in {800, 833, 844, 855, 866, 877, 888}),
    exchange=st.integers(200, 999),
    line=st.integers(0, 9999),
    user=st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True),
)
def test_phones_and_emails_are_found_wherever_they_sit(before, after, area, exchange, line, user):
    phone = f"({area}) {exchange}-{line:04d}"
    email = f"{user}@example.org"
    text = " ".join([*before, phone, "or", email, *after])

    found = {(f.kind, f.text) for f in find(text)}

    assert (Kind.PHONE, phone) in found
    assert (Kind.EMAIL, email) in found


@settings(max_examples=200, deadline=None)
@given(st.lists(SAFE_WORDS, max_size=30))
def test_names_short_dates_and_small_numbers_are_never_flagged(words):
    assert find(" ".join(words)) == []


STORY_WORDS = st.sampled_from(
    [
        "Our patient Maria Lopez",
        "Mrs. Alvarez",
        "was seen on 3/14/2025",
        "DOB 1/2/1990",
        "MRN 00482913",
        "member ID XJH883920114",
        "SSN 412-55-8830",
        "call (555) 318-2290",
        "jo@mail.com",
        "12 Oak Lane",
        "Dr. Patel",
        "after her surgery",
        "and",
        ",",
        ".",
        "\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(STORY_WORDS, max_size=20), st.text(max_size=60))
def test_redact_leaves_no_finding_behind(words, noise):
    text = " ".join(words) + noise
    found = find(text)

    redacted = redact(text)

    segments = highlight(text, found)
    assert redacted == "".join(f"[{f.label}]" if f else part for part, f in segments)
    plain = "\n".join(part for part, f in segments if f is None)
    for finding in found:
        assert finding.text not in redacted or finding.text in plain


@settings(max_examples=200, deadline=None)
@given(st.lists(STORY_WORDS, max_size=20))
def test_ignored_strings_are_never_found_and_the_rest_still_are(words):
    text = " ".join(words)
    found = find(text)
    if not found:
        return
    public = found[0].text

    kept = find(text, ignore=[public])

    assert all(f.text.strip().lower() != public.strip().lower() for f in kept)
    assert {(f.kind, f.text) for f in found if f.text != public} <= {(f.kind, f.text) for f in kept}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_highlight_always_joins_back_into_the_text(text):
    segments = highlight(text, find(text))

    assert "".join(part for part, _ in segments) == text
    assert all(part for part, _ in segments)
