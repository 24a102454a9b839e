"""Runs one delivery on the syndication queue: publish it, or take it down. Exactly once.

Publishing, in order:

1. **Claim** the row with a conditional update (``pending``/``failed`` → ``sending``,
   ``attempts + 1``): of two workers, one wins; the other does nothing.
2. A row that already holds a ``remote_id`` is done: an earlier run wrote the post and
   crashed before saying so. Otherwise, on any attempt after the first, **ask the network**
   (``adapter.find_existing``) before writing again.
3. **Write** with the network's idempotency key (Mastodon's header; Bluesky's record key).
4. **Store the remote id** in its own committed transaction, at once — before anything else
   can fail — then mark the row ``done``.

A failure is recorded with a reason staff can read and retried with capped exponential
back-off (``Retry-After`` wins on a 429); an expired token puts the channel in
``needs_reconnect``; a refusal that cannot change gives up with the network's reason.
"""

import logging
from datetime import timedelta
from typing import Any

import httpx
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bedside.syndication import http
from bedside.syndication.adapters import ADAPTERS
from bedside.syndication.adapters.base import (
    Account,
    Adapter,
    AuthExpired,
    NetworkError,
    Published,
)
from bedside.syndication.crypto import UnreadableSecret
from bedside.syndication.models import Channel, ChannelStatus, Delivery, DeliveryStatus, RemoteReply
from bedside.syndication.outgoing import outgoing_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=2)
# A claimed row untouched this long belongs to a worker that died; the sweep frees it.
LEASE = timedelta(minutes=5)
RECONNECT_WAIT = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at two hours."""
    seconds = FIRST_DELAY.total_seconds() * 2 ** min(max(0, attempts - 1), 20)
    return min(timedelta(seconds=seconds), MAX_DELAY)


def account_for(channel: Channel) -> Account:
    return Account(
        network=channel.network,
        server_url=channel.server_url,
        account_id=channel.account_id,
        handle=channel.handle,
        credentials=dict(channel.credentials),
        char_limit=channel.char_limit,
    )


def adapter_for(channel: Channel) -> Adapter:
    return ADAPTERS[channel.network]


def run(delivery_id: int) -> str:
    delivery = (
        Delivery.objects.select_related("channel", "post__practice").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return "missing"
    if delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED):
        return publish(delivery)
    if delivery.status == DeliveryStatus.RETRACTING:
        return take_down(delivery)
    return str(delivery.status)


# --- publishing --------------------------------------------------------------------------


def publish(delivery: Delivery) -> str:
    now = timezone.now()
    post = delivery.post
    from bedside.syndication.services import goes_out, retract_deliveries  # they enqueue us

    if post is None or not goes_out(post):
        retract_deliveries(Delivery.objects.filter(pk=delivery.pk))
        return "retracting"
    channel = delivery.channel
    if not channel.is_active:
        return str(delivery.status)  # waits for a reconnect; the sweep picks it up then
    if delivery.next_attempt_at and delivery.next_attempt_at > now:
        return str(delivery.status)  # not yet due (a backend that ran us early)
    claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        updated_at=now,
    )
    if not claimed:
        return "taken"
    delivery.refresh_from_db()
    if delivery.remote_id:
        return _mark_done(delivery)
    adapter = adapter_for(channel)
    try:
        account = account_for(channel)
    except UnreadableSecret as exc:
        return _failed(delivery, AuthExpired(str(exc), permanent=True))
    outgoing = outgoing_for(post, delivery.key)
    blocking = adapter.preview(outgoing, account).blocking
    if blocking:
        return _failed(delivery, NetworkError(blocking[0].message, permanent=True))
    try:
        with http.make_client() as client:
            found = (
                adapter.find_existing(outgoing, account, client) if delivery.attempts > 1 else None
            )
            published = found or adapter.publish(outgoing, account, client)
    except NetworkError as exc:
        _save_credentials(channel, account)
        return _failed(delivery, exc)
    except httpx.HTTPError as exc:
        _save_credentials(channel, account)
        return _failed(delivery, NetworkError(_transport_reason(exc)))
    except Exception:
        logger.exception("delivery %s to %s failed unexpectedly", delivery.pk, channel.network)
        return _failed(delivery, NetworkError("An unexpected error stopped the delivery."))
    store_remote(delivery, published)
    _save_credentials(channel, account)
    return _mark_done(delivery)


def store_remote(delivery: Delivery, published: Published) -> None:
    """Commit the remote id now, whatever the row's status, so no retry writes twice."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            remote_id=published.remote_id, remote_url=published.url[:500]
        )
    delivery.remote_id, delivery.remote_url = published.remote_id, published.url[:500]


def _mark_done(delivery: Delivery) -> str:
    now = timezone.now()
    done = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.DONE,
        published_at=now,
        last_error="",
        next_attempt_at=None,
        claimed_at=None,
        updated_at=now,
    )
    if done:
        return str(DeliveryStatus.DONE)
    # Taken down while we were writing: the remote post we just made must go too.
    Delivery.objects.filter(
        pk=delivery.pk, status__in=(DeliveryStatus.RETRACTED, DeliveryStatus.RETRACTING)
    ).update(status=DeliveryStatus.RETRACTING, next_attempt_at=now, claimed_at=None)
    return take_down(Delivery.objects.select_related("channel").get(pk=delivery.pk))


def _failed(delivery: Delivery, error: NetworkError) -> str:
    now = timezone.now()
    reason = error.reason[:500]
    if isinstance(error, AuthExpired):
        _channel_broken(delivery.channel, reason)
        status, next_at = DeliveryStatus.FAILED, now + RECONNECT_WAIT
    elif error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        status, next_at = DeliveryStatus.GAVE_UP, None
    else:
        delay = backoff(delivery.attempts)
        if error.retry_after is not None:
            delay = max(delay, timedelta(seconds=error.retry_after))
        status, next_at = DeliveryStatus.FAILED, now + min(delay, MAX_DELAY)
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=status, last_error=reason, next_attempt_at=next_at, claimed_at=None, updated_at=now
    )
    logger.info("delivery %s to %s: %s", delivery.pk, delivery.channel.network, reason)
    return str(status)


def _channel_broken(channel: Channel, reason: str) -> None:
    """The token was refused: the studio's sweep tells the practice's managers."""
    Channel.objects.filter(pk=channel.pk, status=ChannelStatus.ACTIVE).update(
        status=ChannelStatus.NEEDS_RECONNECT,
        last_error=reason[:500],
        broken_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _save_credentials(channel: Channel, account: Account) -> None:
    """Seal back tokens an adapter refreshed during the call."""
    credentials: Any = account.credentials
    if channel.sealed_credentials and credentials != channel.credentials:
        channel.set_credentials(dict(credentials))
        Channel.objects.filter(pk=channel.pk).update(sealed_credentials=channel.sealed_credentials)


def _transport_reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "The network did not answer within 10 seconds."
    if isinstance(exc, httpx.ConnectError):
        return "Could not reach the network's server."
    return "The connection to the network failed."


# --- taking down -------------------------------------------------------------------------


def take_down(delivery: Delivery) -> str:
    now = timezone.now()
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery.pk,
        status=DeliveryStatus.RETRACTING,
    ).update(next_attempt_at=now + LEASE, claimed_at=now, updated_at=now)
    if not claimed:
        return "taken"
    delivery.refresh_from_db()
    channel = delivery.channel
    if channel.status == ChannelStatus.DISCONNECTED or not channel.sealed_credentials:
        return _retract_failed(
            delivery,
            NetworkError(
                "The channel is disconnected; remove the post on the network by hand.",
                permanent=True,
            ),
        )
    if channel.status == ChannelStatus.NEEDS_RECONNECT:
        return _retract_failed(
            delivery, AuthExpired(channel.last_error or "Reconnect the channel.")
        )
    adapter = adapter_for(channel)
    try:
        account = account_for(channel)
        with http.make_client() as client:
            remote_id = delivery.remote_id
            if not remote_id and delivery.attempts:
                # A write may have reached the network without us hearing the answer.
                found = adapter.find_existing(outgoing_for_retraction(delivery), account, client)
                remote_id = found.remote_id if found else ""
            if remote_id:
                adapter.delete(remote_id, account, client)
    except UnreadableSecret as exc:
        return _retract_failed(delivery, AuthExpired(str(exc), permanent=True))
    except NetworkError as exc:
        return _retract_failed(delivery, exc)
    except httpx.HTTPError as exc:
        return _retract_failed(delivery, NetworkError(_transport_reason(exc)))
    except Exception:
        logger.exception("removing delivery %s from %s failed", delivery.pk, channel.network)
        return _retract_failed(delivery, NetworkError("An unexpected error stopped the removal."))
    _save_credentials(channel, account)
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.RETRACTING).update(
        status=DeliveryStatus.RETRACTED,
        next_attempt_at=None,
        claimed_at=None,
        last_error="",
        updated_at=timezone.now(),
    )
    _republish_if_needed(delivery)
    return str(DeliveryStatus.RETRACTED)


def outgoing_for_retraction(delivery: Delivery) -> Any:
    """Enough of the post for ``find_existing``: its key and link, even once it is deleted."""
    from bedside.syndication.adapters.base import Outgoing

    if delivery.post is not None:
        return outgoing_for(delivery.post, delivery.key)
    return Outgoing(key=delivery.key, title=delivery.post_title, text="", url="")


def _retract_failed(delivery: Delivery, error: NetworkError) -> str:
    now = timezone.now()
    if isinstance(error, AuthExpired):
        _channel_broken(delivery.channel, error.reason)
        next_at = now + RECONNECT_WAIT
    elif error.permanent:
        next_at = None
    else:
        delay = backoff(delivery.attempts)
        if error.retry_after is not None:
            delay = max(delay, timedelta(seconds=error.retry_after))
        next_at = now + delay
    status = DeliveryStatus.RETRACTING if next_at else DeliveryStatus.GAVE_UP
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.RETRACTING).update(
        status=status,
        last_error=f"Not removed yet: {error.reason}"[:500],
        next_attempt_at=next_at,
        claimed_at=None,
        updated_at=now,
    )
    return str(status)


def _republish_if_needed(delivery: Delivery) -> None:
    post = delivery.post
    from bedside.syndication.services import ensure_deliveries, goes_out

    if post is not None and delivery.channel.is_active:
        post.refresh_from_db()
        if goes_out(post):
            ensure_deliveries(post=post, channels=[delivery.channel])


# --- responses ---------------------------------------------------------------------------


def pull(delivery_id: int) -> bool:
    """Read counts and replies of one done delivery; False if the network would not say."""
    delivery = Delivery.objects.select_related("channel").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.DONE or not delivery.channel.is_active:
        return False
    adapter = adapter_for(delivery.channel)
    now = timezone.now()
    try:
        account = account_for(delivery.channel)
        with http.make_client() as client:
            counts = adapter.fetch_counts(delivery.remote_id, account, client)
            replies = adapter.fetch_replies(delivery.remote_id, account, client)
    except AuthExpired as exc:
        _channel_broken(delivery.channel, exc.reason)
        return False
    except (NetworkError, httpx.HTTPError, UnreadableSecret) as exc:
        note = exc.reason if isinstance(exc, NetworkError) else "Counts could not be read."
        Delivery.objects.filter(pk=delivery.pk).update(counts_note=note[:200], counts_at=now)
        return False
    _save_credentials(delivery.channel, account)
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            likes=counts.likes,
            shares=counts.shares,
            replies=counts.replies,
            counts_at=now,
            counts_note="",
        )
        for reply in replies:
            RemoteReply.objects.update_or_create(
                delivery=delivery,
                remote_id=reply.remote_id[:300],
                defaults={
                    "author": reply.author[:200],
                    "text": reply.text,
                    "url": reply.url[:500],
                    "posted_at": reply.created_at,
                },
            )
    return True
