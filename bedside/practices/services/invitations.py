"""Invitation links and QR codes: creating, withdrawing and emailing them."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.practices.models import STAFF_ROLES, Invitation, Practice, Role, User
from bedside.practices.permissions import Action, require
from bedside.practices.tasks import send_invitation_email_task


def _invitation_action(role: str) -> Action:
    return Action.INVITE_STAFF if role in STAFF_ROLES else Action.MANAGE_INVITATIONS


def create_invitation(
    *,
    by: User,
    practice: Practice,
    label: str,
    role: str,
    email: str = "",
    expires_at: datetime | None = None,
    max_uses: int | None = None,
) -> Invitation:
    """A new invitation link; if ``email`` is given, it is mailed there after commit."""
    label = label.strip()
    email = email.strip().lower()
    _validate_invitation(label=label, role=role, email=email, expires_at=expires_at)
    if max_uses is not None and max_uses < 1:
        raise Invalid("An invitation must be usable at least once.", field="max_uses")
    require(by, _invitation_action(role), practice)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            practice=practice,
            label=label,
            role=role,
            email=email,
            created_by=by,
            expires_at=expires_at,
            max_uses=max_uses,
        )
        record(
            action="invitation.create",
            actor=by,
            practice=practice,
            target=invitation,
            target_label=f"invitation #{invitation.pk} ({label})",
            detail={"role": role, "emailed": bool(email), "max_uses": max_uses},
        )
        if email:
            transaction.on_commit(lambda: send_invitation_email_task.enqueue(invitation.pk))
    return invitation


def _validate_invitation(*, label: str, role: str, email: str, expires_at: datetime | None) -> None:
    if not label:
        raise Invalid("Please say where this invitation is used.", field="label")
    if len(label) > 100:
        raise Invalid("Please keep the label under 100 characters.", field="label")
    if role not in Role.values:
        raise Invalid("Please choose one of the roles.", field="role")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid("Please enter a valid email address.", field="email") from None
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid("The expiry must be in the future.", field="expires_at")


def revoke_invitation(*, by: User, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link and QR code stop working at once."""
    require(by, _invitation_action(invitation.role), invitation.practice)
    with transaction.atomic():
        revoked = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not revoked:
            raise Conflict("This invitation was already withdrawn.")
        record(
            action="invitation.revoke",
            actor=by,
            practice=invitation.practice_id,
            target=invitation,
            target_label=f"invitation #{invitation.pk} ({invitation.label})",
            detail={"role": invitation.role},
        )
    invitation.refresh_from_db()
    return invitation
