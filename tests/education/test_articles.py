from datetime import date, timedelta

import pytest
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.education.models import ArticleFormat, EducationSettings, TrustedSource
from bedside.education.services import (
    ArticleText,
    CitationInput,
    add_trusted_source,
    approve_citation,
    education_settings_of,
    parse_tags,
    remove_trusted_source,
    review_state,
    sign_off_review,
    trusted_domains,
    update_article,
    update_education_settings,
)
from bedside.education.sources import DEFAULT_TRUSTED_SOURCES
from bedside.posts.models import Kind
from bedside.posts.services import update_post
from tests.education.conftest import BLOG, CDC, article_text, make_article, reviewed_article

pytestmark = pytest.mark.django_db


def test_an_article_is_a_draft_post_of_its_kind_with_its_sources_and_tags(practice, clinician):
    article = make_article(practice, clinician, citations=(CDC, BLOG))
    assert article.post.kind == Kind.ARTICLE
    assert article.post.status == "draft"
    assert [c.domain for c in article.citations.all()] == ["cdc.gov", "healthy-blog.example.com"]
    assert sorted(tag.slug for tag in article.tags.all()) == ["flu", "vaccines"]


def test_a_source_must_be_an_http_link_with_a_title_and_publisher(practice, clinician):
    for bad in (
        CitationInput("javascript:alert(1)", "x", "y", date(2026, 1, 1)),
        CitationInput("https://cdc.gov/", "", "CDC", date(2026, 1, 1)),
        CitationInput("https://cdc.gov/", "Flu", " ", date(2026, 1, 1)),
    ):
        with pytest.raises(Invalid) as caught:
            make_article(practice, clinician, citations=(bad,))
        assert caught.value.field == "citations"


def test_a_source_cannot_have_been_read_in_the_future(practice, clinician):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(Invalid, match="future"):
        make_article(
            practice, clinician, citations=(CitationInput(CDC.url, "Flu", "CDC", tomorrow),)
        )


def test_a_myth_vs_fact_post_needs_the_myth_and_the_fact(practice, clinician):
    with pytest.raises(Invalid) as caught:
        make_article(practice, clinician, format=ArticleFormat.MYTH_FACT, myth="Shots give flu")
    assert caught.value.field == "fact"
    article = make_article(
        practice,
        clinician,
        format=ArticleFormat.MYTH_FACT,
        myth="The flu shot gives you the flu.",
        fact="It cannot: it holds no live virus.",
    )
    assert article.is_myth_fact


def test_tags_are_split_on_commas_deduplicated_and_limited():
    assert parse_tags("Heart health, flu,, FLU ") == [
        ("heart-health", "Heart health"),
        ("flu", "flu"),
    ]
    with pytest.raises(Invalid):
        parse_tags(",".join(f"tag{i}" for i in range(9)))


def test_only_a_clinician_signs_off_a_review(practice, clinician, editor):
    article = make_article(practice, editor)
    with pytest.raises(NotAllowed):
        sign_off_review(by=editor, article=article)
    signed = sign_off_review(by=clinician, article=article)
    assert signed.reviewer_name == "Dr. Ana Patel"
    assert review_state(signed) == "current"


def test_a_review_needs_a_source_first(practice, clinician):
    article = make_article(practice, clinician, citations=())
    with pytest.raises(Conflict, match="Cite"):
        sign_off_review(by=clinician, article=article)


def test_editing_the_words_after_review_asks_for_review_again(practice, clinician):
    article = reviewed_article(practice, clinician)
    update_article(
        by=clinician,
        article=article,
        text=article_text(body="The flu shot is safe. Get it every fall, and wash your hands."),
        citations=[CDC],
    )
    assert review_state(article) == "changed"


def test_editing_only_the_tags_or_sources_keeps_the_review(practice, clinician):
    article = reviewed_article(practice, clinician)
    update_article(
        by=clinician, article=article, text=article_text(tags="flu"), citations=[CDC, BLOG]
    )
    assert review_state(article) == "current"


def test_editing_the_body_from_the_studio_post_page_also_asks_for_review(practice, clinician):
    article = reviewed_article(practice, clinician)
    post = article.post
    update_post(
        by=clinician, post=post, kind=Kind.ARTICLE, topic=post.topic, title=post.title,
        body=post.body + " Also new advice.", visibility=post.visibility,
    )  # fmt: skip
    article.refresh_from_db()
    assert review_state(article) == "changed"


def test_a_review_expires_after_the_practice_setting(practice, clinician, admin):
    update_education_settings(
        by=admin, practice=practice, review_valid_months=6, require_review=True
    )
    article = reviewed_article(practice, clinician)
    assert article.review_due_at is not None and article.reviewed_at is not None
    months = (article.review_due_at - article.reviewed_at).days / 30.4
    assert 5.8 < months < 6.2
    later = article.review_due_at + timedelta(seconds=1)
    assert review_state(article, now=later) == "expired"


def test_the_review_setting_is_between_1_and_60_months(practice, admin):
    with pytest.raises(Invalid):
        update_education_settings(
            by=admin, practice=practice, review_valid_months=0, require_review=True
        )


def test_a_clinician_approves_a_source_outside_the_trusted_list(practice, clinician, editor):
    article = make_article(practice, editor, citations=(BLOG,))
    citation = article.citations.get()
    with pytest.raises(NotAllowed):
        approve_citation(by=editor, citation=citation)
    approve_citation(by=clinician, citation=citation)
    assert citation.approved_by == clinician


def test_an_approval_survives_an_edit_that_keeps_the_link(practice, clinician):
    article = make_article(practice, clinician, citations=(BLOG,))
    approve_citation(by=clinician, citation=article.citations.get())
    update_article(by=clinician, article=article, text=article_text(), citations=[CDC, BLOG])
    kept = article.citations.get(url=BLOG.url)
    assert kept.approved_by == clinician
    assert article.citations.get(url=CDC.url).approved_at is None


def test_the_trusted_list_is_seeded_once_on_first_use(practice):
    domains = trusted_domains(practice)
    assert set(domains) == {domain for domain, _ in DEFAULT_TRUSTED_SOURCES}
    assert {"cdc.gov", "medlineplus.gov", "who.int", "mayoclinic.org"} <= set(domains)
    TrustedSource.objects.filter(practice=practice, domain="cdc.gov").delete()
    assert "cdc.gov" not in trusted_domains(practice)
    assert EducationSettings.objects.filter(practice=practice).count() == 1


def test_admins_edit_the_trusted_list_and_others_may_not(practice, admin, clinician):
    education_settings_of(practice)
    with pytest.raises(NotAllowed):
        add_trusted_source(by=clinician, practice=practice, domain="example.org", name="Ex")
    source = add_trusted_source(
        by=admin, practice=practice, domain="https://www.Example.org/x", name="Example"
    )
    assert source.domain == "example.org"
    with pytest.raises(Invalid, match="already"):
        add_trusted_source(by=admin, practice=practice, domain="example.org", name="Again")
    remove_trusted_source(by=admin, source=source)
    assert "example.org" not in trusted_domains(practice)


def test_summary_is_required(practice, clinician):
    with pytest.raises(Invalid) as caught:
        make_article(practice, clinician, summary="  ")
    assert caught.value.field == "summary"


def test_article_text_defaults_to_a_standard_public_article():
    text = ArticleText(title="t", summary="s", body="b")
    assert (text.format, text.visibility) == (ArticleFormat.STANDARD, "public")
