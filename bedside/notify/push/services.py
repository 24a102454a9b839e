"""Subscribing a browser to web push and unsubscribing it."""

import base64
import binascii
import ipaddress
from urllib.parse import urlsplit

from django.db import transaction

from bedside.core.errors import Invalid, NotAllowed
from bedside.notify.push.models import PushSubscription
from bedside.practices.models import User

MAX_ENDPOINT_LENGTH = 2000


def subscribe_device(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Record (or refresh) the browser subscription ``PushManager.subscribe`` returned.

    An endpoint belongs to one browser: subscribing it again moves it to the person now
    signed in on that browser, with the keys it has now.
    """
    if not user.is_authenticated:
        raise NotAllowed("Sign in to receive push notifications.")
    _validate_endpoint(endpoint)
    _validate_key(p256dh, size=65, field="p256dh")
    _validate_key(auth, size=16, field="auth")
    with transaction.atomic():
        subscription, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
        )
    return subscription


def unsubscribe_device(*, user: User, endpoint: str) -> bool:
    """Forget the user's own subscription at ``endpoint``; never someone else's."""
    with transaction.atomic():
        deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted > 0


def _validate_endpoint(endpoint: str) -> None:
    """Push services are public HTTPS servers; refuse anything our worker should not call."""
    if not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise Invalid("This browser gave no usable push address.", field="endpoint")
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise Invalid("A push address must be an https:// URL.", field="endpoint")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise Invalid("A push address must be on the public internet.", field="endpoint")
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return
    if not address.is_global:
        raise Invalid("A push address must be on the public internet.", field="endpoint")


def _validate_key(text: str, *, size: int, field: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise Invalid("This browser gave an unusable push key.", field=field)
