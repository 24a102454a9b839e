"""The push sweep the clock runs: send what waited out quiet hours, retry what failed."""

from django.db.models import Q
from django.utils import timezone

from bedside.notify.models import Notification
from bedside.notify.push.delivery import send_deliveries, send_push_batch
from bedside.notify.push.keys import is_push_configured
from bedside.notify.push.models import PushDelivery, PushStatus

BATCH = 1000


def send_due_pushes() -> int:
    """Idempotent; safe beside a running fan-out. Returns how many pushes were accepted."""
    if not is_push_configured():
        return 0
    now = timezone.now()
    owed = list(
        Notification.objects.filter(push_after__lte=now).values_list("pk", flat=True)[:BATCH]
    )
    sent = send_push_batch(owed)
    due = PushDelivery.objects.filter(
        Q(status=PushStatus.QUEUED) | Q(status=PushStatus.SENDING), next_attempt_at__lte=now
    ).order_by("next_attempt_at")[:BATCH]
    return sent + send_deliveries(
        PushDelivery.objects.filter(pk__in=list(due.values_list("pk", flat=True))), now=now
    )
