"""Notification email: built with HTML and text parts and the RFC 8058 unsubscribe headers,
sent in batches over one SMTP connection, each delivery recorded as it goes.

A batch first *claims* its due rows by moving their ``next_attempt_at`` a lease ahead, so a
sweep running at the same time leaves them alone; each email is marked sent the moment the
server accepts it, so a crash part-way loses nothing and a rerun sends nothing twice.
Failures are recorded on the row with a capped exponential back-off; they never stop the
rest of the batch.
"""

import logging
import smtplib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bedside.notify.models import Broadcast, DeliveryStatus, EmailDelivery, Notification
from bedside.notify.rules import (
    MAX_EMAIL_ATTEMPTS,
    digest_window,
    retry_delay,
    unsubscribe_token,
)

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)


def absolute(url: str) -> str:
    return url if urlsplit(url).scheme else f"{settings.SITE_URL}{url}"


def unsubscribe_url(*, user_id: int, practice_id: int) -> str:
    token = unsubscribe_token(user_id=user_id, practice_id=practice_id)
    return absolute(reverse("notify_unsubscribe", kwargs={"token": token}))


def _unsubscribe_mailto(unsubscribe_link: str) -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    return (
        f"mailto:{address}?subject=unsubscribe%20{unsubscribe_link.rstrip('/').rsplit('/', 1)[-1]}"
    )


def build_email(delivery: EmailDelivery, notices: Sequence[Notification]) -> EmailMultiAlternatives:
    """The message for ``delivery``: one notice, or a day's notices for a digest."""
    practice = delivery.practice
    link = unsubscribe_url(user_id=delivery.user_id, practice_id=delivery.practice_id)
    context = {
        "practice": practice,
        "notices": [(notice, absolute(notice.url)) for notice in notices],
        "is_digest": delivery.digest_on is not None,
        "unsubscribe_url": link,
        "preferences_url": absolute(reverse("notify_preferences", args=[practice.slug])),
    }
    if delivery.digest_on is not None:
        subject = f"{practice.name}: your daily summary ({len(notices)} new)"
    else:
        subject = f"{practice.name}: {notices[0].title}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notify/email/notice.txt", context),
        to=[delivery.to],
        headers={
            "List-Unsubscribe": f"<{link}>, <{_unsubscribe_mailto(link)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("notify/email/notice.html", context), "text/html")
    return message


def _claim(delivery_ids: Iterable[int], *, now: datetime) -> list[int]:
    """Take the due, unsent rows among ``delivery_ids`` for the length of a lease."""
    with transaction.atomic():
        ids = list(
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                id__in=list(delivery_ids), status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
            )
            .order_by("id")
            .values_list("id", flat=True)
        )
        EmailDelivery.objects.filter(id__in=ids).update(next_attempt_at=now + CLAIM_LEASE)
    return ids


def _digest_notices(delivery: EmailDelivery) -> list[Notification]:
    assert delivery.digest_on is not None
    start, end = digest_window(delivery.digest_on, zone=delivery.practice.time_zone)
    return list(
        Notification.objects.filter(
            user_id=delivery.user_id,
            practice_id=delivery.practice_id,
            created_at__gt=start,
            created_at__lte=end,
        ).order_by("-created_at", "-id")[:50]
    )


def _record_sent(delivery: EmailDelivery, *, now: datetime) -> None:
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )


def _count_sent(deliveries: Sequence[EmailDelivery], sent_ids: set[int]) -> None:
    """Add the batch's accepted emails to each broadcast's progress, in one update each."""
    by_broadcast: dict[int, int] = {}
    for delivery in deliveries:
        if delivery.pk in sent_ids and delivery.broadcast_id is not None:
            by_broadcast[delivery.broadcast_id] = by_broadcast.get(delivery.broadcast_id, 0) + 1
    for broadcast_id, count in by_broadcast.items():
        Broadcast.objects.filter(pk=broadcast_id).update(
            email_sent_count=F("email_sent_count") + count
        )


def _record_failure(delivery: EmailDelivery, error: BaseException, *, now: datetime) -> None:
    attempts = delivery.attempts + 1
    final = attempts >= MAX_EMAIL_ATTEMPTS
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED,
        attempts=attempts,
        next_attempt_at=now + retry_delay(attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    if final and delivery.broadcast_id is not None:
        Broadcast.objects.filter(pk=delivery.broadcast_id).update(
            email_failed_count=F("email_failed_count") + 1
        )
    logger.warning("Email delivery %s failed (attempt %s): %s", delivery.pk, attempts, error)


def _release(delivery_ids: Iterable[int], *, now: datetime) -> None:
    """Hand back claimed rows not yet sent, so a rerun can take them at once."""
    EmailDelivery.objects.filter(
        id__in=list(delivery_ids), status=DeliveryStatus.QUEUED, next_attempt_at__gt=now
    ).update(next_attempt_at=now)


def send_email_batch(delivery_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Send the due deliveries among ``delivery_ids`` over one SMTP connection.

    Returns how many the server accepted. Safe to run twice and after a crash.
    """
    now = now or timezone.now()
    claimed = _claim(delivery_ids, now=now)
    if not claimed:
        return 0
    deliveries = list(
        EmailDelivery.objects.filter(id__in=claimed)
        .select_related("practice", "notification")
        .order_by("id")
    )
    pending = {delivery.pk for delivery in deliveries}
    sent_ids: set[int] = set()
    connection: BaseEmailBackend = mailers.default
    try:
        connection.open()
        for delivery in deliveries:
            notices = (
                [delivery.notification] if delivery.notification else _digest_notices(delivery)
            )
            if not notices:
                EmailDelivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.SENT, sent_at=now, last_error="Nothing to send."
                )
                pending.discard(delivery.pk)
                continue
            message = build_email(delivery, notices)
            try:
                connection.send_messages([message])
            except smtplib.SMTPServerDisconnected as error:
                _record_failure(delivery, error, now=now)
                pending.discard(delivery.pk)
                connection = _reconnect(connection)
                continue
            except (smtplib.SMTPException, OSError, ValueError) as error:
                _record_failure(delivery, error, now=now)
                pending.discard(delivery.pk)
                continue
            _record_sent(delivery, now=timezone.now())
            pending.discard(delivery.pk)
            sent_ids.add(delivery.pk)
    except (smtplib.SMTPException, OSError) as error:
        # The server cannot be reached at all: every remaining row waits for its back-off.
        for delivery in deliveries:
            if delivery.pk in pending:
                _record_failure(delivery, error, now=now)
        pending.clear()
    finally:
        _release(pending, now=now)
        _count_sent(deliveries, sent_ids)
        connection.close()
    return len(sent_ids)


def _reconnect(connection: BaseEmailBackend) -> BaseEmailBackend:
    """After the server hung up: a fresh connection for the rest (raises if it is down)."""
    connection.close()
    fresh: BaseEmailBackend = mailers.default
    fresh.open()
    return fresh
