"""Background work of the practices app. Each task loads by id and calls one service."""

from django.tasks import task

from bedside.practices.invitation_mail import send_invitation_email


@task
def send_invitation_email_task(invitation_id: int) -> bool:
    """Safe to run twice: the invitation is claimed before it is sent."""
    return send_invitation_email(invitation_id=invitation_id)
