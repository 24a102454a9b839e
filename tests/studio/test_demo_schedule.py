"""The demo seed schedules two announcements at Riverside for the coming days."""

import pytest
from django.utils import timezone

from bedside.demo.seeding import seed_demo
from bedside.posts.models import AnnouncementType, Kind, Post, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_announcements_scheduled_for_the_coming_days():
    seed_demo()
    scheduled = list(Post.objects.filter(status=Status.SCHEDULED).order_by("scheduled_at"))
    assert [post.announcement_type for post in scheduled] == [
        AnnouncementType.AWARD,
        AnnouncementType.NEW_SERVICE,
    ]
    assert all(post.kind == Kind.ANNOUNCEMENT for post in scheduled)
    assert all(post.scheduled_at > timezone.now() for post in scheduled)
    assert all(post.author.email.startswith("editor@") for post in scheduled)
