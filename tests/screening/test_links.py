import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.core.sanitizer import render_markdown
from bedside.education.services import education_settings_of
from bedside.screening.links import NOTE, NOTE_HTML, label_unreviewed, unreviewed_links
from tests.factories.practices import PracticeFactory

TRUSTED = ["cdc.gov", "diabetes.org"]


def test_links_outside_the_trusted_list_are_listed_once_each_in_order():
    text = (
        "See https://www.cdc.gov/diabetes and [this cure](https://quack.example.com/cure?a=1). "
        "Also www.miracle-pills.biz, and again https://quack.example.com/cure?a=1."
    )

    assert unreviewed_links(text, TRUSTED) == [
        "https://quack.example.com/cure?a=1",
        "www.miracle-pills.biz",
    ]


def test_subdomains_are_trusted_and_look_alikes_are_not():
    text = (
        "https://wwwnc.cdc.gov/travel https://cdc.gov.evil.example/x https://notcdc.gov/ "
        "http://DIABETES.ORG/food"
    )

    assert unreviewed_links(text, TRUSTED) == [
        "https://cdc.gov.evil.example/x",
        "https://notcdc.gov/",
    ]


def test_site_links_mail_links_and_plain_words_are_not_web_links_to_review():
    text = (
        '[home](/p/riverside/) <a href="mailto:x@example.com">mail</a> ftp://files.example.com e.g.'
    )

    assert unreviewed_links(text, TRUSTED) == []


def test_sanitized_html_gets_a_note_after_each_unreviewed_link_only():
    html = render_markdown(
        "Read [the CDC](https://www.cdc.gov/flu) and [my blog](https://blog.example.com/a?b=1&c=2) "
        "or https://forum.example.net/t."
    )

    labelled = label_unreviewed(html, TRUSTED)

    assert labelled.count(NOTE) == 2
    assert f">my blog</a>{NOTE_HTML}" in labelled
    assert f"https://forum.example.net/t{NOTE_HTML}." in labelled
    assert f">the CDC</a>{NOTE_HTML}" not in labelled
    assert unreviewed_links(html, TRUSTED) == [
        "https://blog.example.com/a?b=1&c=2",
        "https://forum.example.net/t",
    ]


@pytest.mark.django_db
def test_the_template_filter_reads_the_practices_trusted_list_once_per_page(
    django_assert_num_queries,
):
    practice = PracticeFactory()
    education_settings_of(practice)  # seeds the default list (cdc.gov among them)
    template = Template(
        "{% load sources %}{% for html in replies %}{{ html|label_unreviewed_links:practice }}"
        "{% endfor %}"
    )
    replies = [
        mark_safe(render_markdown(f"[cdc](https://cdc.gov/{n}) [x](https://x{n}.example.com)"))  # noqa: S308
        for n in range(10)
    ]

    with django_assert_num_queries(2):  # the settings row, then the trusted list
        out = template.render(Context({"replies": replies, "practice": practice}))

    assert out.count(NOTE) == 10


def test_the_template_filter_escapes_text_that_was_not_sanitized():
    template = Template("{% load sources %}{{ text|label_unreviewed_links:domains }}")

    out = template.render(
        Context({"text": "<script>alert(1)</script> https://bad.example.com", "domains": TRUSTED})
    )

    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert out.endswith(f"https://bad.example.com{NOTE_HTML}")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_without_crashing_and_labelling_only_adds_notes(text):
    links = unreviewed_links(text, TRUSTED)
    labelled = label_unreviewed(text, TRUSTED)

    assert all(isinstance(link, str) for link in links)
    assert labelled.replace(NOTE_HTML, "") == text
