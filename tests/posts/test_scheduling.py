"""Scheduling a post, and publishing it when it is due, through the posts services."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.posts import services
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from tests.factories.posts import PostFactory
from tests.factories.practices import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def draft(practice, editor):
    return PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)


def soon(minutes=30):
    return timezone.now() + timedelta(minutes=minutes)


def test_a_draft_is_scheduled_for_a_time_in_the_future(draft, editor):
    at = soon()
    services.schedule_post(by=editor, post=draft, at=at)
    stored = Post.objects.get(pk=draft.pk)
    assert (stored.status, stored.scheduled_at, stored.published_at) == (Status.SCHEDULED, at, None)


@pytest.mark.parametrize("minutes", [0, -1, -60 * 24 * 365])
def test_a_time_now_or_in_the_past_is_refused_clearly(draft, editor, minutes):
    with pytest.raises(Invalid, match="in the future") as error:
        services.schedule_post(by=editor, post=draft, at=soon(minutes))
    assert error.value.field == "scheduled_at"
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


@pytest.mark.parametrize("at", [None, datetime(2099, 1, 1, 9, 0)])
def test_a_missing_or_zoneless_time_is_refused(draft, editor, at):
    with pytest.raises(Invalid) as error:
        services.schedule_post(by=editor, post=draft, at=at)
    assert error.value.field == "scheduled_at"


def test_a_published_post_cannot_be_scheduled(practice, editor):
    post = PostFactory(practice=practice, author=editor)
    with pytest.raises(Conflict):
        services.schedule_post(by=editor, post=post, at=soon())


def test_a_moderator_may_not_schedule(practice, draft):
    with pytest.raises(NotAllowed):
        services.schedule_post(by=member(practice, Role.MODERATOR), post=draft, at=soon())


def test_rescheduling_moves_the_time_and_unscheduling_makes_a_draft(draft, editor):
    services.schedule_post(by=editor, post=draft, at=soon(30))
    services.schedule_post(by=editor, post=draft, at=soon(90))
    assert Post.objects.get(pk=draft.pk).scheduled_at > soon(80)
    services.unschedule_post(by=editor, post=draft)
    stored = Post.objects.get(pk=draft.pk)
    assert (stored.status, stored.scheduled_at) == (Status.DRAFT, None)
    with pytest.raises(Conflict):
        services.unschedule_post(by=editor, post=draft)


def test_a_scheduled_post_is_not_published_before_its_time(draft, editor):
    services.schedule_post(by=editor, post=draft, at=soon())
    assert services.publish_due_post(post_id=draft.pk) is None
    assert services.due_post_ids() == []
    assert Post.objects.get(pk=draft.pk).status == Status.SCHEDULED


def test_a_due_post_is_published_once_however_often_it_is_asked(draft, editor):
    services.schedule_post(by=editor, post=draft, at=soon())
    with time_machine.travel(soon(31), tick=False):
        assert services.due_post_ids() == [draft.pk]
        published = services.publish_due_post(post_id=draft.pk)
        assert published is not None
        assert published.published_at == timezone.now()
        assert services.publish_due_post(post_id=draft.pk) is None
    assert Post.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_an_unscheduled_post_is_never_published_by_its_old_time(draft, editor):
    services.schedule_post(by=editor, post=draft, at=soon())
    services.unschedule_post(by=editor, post=draft)
    with time_machine.travel(soon(60)):
        assert services.publish_due_post(post_id=draft.pk) is None
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


def test_due_posts_come_oldest_first(practice, editor):
    posts = [
        PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
        for _ in range(3)
    ]
    for minutes, post in zip([20, 10, 30], posts, strict=True):
        services.schedule_post(by=editor, post=post, at=soon(minutes))
    with time_machine.travel(soon(45)):
        assert services.due_post_ids() == [posts[1].pk, posts[0].pk, posts[2].pk]
