"""Channel secrets at rest: Fernet with key rotation (MultiFernet).

Keys come from ``BEDSIDE_TOKEN_KEY`` (comma-separated, newest first: the first encrypts,
all decrypt, so an operator rotates by putting a new key in front and re-saving). Production
refuses to start without one (``bedside/settings.py``). In development and tests a key is
derived from ``SECRET_KEY`` so the demo runs with no setup; that key is only as secret as
``SECRET_KEY`` itself, which is why production never uses it.
"""

import base64
import hashlib
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableSecret(Exception):
    """The stored secret was written under a key that is no longer configured."""

    def __str__(self) -> str:
        return "The stored credentials cannot be decrypted with the configured keys."


def _derived_key(secret: str) -> bytes:
    # Development only: a stable Fernet key from SECRET_KEY, domain-separated by a label.
    digest = hashlib.sha256(b"bedside.syndication.token-key:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if not keys:
        return MultiFernet([Fernet(_derived_key(secret))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "BEDSIDE_TOKEN_KEY must be Fernet keys (32 url-safe base64-encoded bytes), "
            "comma-separated"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(getattr(settings, "TOKEN_KEYS", ())), settings.SECRET_KEY)


def seal(data: dict[str, Any]) -> str:
    """Encrypt a dict of secrets to text for a database column."""
    return fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        value = json.loads(fernet().decrypt(token.encode()))
    except InvalidToken:
        raise UnreadableSecret() from None
    return value if isinstance(value, dict) else {}


def reseal(token: str) -> str:
    """The same secret under the newest key (for rotation)."""
    return fernet().rotate(token.encode()).decode() if token else token
