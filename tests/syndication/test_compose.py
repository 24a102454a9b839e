"""Fitting a post into a network's length, as every adapter does it."""

from hypothesis import given
from hypothesis import strategies as st

from bedside.syndication.adapters.bluesky import graphemes
from bedside.syndication.compose import fit

URL = "https://riverside.example/p/riverside/posts/7/"
words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=600)


@given(title=st.text(min_size=1, max_size=120), body=words, limit=st.integers(80, 600))
def test_what_fits_is_within_the_limit_and_keeps_title_and_link(title, body, limit):
    fitted = fit(head="", title=title, body=body, url=URL, limit=limit, measure=graphemes)
    if fitted.fits:
        assert graphemes(fitted.text) == fitted.length <= limit
        assert fitted.text.startswith(title)
        assert fitted.text.endswith(URL)
    else:
        assert graphemes(f"{title}{URL}") > limit - 2


def test_a_short_post_goes_whole_and_a_long_one_is_cut_at_a_word():
    whole = fit(head="", title="Open", body="Saturday 9 to 12.", url=URL, limit=300, measure=len)
    assert whole.text == f"Open\n\nSaturday 9 to 12.\n\n{URL}" and not whole.shortened
    cut = fit(
        head="CW: needles", title="Flu", body="one two three " * 50, url=URL, limit=100, measure=len
    )
    assert cut.shortened and cut.fits and len(cut.text) <= 100
    assert cut.text.startswith("CW: needles\n\nFlu\n\none two")
    assert "…\n\n" in cut.text
