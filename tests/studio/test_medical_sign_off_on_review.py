"""A clinician reviewing another author's article in the approval queue signs off its medical
review on the review page (they may not edit the article, where the form also lives) and
comes back there to approve; nobody is sent off the site by the form's ``next``."""

from datetime import date

import pytest
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.demo.seeding import seed_demo
from bedside.education.models import Article
from bedside.education.services import ArticleText, CitationInput, create_article
from bedside.posts.models import Kind, Post, Status
from bedside.practices.models import Role, User
from bedside.practices.permissions import Action, can
from bedside.studio import workflow
from tests.factories.posts import PostFactory
from tests.factories.practices import member
from tests.factories.studio import set_approval_policy

pytestmark = pytest.mark.django_db

SIGN_OFF = "Sign off the medical review"


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def clinician(practice):
    return member(practice, Role.CLINICIAN, user__full_name="Amelia Hart")


@pytest.fixture
def article(practice, editor):
    set_approval_policy(practice, {Kind.ARTICLE: ["clinician"]})
    article = create_article(
        by=editor,
        practice=practice,
        text=ArticleText(
            title="Clean hands", summary="Washing hands keeps colds away.", body="Use soap."
        ),
        citations=[
            CitationInput(
                url="https://www.cdc.gov/clean-hands/about/index.html",
                title="About Handwashing",
                publisher="CDC",
                accessed_on=date(2025, 1, 5),
            )
        ],
    )
    workflow.submit_for_review(by=editor, post=article.post)
    return article


def _review(post: Post) -> str:
    return reverse("studio_post_review", args=[post.practice.slug, post.pk])


def _sign_off(post: Post) -> str:
    return reverse("studio_article_review", args=[post.practice.slug, post.pk])


def test_a_clinician_who_may_not_edit_signs_off_on_the_review_page_and_comes_back(
    client, article, clinician
):
    post = article.post
    assert not can(clinician, Action.EDIT_POST, post)
    client.force_login(clinician)
    html = client.get(_review(post)).content.decode()
    assert SIGN_OFF in html and "Washing hands keeps colds away." in html
    assert "About Handwashing" in html and "Not reviewed yet." in html
    answer = client.post(_sign_off(post), {"next": _review(post)})
    assert answer.status_code == 302 and answer["Location"] == _review(post)
    article.refresh_from_db()
    assert article.reviewed_by == clinician and article.reviewer_name == "Amelia Hart"
    assert AuditEvent.objects.filter(action="article.review", actor_id=clinician.pk).count() == 1
    html = client.get(_review(post)).content.decode()
    assert SIGN_OFF not in html and "Medically reviewed by <strong>Amelia Hart</strong>" in html
    # … and approves in the same place.
    client.post(_review(post), {"action": "approve"})
    assert Post.objects.get(pk=post.pk).status == Status.APPROVED


@pytest.mark.parametrize(
    "back", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)", ""]
)
def test_a_next_off_the_site_is_ignored(client, article, clinician, back):
    client.force_login(clinician)
    answer = client.post(_sign_off(article.post), {"next": back})
    assert answer["Location"] == reverse(
        "studio_article_edit", args=[article.practice.slug, article.post_id]
    )
    article.refresh_from_db()
    assert article.reviewed_by == clinician


def test_an_editor_sees_the_review_state_but_no_sign_off(client, article, practice):
    other_editor = member(practice, Role.EDITOR)
    client.force_login(other_editor)
    html = client.get(_review(article.post)).content.decode()
    assert "medical-review-title" in html and SIGN_OFF not in html
    client.post(_sign_off(article.post), {"next": _review(article.post)})
    assert Article.objects.get(pk=article.pk).reviewed_by is None


def test_a_post_that_is_no_article_shows_no_medical_review(client, practice, editor, clinician):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: ["clinician"]})
    post = PostFactory(
        practice=practice, author=editor, kind=Kind.ANNOUNCEMENT, status=Status.DRAFT,
        published_at=None,
    )  # fmt: skip
    workflow.submit_for_review(by=editor, post=post)
    client.force_login(clinician)
    html = client.get(_review(post)).content.decode()
    assert "medical-review-title" not in html and SIGN_OFF not in html


def test_the_demo_clinician_finds_the_sign_off_on_the_waiting_articles_review_page(client):
    seed_demo()
    post = Post.objects.filter(kind=Kind.ARTICLE, status=Status.IN_REVIEW).get()
    client.force_login(User.objects.get(email="clinician@riverside.example"))
    html = client.get(_review(post)).content.decode()
    assert SIGN_OFF in html and 'id="medical-review-state"' in html
