"""State changes of syndication: deliver a post to every channel, take it down, connect.

``syndicate`` and ``retract`` are called by the studio after publishing and after taking a
post down (and by compliance when an authorization is revoked). Both are idempotent and only
write rows and enqueue: the network calls run on the syndication queue
(``bedside/syndication/tasks.py``), and the reconcile sweep (``bedside/syndication/sweeps.py``)
repairs anything a lost task or a crash left behind.
"""

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.posts.models import Post, Status, Visibility
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, require
from bedside.syndication import http
from bedside.syndication.adapters import mastodon
from bedside.syndication.adapters.base import AuthExpired, NetworkError
from bedside.syndication.adapters.bluesky import Bluesky
from bedside.syndication.keys import new_key
from bedside.syndication.models import (
    Channel,
    ChannelStatus,
    Delivery,
    DeliveryStatus,
    MastodonApp,
    Network,
)
from bedside.syndication.tasks import run_delivery

# Statuses in which a remote copy may exist or may be about to.
LIVE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DONE, DeliveryStatus.FAILED)


def syndicate(*, post: Post) -> list[Delivery]:
    """Create the delivery of a published ``post`` to each active channel and queue them.

    A second call creates nothing and queues only deliveries still waiting. A delivery that
    was retracted (the post was unpublished, then published again) starts over with a new
    key, so the network sees a new post rather than a retry of the deleted one.
    """
    if not goes_out(post):
        return []
    channels = list(
        Channel.objects.filter(practice_id=post.practice_id, status=ChannelStatus.ACTIVE)
    )
    return ensure_deliveries(post=post, channels=channels)


def goes_out(post: Post) -> bool:
    """Only a published post for everyone leaves Bedside; patients-only posts never do."""
    return post.status == Status.PUBLISHED and post.visibility == Visibility.PUBLIC


def ensure_deliveries(*, post: Post, channels: Iterable[Channel]) -> list[Delivery]:
    deliveries = []
    to_run: list[int] = []
    now = timezone.now()
    with transaction.atomic():
        for channel in channels:
            delivery, created = Delivery.objects.get_or_create(
                post=post,
                channel=channel,
                defaults={
                    "practice_id": post.practice_id,
                    "key": new_key(),
                    "post_title": post.title[:200],
                    "next_attempt_at": now,
                },
            )
            if not created and delivery.status == DeliveryStatus.RETRACTED:
                restarted = Delivery.objects.filter(
                    pk=delivery.pk, status=DeliveryStatus.RETRACTED
                ).update(
                    key=new_key(),
                    status=DeliveryStatus.PENDING,
                    remote_id="",
                    remote_url="",
                    attempts=0,
                    last_error="",
                    next_attempt_at=now,
                    claimed_at=None,
                    published_at=None,
                    likes=0,
                    shares=0,
                    replies=0,
                    counts_at=None,
                    updated_at=now,
                )
                delivery.refresh_from_db()
                created = bool(restarted)
            if created or delivery.status == DeliveryStatus.PENDING:
                to_run.append(delivery.pk)
            deliveries.append(delivery)
        transaction.on_commit(lambda: _enqueue(to_run))
    return deliveries


def retract(*, post: Post) -> int:
    """Remove every remote copy of ``post``: mark its deliveries for removal and queue them.

    Deliveries that never reached a network are closed at once. Returns how many were
    marked for removal. Idempotent: a second call finds nothing left to mark.
    """
    return retract_deliveries(Delivery.objects.filter(post_id=post.pk))


def retract_deliveries(deliveries: QuerySet[Delivery]) -> int:
    now = timezone.now()
    with transaction.atomic():
        # Never tried: nothing can exist remotely, and the claim of a sender racing us is a
        # conditional update too, so exactly one of the two wins.
        deliveries.filter(status=DeliveryStatus.PENDING, attempts=0).update(
            status=DeliveryStatus.RETRACTED, next_attempt_at=None, updated_at=now
        )
        # Gave up before any remote write answered: still look, a timeout may hide a post.
        marked = list(
            deliveries.filter(
                Q(status__in=LIVE) | Q(status=DeliveryStatus.GAVE_UP, attempts__gt=0)
            ).values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=marked).update(
            status=DeliveryStatus.RETRACTING, next_attempt_at=now, last_error="", updated_at=now
        )
        transaction.on_commit(lambda: _enqueue(marked))
    return len(marked)


def retry_delivery(*, by: User, delivery: Delivery) -> Delivery:
    """Try a failed or abandoned delivery again now (staff, from the delivery log)."""
    require(by, Action.MANAGE_CHANNELS, delivery.channel)
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP):
        raise Conflict("Only a failed delivery can be retried.")
    if not delivery.channel.is_active:
        raise Conflict("Reconnect the channel before retrying.")
    with transaction.atomic():
        now = timezone.now()
        Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now, updated_at=now
        )
        record(
            action="delivery.retry",
            actor=by,
            practice=delivery.practice_id,
            target=delivery,
            detail={"channel": str(delivery.channel), "attempts": delivery.attempts},
        )
        delivery_id = delivery.pk
        transaction.on_commit(lambda: _enqueue([delivery_id]))
    delivery.refresh_from_db()
    return delivery


def save_channel(
    *,
    by: User,
    practice: Practice,
    network: str,
    handle: str,
    server_url: str,
    account_id: str,
    credentials: dict[str, object],
    char_limit: int = 0,
) -> Channel:
    """Store a channel whose credentials the network just accepted (connect or reconnect)."""
    require(by, Action.MANAGE_CHANNELS, practice)
    if not handle or not account_id:
        raise Invalid("The network did not tell us which account this is.", field="handle")
    with transaction.atomic():
        channel = (
            Channel.objects.select_for_update()
            .filter(
                practice=practice, network=network, server_url=server_url, account_id=account_id
            )
            .first()
        ) or Channel(
            practice=practice, network=network, server_url=server_url, account_id=account_id
        )
        reconnect = channel.pk is not None
        channel.handle = handle
        channel.char_limit = char_limit
        channel.status = ChannelStatus.ACTIVE
        channel.last_error = ""
        channel.broken_at = None
        channel.connected_by = by
        channel.connected_at = timezone.now()
        channel.set_credentials(dict(credentials))
        channel.save()
        if reconnect:
            # What waited for the reconnect goes now, not at its next back-off.
            Delivery.objects.filter(
                channel=channel, status__in=(DeliveryStatus.FAILED, DeliveryStatus.RETRACTING)
            ).update(next_attempt_at=timezone.now())
            waiting = list(
                Delivery.objects.filter(
                    channel=channel,
                    status__in=(
                        DeliveryStatus.PENDING,
                        DeliveryStatus.FAILED,
                        DeliveryStatus.RETRACTING,
                    ),
                ).values_list("pk", flat=True)
            )
            transaction.on_commit(lambda: _enqueue(waiting))
        record(
            action="channel.connect",
            actor=by,
            practice=practice,
            target=channel,
            detail={"network": network, "handle": handle, "reconnect": reconnect},
        )
    return channel


def disconnect_channel(*, by: User, channel: Channel) -> Channel:
    """Stop posting to ``channel`` and forget its credentials; remote posts stay as they are."""
    require(by, Action.MANAGE_CHANNELS, channel)
    with transaction.atomic():
        now = timezone.now()
        channel.status = ChannelStatus.DISCONNECTED
        channel.sealed_credentials = ""
        channel.save(update_fields=["status", "sealed_credentials", "updated_at"])
        Delivery.objects.filter(
            channel=channel, status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED)
        ).update(
            status=DeliveryStatus.GAVE_UP,
            last_error="The channel was disconnected.",
            next_attempt_at=None,
            updated_at=now,
        )
        record(
            action="channel.disconnect",
            actor=by,
            practice=channel.practice_id,
            target=channel,
            detail={"network": channel.network, "handle": channel.handle},
        )
    return channel


def _enqueue(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        run_delivery.enqueue(delivery_id)


# --- connecting ----------------------------------------------------------------------------

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def clean_server_url(raw: str, *, field: str = "server_url") -> str:
    """An https origin (plain http only for a server on this machine, outside production)."""
    value = (raw or "").strip().rstrip("/")
    if value and "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    host = parts.hostname or ""
    local_http = parts.scheme == "http" and host in _LOCAL_HOSTS and not settings.IS_PRODUCTION
    if not host or (parts.scheme != "https" and not local_http):
        raise Invalid("Enter the server's address, starting with https://.", field=field)
    if parts.path or parts.query or parts.fragment:
        raise Invalid("Enter only the server's address, without a path.", field=field)
    if settings.IS_PRODUCTION:
        _refuse_internal_host(host, parts.port or 443, field=field)
    return f"{parts.scheme}://{parts.netloc}"


def _refuse_internal_host(host: str, port: int, *, field: str) -> None:
    """A server address typed by staff must lead to the public internet.

    Bedside then sends it tokens and fetches from it on the worker, so an address on the
    machine or the practice's private network would let anyone who may connect a channel
    probe what sits behind the firewall.
    """
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        raise Invalid("We could not find a server at that address.", field=field) from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
        if not ip.is_global:
            raise Invalid(
                "That address leads to a private or local network; enter the server's public"
                " address.",
                field=field,
            )


def _refused(exc: NetworkError, field: str) -> Invalid:
    return Invalid(exc.reason, field=field)


def connect_bluesky(
    *, by: User, practice: Practice, handle: str, app_password: str, server_url: str
) -> Channel:
    """Sign in to a Bluesky account (any PDS) with an app password and keep the session."""
    require(by, Action.MANAGE_CHANNELS, practice)
    handle = handle.strip().lstrip("@")
    if not handle:
        raise Invalid("Enter the account's handle.", field="handle")
    if not app_password.strip():
        raise Invalid("Enter an app password made for Bedside.", field="app_password")
    server_url = clean_server_url(server_url)
    try:
        with http.make_client() as client:
            session = Bluesky.create_session(server_url, handle, app_password.strip(), client)
    except AuthExpired:
        raise Invalid(
            "Bluesky did not accept this handle and app password.", field="app_password"
        ) from None
    except NetworkError as exc:
        raise _refused(exc, "app_password") from None
    except httpx.HTTPError:
        raise Invalid("Could not reach that server.", field="server_url") from None
    return save_channel(
        by=by,
        practice=practice,
        network=Network.BLUESKY,
        handle=session["handle"],
        server_url=server_url,
        account_id=session["did"],
        credentials={
            "app_password": app_password.strip(),
            "access_jwt": session["access_jwt"],
            "refresh_jwt": session["refresh_jwt"],
        },
    )


def begin_mastodon(*, by: User, practice: Practice, server_url: str, redirect_uri: str) -> str:
    """Register Bedside on the server once (cached) and return its authorization page URL.

    The caller keeps ``state`` (in the session) and the server to finish with.
    """
    require(by, Action.MANAGE_CHANNELS, practice)
    server_url = clean_server_url(server_url)
    app = MastodonApp.objects.filter(server_url=server_url, redirect_uri=redirect_uri).first()
    if app is None:
        try:
            with http.make_client() as client:
                registered = mastodon.register_app(
                    server_url, redirect_uri, settings.SITE_URL, client
                )
        except NetworkError as exc:
            raise _refused(exc, "server_url") from None
        except httpx.HTTPError:
            raise Invalid("Could not reach that server.", field="server_url") from None
        app = MastodonApp(
            server_url=server_url, redirect_uri=redirect_uri, client_id=registered["client_id"]
        )
        app.set_client_secret(registered["client_secret"])
        MastodonApp.objects.bulk_create([app], ignore_conflicts=True)
        app = MastodonApp.objects.get(server_url=server_url, redirect_uri=redirect_uri)
    return app.client_id


def finish_mastodon(
    *, by: User, practice: Practice, server_url: str, code: str, redirect_uri: str
) -> Channel:
    """Exchange the authorization code for a token and connect the account."""
    require(by, Action.MANAGE_CHANNELS, practice)
    app = MastodonApp.objects.filter(server_url=server_url, redirect_uri=redirect_uri).first()
    if app is None or not code:
        raise Invalid("The Mastodon sign-in did not complete; start again.", field="server_url")
    try:
        with http.make_client() as client:
            token = mastodon.exchange_code(
                server_url,
                client_id=app.client_id,
                client_secret=app.client_secret,
                redirect_uri=redirect_uri,
                code=code,
                client=client,
            )
            account = mastodon.verify_credentials(server_url, token, client)
            limit = mastodon.instance_limit(server_url, client)
    except NetworkError as exc:
        raise _refused(exc, "server_url") from None
    except httpx.HTTPError:
        raise Invalid("Could not reach that server.", field="server_url") from None
    host = urlsplit(server_url).hostname
    return save_channel(
        by=by,
        practice=practice,
        network=Network.MASTODON,
        handle=f"@{account['acct']}@{host}" if "@" not in account["acct"] else account["acct"],
        server_url=server_url,
        account_id=account["id"],
        credentials={"access_token": token},
        char_limit=limit,
    )
