"""The clock's sweeps: stalled broadcasts resume, daily digests go once in the morning."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from bedside.notify import fanout, sweeps
from bedside.notify.models import (
    Broadcast,
    BroadcastStatus,
    EmailDelivery,
    Mode,
    Notification,
    NotificationPreference,
)
from tests.notify.conftest import published, run_broadcast

pytestmark = pytest.mark.django_db


def test_a_stalled_broadcast_is_resumed_by_the_sweep_and_finishes(
    practice, editor, patients, sink, committed
):
    post = published(practice, editor)
    broadcast = Broadcast.objects.create(post=post, total=5, next_attempt_at=timezone.now())

    with committed(execute=True):
        assert sweeps.resume_stalled_broadcasts() == 1

    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    assert Notification.objects.filter(post=post).count() == 5
    assert len(sink.messages) == 5


def test_a_running_broadcast_within_its_lease_is_left_alone(practice, editor, patients):
    post = published(practice, editor)
    Broadcast.objects.create(
        post=post,
        status=BroadcastStatus.RUNNING,
        next_attempt_at=timezone.now() + fanout.RUN_LEASE,
    )

    assert sweeps.resume_stalled_broadcasts() == 0
    assert not Notification.objects.exists()


def test_digest_readers_get_one_email_a_day_after_eight_in_the_practice_zone(
    practice, editor, patients, sink, committed
):
    practice.time_zone = "America/New_York"
    practice.save()
    reader = patients[0]
    NotificationPreference.objects.create(user=reader, practice=practice, mode=Mode.DAILY_DIGEST)
    first = published(practice, editor, title="First")
    second = published(practice, editor, title="Second")
    run_broadcast(first, committed)
    run_broadcast(second, committed)
    assert reader.email not in sink.recipients()  # no immediate email for a digest reader
    today = timezone.now().astimezone(UTC).date()
    # 11:00 UTC is 6:00 or 7:00 in New York (winter or summer time): before the digest hour.
    before_eight = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=11)
    after_eight = before_eight + timedelta(hours=3)

    assert sweeps.send_daily_digests(now=before_eight - timedelta(hours=12)) == 0
    Notification.objects.update(created_at=after_eight - timedelta(hours=2))
    assert sweeps.send_daily_digests(now=before_eight) == 0
    assert sweeps.send_daily_digests(now=after_eight) == 1
    assert sweeps.send_daily_digests(now=after_eight + timedelta(hours=1)) == 0

    digest = sink.to(reader.email)
    assert len(digest) == 1
    text = digest[0].get_body(("plain",)).get_content()
    assert "First" in text and "Second" in text
    assert "daily summary (2 new)" in digest[0]["Subject"]
    assert EmailDelivery.objects.get(user=reader).digest_on is not None


def test_run_all_runs_every_sweep_even_when_one_fails(monkeypatch):
    calls = []

    def broken() -> None:
        calls.append("broken")
        raise RuntimeError("boom")

    monkeypatch.setattr(
        sweeps, "registry", lambda: [("broken", broken), ("fine", lambda: calls.append("fine"))]
    )

    results = sweeps.run_all()

    assert calls == ["broken", "fine"]
    assert results["broken"] is None
