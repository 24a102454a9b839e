"""A person's rights over their own data: download it, delete the account, change the email.

These act on the signed-in person's own account only, so there is no ``require``: the
person is both the actor and the subject. Each is still audited (``account.export``,
``account.delete``), with no practice, because no practice acted.
"""

import logging
from dataclasses import dataclass
from typing import IO

from allauth.account.models import EmailAddress
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.core.ratelimit import Limit, RateLimited, consume
from bedside.practices.models import Membership, Role, User
from bedside.privacy import erasure
from bedside.privacy.export import build_archive
from bedside.privacy.former import is_former_member

log = logging.getLogger(__name__)

EXPORTS_PER_HOUR = Limit(count=3, seconds=3600)


@dataclass(frozen=True)
class Archive:
    file: IO[bytes]
    filename: str


def export_my_data(*, user: User) -> Archive:
    """The zip of everything about ``user``; three an hour, each one audited."""
    try:
        consume(scope="privacy-export", who=user.pk, limit=EXPORTS_PER_HOUR)
    except RateLimited:
        raise RateLimited(
            "You have downloaded your data three times this hour. Please try again later."
        ) from None
    label = _audit_label(user, f"account #{user.pk}")
    with transaction.atomic():
        record(
            action="account.export",
            actor=user,
            actor_label=label,
            target=user,
            target_label=f"account #{user.pk}",
        )
    archive = build_archive(user)
    return Archive(file=archive, filename=f"bedside-my-data-{timezone.localdate().isoformat()}.zip")


def sole_owned_practices(user: User) -> list[str]:
    """Names of the practices ``user`` owns alone: deleting them would leave nobody in charge."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER).select_related("practice")
    lonely = []
    for seat in owned:
        others = Membership.objects.filter(practice_id=seat.practice_id, role=Role.OWNER)
        if not others.exclude(user=user).exists():
            lonely.append(seat.practice.name)
    return lonely


def delete_account(*, user: User, password: str, keep_posts: bool) -> None:
    """Delete ``user`` and everything about them. With ``keep_posts`` their comments and
    support-group posts stay, shown as "Former member"; otherwise those are deleted too.
    A confirmation goes to the old address once the deletion is committed."""
    if not password or not user.check_password(password):
        raise Invalid("That is not your password.", field="password")
    if is_former_member(user):
        raise Conflict("This account holds former members' posts and cannot be deleted.")
    lonely = sole_owned_practices(user)
    if lonely:
        raise Conflict(
            f"You are the only owner of {', '.join(lonely)}. Make another team member an "
            "owner first, so the practice is not left without one."
        )
    address = user.email
    label = _audit_label(user, f"deleted account #{user.pk}")
    with transaction.atomic():
        _erase(user, keep_posts=keep_posts)
        record(
            action="account.delete",
            actor=user,
            actor_label=label,
            target_label=label,
            detail={"kept_posts": keep_posts},
        )
        user.delete()
        transaction.on_commit(lambda: _mail_goodbye(address, kept_posts=keep_posts))


def _audit_label(user: User, patient_label: str) -> str:
    """Staff stay accountable by address; a patient is named by number only, since the
    trail is append-only and would otherwise keep their address after they leave."""
    is_staff = Membership.objects.filter(user=user).exclude(role=Role.PATIENT).exists()
    return user.email if is_staff else patient_label


def _erase(user: User, *, keep_posts: bool) -> None:
    erasure.erase_reactions(user)
    erasure.erase_comments(user, keep=keep_posts)
    erasure.erase_rsvps(user)
    erasure.erase_ballots(user)
    erasure.erase_attempts(user)
    erasure.erase_entries(user)
    erasure.erase_questions(user)
    erasure.erase_group_posts(user, keep=keep_posts)
    erasure.erase_group_memberships(user)
    erasure.erase_notices(user)
    erasure.end_sessions(user)


def _mail_goodbye(address: str, *, kept_posts: bool) -> None:
    context = {"kept_posts": kept_posts}
    message = EmailMultiAlternatives(
        subject="Your Bedside account has been deleted",
        body=render_to_string("privacy/email/deleted.txt", context),
        to=[address],
    )
    try:
        message.send()
    except Exception:
        # The account is gone whatever the mail server says; the log keeps no address.
        log.exception("could not mail the confirmation of an account deletion")


def prepare_email_change(*, user: User) -> None:
    """Put the address ``user`` signs in with on record with allauth as verified and primary.

    allauth's change flow takes an unverified address for the one being changed *to*, and
    replacing it would blank the account's only sign-in address. Accounts made by invitation
    or by the demo have no record at all, and a sign-in may leave an unverified one; either
    way this is the address the person signs in with, so it is the current one."""
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
            primary=False
        )
        current = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if current is None:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        elif not (current.verified and current.primary):
            current.verified = current.primary = True
            current.save(update_fields=["verified", "primary"])
