"""The demo shows the approval workflow: Riverside's policy, and posts waiting in review."""

import pytest
from django.utils import timezone

from bedside.demo.seeding import seed_demo
from bedside.posts.models import Kind, Post, Status
from bedside.practices.models import User
from bedside.studio.approvals import approval_state, policies_of, review_queue
from bedside.studio.models import Approver
from bedside.studio.services import publish_due

pytestmark = pytest.mark.django_db


def test_the_demo_asks_clinicians_for_articles_and_admins_for_announcements():
    seed_demo()
    post = Post.objects.filter(kind=Kind.ARTICLE, status=Status.IN_REVIEW).get()
    practice = post.practice
    policies = policies_of(practice)
    assert policies[Kind.ARTICLE] == {Approver.CLINICIAN}
    assert policies[Kind.ANNOUNCEMENT] == {Approver.ADMIN}
    assert policies[Kind.EVENT] == frozenset()
    clinician = User.objects.get(email="clinician@riverside.example")
    admin = User.objects.get(email="admin@riverside.example")
    assert [item.post for item in review_queue(practice, clinician)] == [post]
    waiting = [item.post.title for item in review_queue(practice, admin)]
    assert waiting == ["Evening hours on Thursdays from next month"]


def test_the_demos_scheduled_announcements_are_approved_and_still_publish_when_due():
    seed_demo()
    scheduled = list(Post.objects.filter(status=Status.SCHEDULED))
    assert len(scheduled) == 2
    for post in scheduled:
        assert approval_state(post).is_complete
        Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now())
        assert publish_due(post_id=post.pk) is not None
