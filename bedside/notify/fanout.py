"""The fan-out of a published post to every member of its practice, in resumable batches.

Each batch runs in one transaction holding the broadcast's row lock: it reads the next
members after ``last_membership_id``, applies each one's preferences, creates their
notifications and owed emails, and moves the cursor. A crash rolls the batch back whole,
so a rerun (the task again, or the sweep) starts from the last committed batch and creates
nothing twice. After each batch commits, one email task and one push call are enqueued.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bedside.notify.models import (
    Broadcast,
    BroadcastStatus,
    EmailDelivery,
    Notification,
    NotificationPreference,
)
from bedside.notify.rules import Choices, quiet_until, retry_delay
from bedside.posts.models import Post
from bedside.practices.models import Membership

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
RUN_LEASE = timedelta(minutes=5)
MAX_BROADCAST_ATTEMPTS = 8


@dataclass
class Recipient:
    user_id: int
    email: str
    choices: Choices


@dataclass
class Planned:
    """What one batch (or one ``notify_users`` call) created and still has to send."""

    email_ids: list[int] = field(default_factory=list)
    push_ids: list[int] = field(default_factory=list)
    in_app: int = 0
    created: int = 0


def choices_for(practice_id: int, user_ids: list[int]) -> dict[int, Choices]:
    preferences = NotificationPreference.objects.filter(
        practice_id=practice_id, user_id__in=user_ids
    )
    found = {preference.user_id: Choices.of(preference) for preference in preferences}
    return {user_id: found.get(user_id, Choices()) for user_id in user_ids}


def plan_notices(
    *,
    recipients: list[Recipient],
    practice_id: int,
    zone: str,
    post: Post | None,
    broadcast: Broadcast | None,
    kind: str,
    title: str,
    body: str,
    url: str,
    key: str,
    now: datetime,
) -> Planned:
    """Create the notifications and owed emails for ``recipients``; idempotent by ``key``."""
    wanted = [r for r in recipients if r.choices.wants(kind)]
    already = set(
        Notification.objects.filter(user_id__in=[r.user_id for r in wanted], key=key).values_list(
            "user_id", flat=True
        )
    )
    fresh = [r for r in wanted if r.user_id not in already]
    quiet = {
        r.user_id: quiet_until(r.choices.quiet_start, r.choices.quiet_end, now=now, zone=zone)
        for r in fresh
    }
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=r.user_id,
                practice_id=practice_id,
                post=post,
                kind=kind,
                title=title,
                body=body,
                url=url,
                key=key,
                in_app=r.choices.in_app,
                push_after=quiet[r.user_id] if r.choices.push and quiet[r.user_id] else None,
            )
            for r in fresh
        ],
        ignore_conflicts=True,
    )
    ids = dict(
        Notification.objects.filter(user_id__in=[r.user_id for r in fresh], key=key).values_list(
            "user_id", "id"
        )
    )
    mailed = [r for r in fresh if r.choices.wants_email and r.email and r.user_id in ids]
    EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(
                user_id=r.user_id,
                practice_id=practice_id,
                notification_id=ids[r.user_id],
                broadcast=broadcast,
                to=r.email,
                next_attempt_at=quiet[r.user_id] or now,
            )
            for r in mailed
        ],
        ignore_conflicts=True,
    )
    planned = Planned(
        push_ids=[
            ids[r.user_id]
            for r in fresh
            if r.choices.push and quiet[r.user_id] is None and r.user_id in ids
        ],
        in_app=sum(1 for r in fresh if r.choices.in_app),
        created=len(fresh),
    )
    due = [ids[r.user_id] for r in mailed if quiet[r.user_id] is None]
    if due:
        planned.email_ids = list(
            EmailDelivery.objects.filter(notification_id__in=due).values_list("id", flat=True)
        )
    return planned


def enqueue_delivery(planned: Planned, *, broadcast_id: int | None) -> None:
    """After the batch commits: one email task and one push task for it."""
    from bedside.notify import tasks  # the tasks module imports this one

    if planned.email_ids:
        tasks.send_email_batch_task.enqueue(planned.email_ids)
    if planned.push_ids:
        tasks.send_push_batch_task.enqueue(planned.push_ids, broadcast_id)


def run_batch(broadcast_id: int, *, now: datetime | None = None) -> bool:
    """Fan out the next batch. Returns False when the broadcast has nothing left to do."""
    now = now or timezone.now()
    with transaction.atomic():
        broadcast = (
            Broadcast.objects.select_for_update()
            .select_related("post__practice")
            .get(pk=broadcast_id)
        )
        if broadcast.status in (BroadcastStatus.DONE, BroadcastStatus.FAILED):
            return False
        post = broadcast.post
        members = list(
            Membership.objects.filter(
                practice_id=post.practice_id, id__gt=broadcast.last_membership_id
            )
            .order_by("id")
            .values_list("id", "user_id", "user__email")[:BATCH_SIZE]
        )
        if not members:
            broadcast.status = BroadcastStatus.DONE
            broadcast.finished_at = now
            broadcast.next_attempt_at = None
            broadcast.total = max(broadcast.total, broadcast.processed_count)
            broadcast.save(
                update_fields=["status", "finished_at", "next_attempt_at", "total", "updated_at"]
            )
            return False
        user_ids = [user_id for _, user_id, _ in members if user_id != post.author_id]
        choices = choices_for(post.practice_id, user_ids)
        planned = plan_notices(
            recipients=[
                Recipient(user_id=user_id, email=email, choices=choices[user_id])
                for _, user_id, email in members
                if user_id != post.author_id
            ],
            practice_id=post.practice_id,
            zone=post.practice.time_zone,
            post=post,
            broadcast=broadcast,
            kind=post.kind,
            title=post.title,
            body=f"New from {post.practice.name}",
            url=post.get_absolute_url(),
            key=f"post:{post.pk}",
            now=now,
        )
        broadcast.last_membership_id = members[-1][0]
        broadcast.processed_count += len(user_ids)
        broadcast.in_app_count += planned.in_app
        broadcast.status = BroadcastStatus.RUNNING
        broadcast.started_at = broadcast.started_at or now
        broadcast.next_attempt_at = now + RUN_LEASE
        broadcast.save(
            update_fields=[
                "last_membership_id",
                "processed_count",
                "in_app_count",
                "status",
                "started_at",
                "next_attempt_at",
                "updated_at",
            ]
        )
        transaction.on_commit(lambda: enqueue_delivery(planned, broadcast_id=broadcast_id))
    return True


def fan_out(broadcast_id: int, *, now: datetime | None = None) -> None:
    """Run every remaining batch; on an error, record it and leave the rest to a retry."""
    Broadcast.objects.filter(pk=broadcast_id).update(attempts=F("attempts") + 1)
    try:
        while run_batch(broadcast_id, now=now):
            pass
    except Exception as error:
        _record_failure(broadcast_id, error, now=now or timezone.now())
        raise


def _record_failure(broadcast_id: int, error: Exception, *, now: datetime) -> None:
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    final = broadcast.attempts >= MAX_BROADCAST_ATTEMPTS
    Broadcast.objects.filter(pk=broadcast_id).update(
        status=BroadcastStatus.FAILED if final else broadcast.status,
        next_attempt_at=None if final else now + retry_delay(broadcast.attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.exception(
        "Broadcast %s stopped after batch cursor %s", broadcast_id, broadcast.last_membership_id
    )
