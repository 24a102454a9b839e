"""Broadcasting a published post: every member hears of it once, as they chose, in batches."""

from datetime import UTC, datetime, time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bedside.core.errors import Conflict
from bedside.notify import fanout
from bedside.notify.models import (
    Broadcast,
    BroadcastStatus,
    DeliveryStatus,
    EmailDelivery,
    Mode,
    Notification,
    NotificationPreference,
)
from bedside.notify.services import start_broadcast
from bedside.posts.models import Kind, Status
from tests.factories import PostFactory, member
from tests.notify.conftest import published, run_broadcast

pytestmark = pytest.mark.django_db


def prefer(user: Any, practice: Any, **choices: Any) -> NotificationPreference:
    return NotificationPreference.objects.create(user=user, practice=practice, **choices)


def test_every_member_but_the_author_gets_one_notification_and_one_email(
    practice, editor, patients, sink, committed
):
    post = published(practice, editor, title="Saturday hours")

    broadcast = run_broadcast(post, committed)

    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    assert broadcast.total == broadcast.processed_count == 5
    assert broadcast.in_app_count == 5 and broadcast.email_sent_count == 5
    notified = Notification.objects.filter(post=post)
    assert sorted(notified.values_list("user_id", flat=True)) == sorted(p.pk for p in patients)
    assert not notified.filter(user=editor).exists()
    assert notified.first().url == post.get_absolute_url()
    assert sorted(sink.recipients()) == sorted(p.email for p in patients)
    assert all(m["Subject"] == f"{practice.name}: Saturday hours" for _, m in sink.messages)


def test_starting_twice_broadcasts_once(practice, editor, patients, sink, committed):
    post = published(practice, editor)

    first = run_broadcast(post, committed)
    second = run_broadcast(post, committed)

    assert first.pk == second.pk
    assert Broadcast.objects.count() == 1
    assert Notification.objects.filter(post=post).count() == 5
    assert len(sink.messages) == 5


def test_a_draft_cannot_be_broadcast(practice, editor):
    draft = PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)

    with pytest.raises(Conflict):
        start_broadcast(post=draft)
    assert not Broadcast.objects.exists()


def test_batches_move_the_cursor_and_send_one_email_task_per_batch(
    practice, editor, patients, sink, monkeypatch, committed
):
    monkeypatch.setattr(fanout, "BATCH_SIZE", 2)
    post = published(practice, editor)

    broadcast = run_broadcast(post, committed)

    broadcast.refresh_from_db()
    last = practice.memberships.order_by("-id").first()
    assert broadcast.last_membership_id == last.pk
    assert broadcast.processed_count == 5
    # Three batches of members (2 + 2 + 1, the editor skipped inside one): one SMTP
    # connection for each batch's emails, never one per email.
    assert sink.connections == 3
    assert len(sink.messages) == 5


def test_a_crash_in_the_middle_of_a_batch_resumes_without_duplicates(
    practice, editor, patients, sink, monkeypatch, committed
):
    monkeypatch.setattr(fanout, "BATCH_SIZE", 2)
    post = published(practice, editor)
    real_plan = fanout.plan_notices
    calls = {"n": 0}

    def crash_on_second_batch(**kwargs: Any) -> fanout.Planned:
        calls["n"] += 1
        planned = real_plan(**kwargs)  # rows written, then the worker dies mid-batch
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return planned

    monkeypatch.setattr(fanout, "plan_notices", crash_on_second_batch)
    with pytest.raises(RuntimeError), committed(execute=True):
        fanout.fan_out(start_broadcast_without_task(post).pk)

    broadcast = Broadcast.objects.get(post=post)
    assert broadcast.status == BroadcastStatus.RUNNING
    # The first batch (the editor, skipped, and one patient) committed; the second rolled back.
    assert broadcast.processed_count == 1
    assert "worker killed" in broadcast.last_error
    assert Notification.objects.filter(post=post).count() == 1
    assert len(sink.messages) == 1

    monkeypatch.setattr(fanout, "plan_notices", real_plan)
    with committed(execute=True):
        fanout.fan_out(broadcast.pk)

    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    assert broadcast.processed_count == 5 and broadcast.in_app_count == 5
    assert Notification.objects.filter(post=post).count() == 5
    assert sorted(sink.recipients()) == sorted(p.email for p in patients)


def start_broadcast_without_task(post: Any) -> Broadcast:
    """The broadcast row as ``start_broadcast`` makes it, with its task not yet run."""
    return Broadcast.objects.create(post=post, total=5, next_attempt_at=post.published_at)


def test_muted_kinds_and_channels_are_respected(practice, editor, patients, sink, committed):
    muted, app_only, no_app, digest, unsubscribed = patients
    prefer(muted, practice, muted_kinds=[Kind.ANNOUNCEMENT])
    prefer(app_only, practice, email=False, push=False)
    prefer(no_app, practice, in_app=False)
    prefer(digest, practice, mode=Mode.DAILY_DIGEST)
    prefer(unsubscribed, practice, email_opted_out_at=datetime(2025, 1, 1, tzinfo=UTC))
    post = published(practice, editor, kind=Kind.ANNOUNCEMENT)

    broadcast = run_broadcast(post, committed)

    notified = Notification.objects.filter(post=post)
    assert not notified.filter(user=muted).exists()
    assert notified.get(user=app_only).in_app
    assert not notified.get(user=no_app).in_app  # still owed an email, not in the centre
    assert notified.get(user=digest).in_app
    assert sink.recipients() == [no_app.email]
    broadcast.refresh_from_db()
    assert broadcast.in_app_count == 3 and broadcast.email_sent_count == 1


def test_quiet_hours_defer_the_email_to_their_end(
    practice, editor, patients, sink, settings, committed
):
    practice.time_zone = "UTC"
    practice.save()
    sleeper = patients[0]
    now = datetime.now(UTC)
    start = time((now.hour - 1) % 24, 0)
    end = time((now.hour + 2) % 24, 0)
    prefer(sleeper, practice, quiet_start=start, quiet_end=end)
    post = published(practice, editor)

    run_broadcast(post, committed)

    delivery = EmailDelivery.objects.get(user=sleeper)
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.next_attempt_at > now
    assert delivery.next_attempt_at.astimezone(UTC).time() == end
    assert sleeper.email not in sink.recipients()
    assert len(sink.messages) == 4
    assert Notification.objects.get(user=sleeper).push_after == delivery.next_attempt_at


def test_members_of_other_practices_hear_nothing(practice, other_practice, editor, sink, committed):
    outsider = member(other_practice)
    post = published(practice, editor)

    run_broadcast(post, committed)

    assert not Notification.objects.filter(user=outsider).exists()
    assert sink.messages == []


def test_a_batch_costs_the_same_queries_for_10_or_110_members(practice, editor, monkeypatch):
    def queries_for(count: int) -> int:
        for _ in range(count):
            member(practice)
        post = published(practice, editor)
        broadcast = Broadcast.objects.create(post=post, total=count)
        monkeypatch.setattr(fanout, "enqueue_delivery", lambda planned, broadcast_id: None)
        with CaptureQueriesContext(connection) as captured:
            fanout.run_batch(broadcast.pk)
        return len(captured)

    assert queries_for(10) == queries_for(100)
