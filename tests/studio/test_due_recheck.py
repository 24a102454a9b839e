"""A scheduled post meets the rules again when its time comes, or it is held back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bedside.education.services import update_article
from bedside.notify.models import Notification
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from bedside.studio.services import schedule
from bedside.studio.sweeps import publish_due_posts
from tests.education.conftest import CDC, article_text, reviewed_article
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician(practice):
    return member(practice, Role.CLINICIAN)


def _due(post):
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))


def test_an_article_edited_after_scheduling_goes_back_to_draft_and_its_author_is_told(
    practice, clinician
):
    article = reviewed_article(practice, clinician)
    schedule(by=clinician, post=article.post, at=timezone.now() + timedelta(days=1))
    # Edited after its review: what goes out would not be what the clinician signed off.
    update_article(
        by=clinician,
        article=article,
        text=article_text(body="Flu shots are now optional for everyone."),
        citations=(CDC,),
    )
    _due(article.post)

    assert publish_due_posts() == 0

    post = Post.objects.get(pk=article.post.pk)
    assert post.status == Status.DRAFT
    assert post.scheduled_at is None
    notice = Notification.objects.get(user=clinician, kind="post_held")
    assert post.title in notice.title
    assert "review" in notice.body.lower()


def test_a_reviewed_article_still_publishes_on_time(practice, clinician):
    article = reviewed_article(practice, clinician)
    schedule(by=clinician, post=article.post, at=timezone.now() + timedelta(days=1))
    _due(article.post)

    assert publish_due_posts() == 1
    assert Post.objects.get(pk=article.post.pk).status == Status.PUBLISHED
