"""The sweeps the clock runs (``manage.py clock`` calls ``run_all``): each finds rows that
need work and does it, idempotently, so a lost task or a worker restart loses nothing.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from bedside.notify import answers, community, contest_winners, reminders
from bedside.notify.fanout import RUN_LEASE
from bedside.notify.mail import send_email_batch
from bedside.notify.models import (
    Broadcast,
    BroadcastStatus,
    DeliveryStatus,
    EmailDelivery,
    Mode,
    Notification,
    NotificationPreference,
)
from bedside.notify.push import sweeps as push_sweeps
from bedside.notify.rules import DIGEST_HOUR, digest_window
from bedside.notify.safety_alerts import tell_moderators

logger = logging.getLogger(__name__)

EMAIL_BATCH = 1000
MAX_EMAIL_BATCHES_PER_SWEEP = 10


def retry_due_emails(*, now: datetime | None = None) -> int:
    """Send queued emails whose time has come: retries after back-off, the end of quiet
    hours, and batches whose task was lost. Returns how many the server accepted."""
    now = now or timezone.now()
    sent = 0
    for _ in range(MAX_EMAIL_BATCHES_PER_SWEEP):
        ids = list(
            EmailDelivery.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:EMAIL_BATCH]
        )
        if not ids:
            break
        sent += send_email_batch(ids, now=now)
    return sent


def resume_stalled_broadcasts(*, now: datetime | None = None) -> int:
    """Re-enqueue the fan-out of broadcasts that stopped (a crash, a lost task)."""
    from bedside.notify.tasks import fan_out_broadcast

    now = now or timezone.now()
    stalled = list(
        Broadcast.objects.filter(
            status__in=[BroadcastStatus.PENDING, BroadcastStatus.RUNNING],
            next_attempt_at__lte=now,
        ).values_list("id", flat=True)
    )
    for broadcast_id in stalled:
        # Claim it for a lease so the next tick does not enqueue it again meanwhile.
        if Broadcast.objects.filter(pk=broadcast_id, next_attempt_at__lte=now).update(
            next_attempt_at=now + RUN_LEASE
        ):
            fan_out_broadcast.enqueue(broadcast_id)
    return len(stalled)


def send_daily_digests(*, now: datetime | None = None) -> int:
    """Once a day from 8:00 in each practice's time zone, mail each digest reader the
    notices of the last day. One digest per person, practice and day (a unique row)."""
    now = now or timezone.now()
    readers = NotificationPreference.objects.filter(
        mode=Mode.DAILY_DIGEST, email=True, email_opted_out_at__isnull=True
    ).select_related("practice", "user")
    created: list[int] = []
    for preference in readers.iterator(chunk_size=1000):
        local = now.astimezone(ZoneInfo(preference.practice.time_zone))
        if local.time() < DIGEST_HOUR or not preference.user.email:
            continue
        day = local.date()
        if EmailDelivery.objects.filter(
            user_id=preference.user_id, practice_id=preference.practice_id, digest_on=day
        ).exists():
            continue
        start, end = digest_window(day, zone=preference.practice.time_zone)
        if not Notification.objects.filter(
            user_id=preference.user_id,
            practice_id=preference.practice_id,
            created_at__gt=start,
            created_at__lte=end,
        ).exists():
            continue
        try:
            with transaction.atomic():
                delivery = EmailDelivery.objects.create(
                    user_id=preference.user_id,
                    practice_id=preference.practice_id,
                    digest_on=day,
                    to=preference.user.email,
                    next_attempt_at=now,
                )
        except IntegrityError:
            continue  # another clock made it first
        created.append(delivery.pk)
    for offset in range(0, len(created), EMAIL_BATCH):
        send_email_batch(created[offset : offset + EMAIL_BATCH], now=now)
    return len(created)


def registry() -> list[tuple[str, Callable[[], object]]]:
    """Every notify sweep, in the order the clock runs them."""
    return [
        ("notify.safety_alerts.tell_moderators", tell_moderators),
        ("notify.resume_stalled_broadcasts", resume_stalled_broadcasts),
        ("notify.retry_due_emails", retry_due_emails),
        ("notify.send_daily_digests", send_daily_digests),
        ("notify.push.send_due_pushes", push_sweeps.send_due_pushes),
        ("notify.reminders.send_due_reminders", reminders.send_due_reminders),
        ("notify.reminders.announce_promotions", reminders.announce_promotions),
        ("notify.contest_winners", contest_winners.announce_contest_winners),
        ("notify.answers.tell_askers", answers.tell_askers),
        ("notify.community.tell_followers", community.tell_followers),
    ]


def run_all() -> dict[str, object]:
    """Run each sweep once, each on its own: one failing never stops the others."""
    results: dict[str, object] = {}
    for name, sweep in registry():
        try:
            results[name] = sweep()
        except Exception:
            logger.exception("Sweep %s failed", name)
            results[name] = None
    return results
