"""Background work of notify. Each task loads by id, calls one function, and is safe twice."""

from django.db.models import F
from django.tasks import task

from bedside.notify.fanout import fan_out
from bedside.notify.mail import send_email_batch
from bedside.notify.models import Broadcast
from bedside.notify.push.delivery import send_push_batch


@task
def fan_out_broadcast(broadcast_id: int) -> None:
    """Fan the broadcast out from its cursor to the end; resumes where a crash left it."""
    fan_out(broadcast_id)


@task
def send_email_batch_task(delivery_ids: list[int]) -> int:
    """Send one batch's emails over one SMTP connection; returns how many were accepted."""
    return send_email_batch(delivery_ids)


@task
def send_push_batch_task(notification_ids: list[int], broadcast_id: int | None = None) -> int:
    """Push one batch's notifications to their people's browsers; counts what was accepted."""
    accepted = send_push_batch(notification_ids)
    if broadcast_id is not None and accepted:
        Broadcast.objects.filter(pk=broadcast_id).update(
            push_sent_count=F("push_sent_count") + accepted
        )
    return accepted
