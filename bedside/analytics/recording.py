"""Recording views and link clicks without knowing who viewed or clicked.

A viewer is the HMAC-SHA256 of ``user:<id>`` (signed in) or ``session:<key>`` (a visitor
with a session) under the UTC day's random salt. The same person on the same day gives the
same hash, so a view or a click counts once per day; the next day has a new salt, and
``forget_old_salts`` deletes the old ones, after which nobody (not even us) can tell whose a
row was or link it to another day's. Nothing is recorded for a browser that sends
``DNT: 1`` or ``Sec-GPC: 1``, nor for a visitor without a session (no cookie is set just to
count them), nor for the practice's own staff.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from bedside.analytics.models import DailySalt, LinkClick, PostView
from bedside.practices.permissions import is_staff_of


def declines_tracking(request: HttpRequest) -> bool:
    """Whether the browser asked not to be tracked (Do Not Track or Global Privacy Control)."""
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def utc_day(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(UTC).date()


def salt_of(day: date) -> bytes:
    """The day's salt, made on first use. Always the same two queries (insert unless there,
    then read), so a page costs the same on the day's first view as on its thousandth, and
    two requests racing to make it agree on one."""
    DailySalt.objects.bulk_create(
        [DailySalt(day=day, salt=secrets.token_bytes(32))], ignore_conflicts=True
    )
    return bytes(DailySalt.objects.values_list("salt", flat=True).get(day=day))


def viewer_hash(request: HttpRequest, day: date) -> str | None:
    """The viewer's hash for the day, or None when there is nobody to count."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        subject = f"user:{user.pk}"
    else:
        session = getattr(request, "session", None)
        key = session.session_key if session is not None else None
        if not key:
            return None
        subject = f"session:{key}"
    return hmac.new(salt_of(day), subject.encode(), hashlib.sha256).hexdigest()


def _countable(request: HttpRequest, practice_id: int) -> bool:
    if declines_tracking(request):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and is_staff_of(user, practice_id))


def record_view(request: HttpRequest, *, post_id: int, practice_id: int) -> None:
    """Count this viewer's view of the post today (again today: nothing changes)."""
    if not _countable(request, practice_id):
        return
    day = utc_day()
    viewer = viewer_hash(request, day)
    if viewer is None:
        return
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    PostView.objects.bulk_create(
        [PostView(post_id=post_id, day=day, viewer=viewer, is_signed_in=signed_in)],
        ignore_conflicts=True,
    )


def record_click(request: HttpRequest, *, post_id: int, practice_id: int, url: str) -> None:
    """Count this viewer's click on the link today (again today: nothing changes)."""
    if not _countable(request, practice_id):
        return
    day = utc_day()
    viewer = viewer_hash(request, day)
    if viewer is None:
        return
    LinkClick.objects.bulk_create(
        [LinkClick(post_id=post_id, url=url, day=day, viewer=viewer)], ignore_conflicts=True
    )


def forget_old_salts(*, now: datetime | None = None) -> int:
    """Delete the salts of days before yesterday (yesterday's stays for late requests)."""
    cutoff = utc_day(now) - timedelta(days=1)
    deleted, _ = DailySalt.objects.filter(day__lt=cutoff).delete()
    return deleted
