import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.screening.identifiers import Kind, find, redact

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
    ("DOB: 03/14/1985", [(Kind.DATE_OF_BIRTH, "03/14/1985")]),
    ("My son was born on May 3, 2019 and coughs", [(Kind.DATE_OF_BIRTH, "May 3, 2019")]),
    ("date of birth 1985-03-14", [(Kind.DATE_OF_BIRTH, "1985-03-14")]),
    ("her birthday is 3rd of June", [(Kind.DATE_OF_BIRTH, "3rd of June")]),
    ("SSN 123-45-6789", [(Kind.SSN, "123-45-6789")]),
    ("my social security number is 123456789", [(Kind.SSN, "123456789")]),
    ("ss 123 45 6789", [(Kind.SSN, "123 45 6789")]),
    ("My MRN is 00123456.", [(Kind.RECORD_NUMBER, "00123456")]),
    ("medical record number: A12-34-567", [(Kind.RECORD_NUMBER, "A12-34-567")]),
    ("Patient ID #7781234", [(Kind.RECORD_NUMBER, "7781234")]),
    ("member ID: XJH123456789", [(Kind.INSURANCE_NUMBER, "XJH123456789")]),
    ("policy number 99887766", [(Kind.INSURANCE_NUMBER, "99887766")]),
    ("Medicare number 1EG4-TE5-MK73", [(Kind.INSURANCE_NUMBER, "1EG4-TE5-MK73")]),
    ("my card says 1EG4TE5MK73", [(Kind.INSURANCE_NUMBER, "1EG4TE5MK73")]),
    (
        "Jo (DOB 1/2/1990), 12 Oak Lane, jo@mail.com, 555-234-5678",
        [
            (Kind.DATE_OF_BIRTH, "1/2/1990"),
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
    assert redact("Nothing to hide.") == "Nothing to hide."


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
    area=st.integers(200, 999),
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
