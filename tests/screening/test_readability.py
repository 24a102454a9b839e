import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.screening import readability
from bedside.screening.readability import assess, find_jargon, glossary, plain_text

PLAIN = (
    "Wash your hands. Use soap and warm water. Rub for twenty seconds. "
    "Dry them on a clean towel. Do this before you eat."
)
DENSE = (
    "Pharmacological intervention utilizing antihypertensive medications, in conjunction "
    "with comprehensive lifestyle modification encompassing dietary sodium restriction and "
    "regular cardiovascular conditioning, substantially diminishes cardiovascular morbidity "
    "and mortality among individuals with established hypertension."
)


def test_plain_writing_scores_a_low_grade_and_dense_writing_a_high_one():
    plain, dense = assess(PLAIN), assess(DENSE)

    assert plain.fk_grade < 6 < 14 < dense.fk_grade
    assert plain.reading_ease > 70 > 20 > dense.reading_ease
    assert plain.meets(8) and not dense.meets(8)
    assert plain.sentences == 5


def test_scores_match_textstat_on_plain_prose():
    import textstat

    result = assess(PLAIN)

    assert result.fk_grade == round(textstat.flesch_kincaid_grade(PLAIN), 1)
    assert result.reading_ease == round(textstat.flesch_reading_ease(PLAIN), 1)
    assert result.smog == round(textstat.smog_index(PLAIN), 1)


def test_longest_sentences_come_first_with_their_word_counts():
    text = "Short one. " + DENSE + " A middle sized sentence is here for you."

    longest = assess(text).longest_sentences

    assert longest[0].text == DENSE
    assert longest[0].words == len(DENSE.split())
    assert [s.words for s in longest] == sorted((s.words for s in longest), reverse=True)
    assert len(longest) == readability.LONGEST_SHOWN


def test_abbreviations_do_not_end_a_sentence():
    result = assess("Dr. Patel saw Mrs. Jones at 9 a.m. today. She is well.")

    assert result.sentences == 2


def test_jargon_is_found_with_a_plain_word_and_its_position():
    text = "Your hypertension and Myocardial  Infarctions; no erythema."

    hits = find_jargon(text)

    assert [(h.term, h.plain) for h in hits] == [
        ("hypertension", "high blood pressure"),
        ("myocardial infarction", "heart attack"),
        ("erythema", "redness"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.found
        assert hit.position == hit.start
    assert hits[1].found == "Myocardial  Infarctions"


def test_jargon_inside_longer_words_is_not_flagged():
    assert find_jargon("The renaldo family and the oralist") == ()
    assert [h.term for h in find_jargon("renal and oral")] == ["renal", "oral"]


def test_the_glossary_has_at_least_150_terms_each_with_a_plainer_word():
    entries = glossary()

    assert len(entries) >= 150
    assert all(
        entry.plain and entry.plain.lower() != entry.term.lower() for entry in entries.values()
    )


def test_markdown_markup_and_links_do_not_count_as_words():
    text = (
        "# Heading\n\n- first item\n- second item\n\nSee [the CDC](https://www.cdc.gov/a/b/c) now."
    )

    assert plain_text(text).splitlines() == [
        "Heading.",
        "first item.",
        "second item.",
        "See the CDC now.",
    ]
    result = assess(text)
    assert result.sentences == 4
    assert result.words == 9


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", "!!!", "\x00", "😀😀", "#", "- "])
def test_empty_or_wordless_text_scores_zero(text):
    result = assess(text)

    assert (result.fk_grade, result.reading_ease, result.smog, result.words) == (0, 0, 0, 0)
    assert result.longest_sentences == ()


def test_a_very_long_text_is_scored_on_its_beginning():
    text = PLAIN * 5000

    result = assess(text)

    assert len(text) > readability.MAX_SCORED_CHARS
    assert result.words < len(text.split())
    assert 0 < result.fk_grade < 6


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_assesses_to_finite_scores_and_valid_positions(text):
    result = assess(text)

    for score in (result.fk_grade, result.reading_ease, result.smog):
        assert isinstance(score, float)
        assert math.isfinite(score)
    assert result.words >= 0
    assert len(result.longest_sentences) <= readability.LONGEST_SHOWN
    for hit in result.jargon:
        assert text[hit.start : hit.end] == hit.found


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(sorted(glossary())),
            st.sampled_from(["the", "and", "#", "- ", "\n", ". ", "[a](b)", "**", "Dr.", "`"]),
            st.text(alphabet="abcdefghij .!?\n*#[]()", max_size=12),
        ),
        max_size=60,
    )
)
def test_markdown_like_text_never_crashes(parts):
    text = " ".join(parts)

    result = assess(text)

    assert math.isfinite(result.fk_grade)
    assert all(text[h.start : h.end] == h.found for h in result.jargon)
