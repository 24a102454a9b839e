"""The invitation email: sent at most once per invitation, text and HTML parts."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from bedside.practices.models import Invitation


def send_invitation_email(*, invitation_id: int) -> bool:
    """Mail the invitation once; returns False when there is nothing (more) to send."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id, email_sent_at__isnull=True, revoked_at__isnull=True
    ).exclude(email="")
    if not claimed.update(email_sent_at=now):
        return False
    invitation = Invitation.objects.select_related("practice").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "practice": invitation.practice,
        "join_url": invitation.join_url,
    }
    message = EmailMultiAlternatives(
        subject=f"{invitation.practice.name} invites you to join them on Bedside",
        body=render_to_string("practices/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("practices/email/invitation.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:
        # Unclaim so that a retry of the task sends it; the error is the task's to report.
        Invitation.objects.filter(pk=invitation_id).update(email_sent_at=None)
        raise
    return True
