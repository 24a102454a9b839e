"""The expiry sweep: authorizations past their last day take their posts down with them.

Run by the clock (``bedside/studio/clock.py``). Idempotent: each authorization is claimed
by a conditional update, so a second run, or two clocks at once, handle it once.
"""

from datetime import timedelta

from django.utils import timezone

from bedside.compliance import guard
from bedside.compliance.models import Authorization
from bedside.compliance.services import expire_authorization


def expire_authorizations(*, limit: int = 500) -> int:
    """Handle every authorization that expired and was not handled yet; how many."""
    # A day's margin either side of UTC: each practice's own date decides below.
    horizon = timezone.now().date() + timedelta(days=1)
    due = (
        Authorization.objects.filter(
            revoked_at__isnull=True, expiry_handled_at__isnull=True, expires_on__lt=horizon
        )
        .select_related("practice")
        .order_by("expires_on", "id")[:limit]
    )
    handled = 0
    for authorization in due:
        if not authorization.is_expired_on(guard.practice_today(authorization.practice)):
            continue
        if expire_authorization(authorization_id=authorization.pk) is not None:
            handled += 1
    return handled
