import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.core.errors import Invalid
from bedside.education.sources import clean_domain, domain_of, is_trusted

TRUSTED = ["cdc.gov", "nih.gov", "who.int"]


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.cdc.gov/flu/", "cdc.gov"),
        ("http://MedlinePlus.gov/ency/article/000001.htm", "medlineplus.gov"),
        ("https://wwwnc.cdc.gov:443/travel", "wwwnc.cdc.gov"),
    ],
)
def test_the_domain_of_a_link_is_its_host_in_lower_case_without_www(url, domain):
    assert domain_of(url) == domain


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://cdc.gov/file", "cdc.gov/flu", "https://", "https://localhost/"],
)
def test_only_full_http_links_are_accepted_as_sources(url):
    with pytest.raises(Invalid):
        domain_of(url)


def test_a_typed_domain_is_cleaned_from_a_pasted_link():
    assert clean_domain("https://www.Mayoclinic.org/diseases") == "mayoclinic.org"
    assert clean_domain(" AAFP.org ") == "aafp.org"


@pytest.mark.parametrize("typed", ["", "cdc gov", "exa_mple.com", "bad..com"])
def test_what_is_not_a_domain_is_refused(typed):
    with pytest.raises(Invalid):
        clean_domain(typed)


@pytest.mark.parametrize(
    ("domain", "trusted"),
    [
        ("cdc.gov", True),
        ("wwwnc.cdc.gov", True),
        ("notcdc.gov", False),
        ("cdc.gov.example.com", False),
        ("evil-nih.gov", False),
    ],
)
def test_subdomains_are_trusted_and_look_alikes_are_not(domain, trusted):
    assert is_trusted(domain, TRUSTED) is trusted


@given(prefix=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True))
def test_no_prefix_glued_to_a_trusted_domain_is_trusted(prefix):
    assert not is_trusted(f"{prefix}cdc.gov.attacker.net", TRUSTED)
    assert not is_trusted(f"{prefix}cdc.gov", TRUSTED)


@given(text=st.text(max_size=200))
def test_reading_any_typed_text_as_a_link_gives_a_domain_or_a_polite_refusal(text):
    try:
        domain = domain_of(text)
    except Invalid as error:
        assert error.field == "url"
    else:
        assert domain == domain.lower()
