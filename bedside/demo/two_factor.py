"""Two-factor sign-in for the demo's staff, with one documented authenticator secret.

Staff must sign in with a second factor (``bedside/practices/mfa.py``). So that anyone can
try the demo without a phone, every demo staff account gets an authenticator app (TOTP,
RFC 6238: SHA-1, six digits, 30 seconds) on the same secret, printed by ``make demo``:
add it to any authenticator app, or run ``manage.py demo_code`` for the current code.
A real practice's staff each set up their own.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from bedside.demo import riverside
from bedside.practices.models import STAFF_ROLES, User

# Base32, 20 bytes. Public on purpose: it protects demo accounts only.
DEMO_TOTP_SECRET = "RIVERSIDEDEMOSTAFFTWOFACTORKEY23"  # noqa: S105


def demo_staff() -> "list[User]":
    """Every account with a staff seat in a demo practice (both practices' owners too)."""
    slugs = [riverside.SLUG, riverside.SECOND_PRACTICE["slug"]]
    return list(
        User.objects.filter(
            memberships__practice__slug__in=slugs, memberships__role__in=STAFF_ROLES
        ).distinct()
    )


def add_staff_two_factor() -> int:
    """Give each demo staff account without one the demo's authenticator; how many got one.

    Idempotent, so ``make demo`` runs it on a database seeded before staff needed it.
    """
    added = 0
    for user in demo_staff():
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
            added += 1
    return added


def demo_code(at: float | None = None) -> tuple[str, int]:
    """The demo secret's six-digit code now (or ``at``), and the seconds it stays valid."""
    now = time.time() if at is None else at
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now // period)))
    return code, period - int(now % period)


def two_factor_note() -> str:
    """What ``make demo`` prints under the logins."""
    return (
        "Staff sign in with a second step: an authenticator code. Every demo staff account\n"
        f"uses the secret {DEMO_TOTP_SECRET} (add it to any authenticator app),\n"
        "or run `.venv/bin/python manage.py demo_code` for the current six-digit code."
    )
