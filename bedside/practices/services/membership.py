"""Joining a practice, the first-visit tour, and members' roles."""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid, NotAllowed, NotFound
from bedside.practices.models import Invitation, Membership, Practice, Role, User
from bedside.practices.permissions import Action, AnyUser, forget_roles, require

DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 40


def clean_display_name(display_name: str, *, user: User) -> str:
    """The trimmed display name, or ``Invalid`` saying what is wrong with it."""
    name = " ".join(display_name.split())
    if not DISPLAY_NAME_MIN <= len(name) <= DISPLAY_NAME_MAX:
        raise Invalid(
            f"Please choose a name of {DISPLAY_NAME_MIN} to {DISPLAY_NAME_MAX} characters.",
            field="display_name",
        )
    if name.casefold() == user.email.casefold():
        raise Invalid(
            "Please do not use your email address: everyone in the practice would see it.",
            field="display_name",
        )
    return name


def join_practice(
    *,
    user: User,
    practice: Practice,
    display_name: str,
    accepted_guidelines: bool,
    invitation: Invitation | None = None,
) -> Membership:
    """Make ``user`` a member of ``practice``: a patient, or the invitation's role."""
    if not accepted_guidelines:
        raise Invalid(
            "Please read and accept the community guidelines to join.",
            field="accepted_guidelines",
        )
    name = clean_display_name(display_name, user=user)
    if invitation is not None and invitation.practice_id != practice.pk:
        raise NotFound("This invitation link is not valid.")
    if invitation is None and not practice.is_open_signup:
        raise NotAllowed(f"{practice.name} welcomes new members by invitation only.")
    if Membership.objects.filter(user=user, practice=practice).exists():
        raise Conflict(f"You are already a member of {practice.name}: welcome back!")
    with transaction.atomic():
        if invitation is not None:
            _use_invitation(invitation)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user,
                    practice=practice,
                    role=invitation.role if invitation else Role.PATIENT,
                    display_name=name,
                    accepted_guidelines_at=timezone.now(),
                    invitation=invitation,
                )
        except IntegrityError:
            raise Conflict(f"You are already a member of {practice.name}: welcome back!") from None
    forget_roles(user)
    return membership


def _use_invitation(invitation: Invitation) -> None:
    """Count one use, atomically, refusing if the invitation stopped working meanwhile."""
    reason = invitation.unusable_reason()
    if reason is not None:
        raise Conflict(reason)
    now = timezone.now()
    counted = (
        Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(Q(max_uses__isnull=True) | Q(use_count__lt=F("max_uses")))
        .update(use_count=F("use_count") + 1)
    )
    if not counted:
        invitation.refresh_from_db()
        raise Conflict(invitation.unusable_reason() or "This invitation can no longer be used.")


def complete_tour(*, user: User, practice: Practice) -> None:
    """Remember that ``user`` has seen the first-visit tour of ``practice``."""
    updated = Membership.objects.filter(user=user, practice=practice).update(
        has_completed_tour=True
    )
    if not updated:
        raise NotFound("You do not belong to this practice.")


def change_role(*, by: AnyUser, membership: Membership, role: str) -> Membership:
    """Give a member another role. Only owners touch the owner role; one owner stays."""
    if role not in Role.values:
        raise Invalid("Please choose one of the roles.", field="role")
    require(by, Action.MANAGE_MEMBERS, membership.practice)
    touches_owner = Role.OWNER in {membership.role, role}
    if touches_owner and not _is_owner(by, membership.practice):
        raise NotAllowed("Only an owner can make someone an owner or change an owner's role.")
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.role == Role.OWNER and role != Role.OWNER:
            owners = Membership.objects.filter(practice_id=current.practice_id, role=Role.OWNER)
            if owners.count() <= 1:
                raise Conflict(
                    "A practice needs at least one owner: make someone else owner first."
                )
        before = current.role
        current.role = role
        current.save(update_fields=["role", "updated_at"])
        record(
            action="member.role",
            actor=by,
            practice=current.practice_id,
            target=current,
            target_label=f"membership #{current.pk}",
            detail={"from": before, "to": role},
        )
    return current


def _is_owner(user: AnyUser, practice: Practice) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, practice=practice, role=Role.OWNER).exists()
    )
