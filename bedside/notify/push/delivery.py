"""Sending web push: one encrypted request per (notification, browser), per RFC 8030.

``send_push_batch`` is what the fan-out and ``notify_users`` call after they create
notifications; ``send_due_pushes`` (in ``sweeps``) retries what failed and sends what
waited for the end of quiet hours. A push service's answer decides each row's fate:
201 sent; 404/410 the browser unsubscribed, so the subscription is removed; 429 and 5xx,
or no answer at all, retried with capped exponential back-off; other 4xx failed for good.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from py_vapid import Vapid  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

from bedside.notify.models import Notification
from bedside.notify.push.keys import configured_vapid, is_push_configured
from bedside.notify.push.models import TRANSITIONS, PushDelivery, PushStatus, PushSubscription

logger = logging.getLogger(__name__)

PUSH_TIMEOUT_SECONDS = 10
# How long a push service keeps a push for a browser that is offline.
PUSH_TTL_SECONDS = 24 * 60 * 60
MAX_PUSH_ATTEMPTS = 6
# A row being sent is leased for this long; after it, a sweep may send it again.
SENDING_LEASE = timedelta(minutes=5)
GONE = frozenset({404, 410})
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def send_push_batch(notification_ids: Iterable[int]) -> int:
    """Push these notifications to every browser their people subscribed.

    Safe to call twice: each (notification, subscription) pair is pushed once. A
    notification whose ``push_after`` is still ahead (quiet hours) waits for the sweep.
    Returns how many pushes the push services accepted.
    """
    ids = list(notification_ids)
    if not ids or not is_push_configured():
        return 0
    now = timezone.now()
    queue_pushes(ids, now=now)
    due = PushDelivery.objects.filter(
        notification_id__in=ids, status=PushStatus.QUEUED, next_attempt_at__lte=now
    )
    return send_deliveries(due, now=now)


def queue_pushes(notification_ids: list[int], *, now: datetime) -> int:
    """Create the delivery rows owed for notifications that may be pushed by ``now``."""
    ready = Notification.objects.filter(pk__in=notification_ids).filter(
        Q(push_after__isnull=True) | Q(push_after__lte=now)
    )
    owners = dict(ready.values_list("pk", "user_id"))
    browsers: dict[int, list[int]] = defaultdict(list)
    for subscription_id, user_id in PushSubscription.objects.filter(
        user_id__in=set(owners.values())
    ).values_list("pk", "user_id"):
        browsers[user_id].append(subscription_id)
    rows = [
        PushDelivery(notification_id=notification_id, subscription_id=sub_id, next_attempt_at=now)
        for notification_id, user_id in owners.items()
        for sub_id in browsers[user_id]
    ]
    with transaction.atomic():
        PushDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        Notification.objects.filter(pk__in=owners, push_after__isnull=False).update(push_after=None)
    return len(rows)


def send_deliveries(deliveries: QuerySet[PushDelivery], *, now: datetime) -> int:
    """Claim and send each row; one failure never stops the others."""
    vapid = configured_vapid()
    sent = 0
    with requests.Session() as session:
        for delivery in deliveries.select_related("notification", "subscription").order_by("pk"):
            if _claim(delivery, now=now):
                sent += _push(delivery, vapid=vapid, session=session)
    return sent


def _claim(delivery: PushDelivery, *, now: datetime) -> bool:
    """Take a due row for this worker (compare-and-set), counting the attempt."""
    claimed = PushDelivery.objects.filter(
        pk=delivery.pk,
        status__in=[PushStatus.QUEUED, PushStatus.SENDING],
        next_attempt_at__lte=now,
        attempts=delivery.attempts,
    ).update(
        status=PushStatus.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + SENDING_LEASE,
    )
    if claimed != 1:
        return False
    delivery.status, delivery.attempts = PushStatus.SENDING, delivery.attempts + 1
    return True


def _push(delivery: PushDelivery, *, vapid: Vapid, session: requests.Session) -> int:
    subscription = delivery.subscription
    if subscription is None:
        _finish(delivery, PushStatus.EXPIRED, last_error="The browser unsubscribed.")
        return 0
    try:
        webpush(
            subscription_info=subscription.info,
            data=json.dumps(payload(delivery.notification)),
            vapid_private_key=vapid,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            timeout=PUSH_TIMEOUT_SECONDS,
            ttl=PUSH_TTL_SECONDS,
            requests_session=session,
        )
    except WebPushException as exc:
        _refused(delivery, exc)
        return 0
    except Exception as exc:  # a network fault or a bug: record it, go on with the rest
        logger.warning("Push %s failed: %r", delivery.pk, exc)
        _retry(delivery, error=repr(exc))
        return 0
    now = timezone.now()
    _finish(delivery, PushStatus.SENT, sent_at=now, last_error="")
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now)
    return 1


def payload(notification: Notification) -> dict[str, str]:
    """What the service worker shows: title, body, the page to open, a tag against repeats."""
    url = notification.url
    if url.startswith("/"):
        url = settings.SITE_URL + url
    return {
        "title": notification.title,
        "body": notification.body,
        "url": url,
        "tag": f"notification-{notification.pk}",
    }


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential back-off after ``attempts`` tries: 1, 2, 4 … minutes, at most 1 h."""
    doublings: int = max(0, min(attempts - 1, 16))
    return min(FIRST_RETRY * (1 << doublings), LONGEST_RETRY)


def _refused(delivery: PushDelivery, exc: WebPushException) -> None:
    status = exc.status_code
    error = f"{status}: {exc.message}"[:1000] if status else str(exc.message)[:1000]
    if status in GONE:
        assert delivery.subscription is not None
        PushSubscription.objects.filter(pk=delivery.subscription.pk).delete()
        _finish(delivery, PushStatus.EXPIRED, last_error=error)
    elif status is None or status == 429 or status >= 500:
        _retry(delivery, error=error, wait=_retry_after(exc))
    else:
        _finish(delivery, PushStatus.FAILED, last_error=error)


def _retry(delivery: PushDelivery, *, error: str, wait: timedelta | None = None) -> None:
    if delivery.attempts >= MAX_PUSH_ATTEMPTS:
        _finish(delivery, PushStatus.FAILED, last_error=error)
        return
    delay = max(retry_delay(delivery.attempts), wait or timedelta(0))
    _finish(
        delivery,
        PushStatus.QUEUED,
        last_error=error,
        next_attempt_at=timezone.now() + min(delay, LONGEST_RETRY),
    )


def _finish(delivery: PushDelivery, status: str, **fields: object) -> None:
    if status not in TRANSITIONS[delivery.status]:
        raise ValueError(f"A push cannot go from {delivery.status} to {status}")
    PushDelivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
        status=status, **fields
    )
    delivery.status = status


def _retry_after(exc: WebPushException) -> timedelta | None:
    """The push service's ``Retry-After`` (seconds or an HTTP date), if it sent one."""
    value = exc.retry_after
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        return max(parsedate_to_datetime(value) - timezone.now(), timedelta(0))
    except (TypeError, ValueError):
        return None
