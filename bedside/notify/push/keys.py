"""The server's VAPID key pair (RFC 8292): read from settings, checked, generated.

``VAPID_PRIVATE_KEY`` is either a PEM block (newlines may be written as ``\\n`` in an
environment file) or base64url text (the raw 32-byte key, as ``manage.py vapid_keys``
prints it, or DER). ``VAPID_PUBLIC_KEY`` is the base64url uncompressed point browsers
subscribe with; it must belong to the private key. Push is off while either is unset.
"""

import base64
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core import checks
from py_vapid import Vapid  # type: ignore[import-untyped]

SUBJECT_SCHEMES = ("mailto:", "https://")


class VapidKeyError(ValueError):
    """The configured VAPID keys cannot be used."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    """The application server key a browser subscribes with (uncompressed point)."""
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def private_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    """The private key as one base64url line (the raw 32-byte scalar)."""
    return b64url(private_key.private_numbers().private_value.to_bytes(32, "big"))


def load_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """Parse ``VAPID_PRIVATE_KEY`` in any of the accepted forms; ``VapidKeyError`` if not."""
    text = text.strip().replace("\\n", "\n")
    try:
        if "-----BEGIN" in text:
            key: Any = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = _b64url_decode(text.replace("\n", ""))
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError) as exc:
        raise VapidKeyError(f"VAPID_PRIVATE_KEY cannot be read: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise VapidKeyError("VAPID_PRIVATE_KEY must be an elliptic-curve P-256 key")
    return key


def is_push_configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def configured_vapid() -> Vapid:
    """The signer for push requests, after checking the pair belongs together."""
    key = load_private_key(settings.VAPID_PRIVATE_KEY)
    if public_key_text(key) != settings.VAPID_PUBLIC_KEY.strip():
        raise VapidKeyError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY")
    return Vapid(private_key=key)


def generate_key_pair() -> tuple[str, str]:
    """A new (public, private) pair as base64url text, ready for the environment."""
    vapid = Vapid()
    vapid.generate_keys()
    return public_key_text(vapid.private_key), private_key_text(vapid.private_key)


def key_file_environment(path: Path) -> dict[str, str]:
    """VAPID variables from a PEM key file, creating the file (mode 600) if missing.

    For the embedded install: ``manage.py demo`` keeps its key in ``var/`` so that
    browsers subscribed once stay subscribed across restarts.
    """
    if not path.exists():
        vapid = Vapid()
        vapid.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_bytes(vapid.private_pem())
    key = load_private_key(path.read_text())
    return {"VAPID_PRIVATE_KEY": private_key_text(key), "VAPID_PUBLIC_KEY": public_key_text(key)}


def check_vapid_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: keys set together, readable, matching; a usable subject."""
    private, public = settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    if not private and not public:
        return []
    if not (private and public):
        return [
            checks.Error(
                "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither.", id="push.E001"
            )
        ]
    errors: list[checks.CheckMessage] = []
    try:
        configured_vapid()
    except VapidKeyError as exc:
        errors.append(
            checks.Error(str(exc), hint="manage.py vapid_keys prints a new pair.", id="push.E002")
        )
    if not settings.VAPID_SUBJECT.startswith(SUBJECT_SCHEMES):
        errors.append(
            checks.Error("VAPID_SUBJECT must be a mailto: or https: address.", id="push.E003")
        )
    return errors
