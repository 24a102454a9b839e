from datetime import timedelta

import pytest
from django.utils import timezone

from bedside.core.errors import Invalid
from bedside.education.services import (
    approve_citation,
    decline_publication,
    sign_off_review,
    update_answer,
    update_education_settings,
)
from bedside.posts.models import Status
from bedside.studio.services import publish, schedule
from tests.education.conftest import BLOG, CDC, make_answer, make_article, reviewed_article
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_a_reviewed_article_with_a_trusted_source_is_published(practice, clinician):
    article = reviewed_article(practice, clinician)
    publish(by=clinician, post=article.post)
    article.post.refresh_from_db()
    assert article.post.status == Status.PUBLISHED


def test_an_article_without_a_source_is_not_published(practice, clinician, admin):
    update_education_settings(
        by=admin, practice=practice, review_valid_months=12, require_review=False
    )
    article = make_article(practice, clinician, citations=())
    with pytest.raises(Invalid, match="Cite at least one source"):
        publish(by=clinician, post=article.post)
    article.post.refresh_from_db()
    assert article.post.status == Status.DRAFT


def test_an_unreviewed_article_is_not_published_where_review_is_required(practice, clinician):
    article = make_article(practice, clinician)
    with pytest.raises(Invalid, match="sign off its medical review"):
        publish(by=clinician, post=article.post)
    with pytest.raises(Invalid, match="sign off its medical review"):
        schedule(by=clinician, post=article.post, at=timezone.now() + timedelta(days=1))
    article.post.refresh_from_db()
    assert article.post.status == Status.DRAFT


def test_a_practice_that_does_not_require_review_publishes_unreviewed_articles(
    practice, clinician, admin
):
    update_education_settings(
        by=admin, practice=practice, review_valid_months=12, require_review=False
    )
    article = make_article(practice, clinician)
    publish(by=clinician, post=article.post)
    assert article.post.is_published


def test_an_unapproved_source_outside_the_list_blocks_publishing_until_approved(
    practice, clinician
):
    article = make_article(practice, clinician, citations=(CDC, BLOG))
    sign_off_review(by=clinician, article=article)
    with pytest.raises(Invalid, match=r"healthy-blog\.example\.com"):
        publish(by=clinician, post=article.post)
    approve_citation(by=clinician, citation=article.citations.get(url=BLOG.url))
    publish(by=clinician, post=article.post)
    assert article.post.is_published


def test_an_expired_review_blocks_publishing(practice, clinician):
    article = reviewed_article(practice, clinician)
    type(article).objects.filter(pk=article.pk).update(
        review_due_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Invalid, match="expired"):
        publish(by=clinician, post=article.post)


def test_an_answer_with_identifiers_left_in_it_is_not_published(practice, patient, editor):
    answer = make_answer(
        practice,
        patient,
        editor,
        question_text="My DOB is 03/14/1962, can I take ibuprofen? Call me at 555-201-4477.",
    )
    with pytest.raises(Invalid) as caught:
        publish(by=editor, post=answer.post)
    assert "date of birth" in caught.value.message
    assert "phone number" in caught.value.message
    update_answer(
        by=editor,
        answer=answer,
        question_text="Can I take ibuprofen after a flu shot?",
        title=answer.post.title,
        body=answer.post.body,
    )
    publish(by=editor, post=answer.post)
    assert answer.post.is_published


def test_the_practices_own_phone_in_an_answer_is_not_an_identifier(practice, patient, editor):
    practice.phone = "(555) 010-2000"
    practice.save()
    answer = make_answer(
        practice, patient, editor, body="Call us at (555) 010-2000 if the arm stays red."
    )
    publish(by=editor, post=answer.post)
    assert answer.post.is_published


def test_an_answer_the_asker_declined_is_not_published(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    assert answer.question is not None
    decline_publication(asker=patient, question=answer.question)
    with pytest.raises(Invalid, match="declined"):
        publish(by=editor, post=answer.post)


def test_other_kinds_publish_as_before(practice, editor):
    post = PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
    publish(by=editor, post=post)
    assert post.is_published


def test_an_article_post_made_outside_the_article_editor_cannot_be_published(practice, editor):
    post = PostFactory(
        practice=practice, author=editor, kind="article", status=Status.DRAFT, published_at=None
    )
    with pytest.raises(Invalid, match="article editor"):
        publish(by=editor, post=post)
