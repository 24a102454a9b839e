"""State changes of notify: start a broadcast, notify people, read, choose, unsubscribe."""

from collections.abc import Iterable
from datetime import time

from django.db import transaction
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid, NotFound
from bedside.notify.fanout import Recipient, choices_for, enqueue_delivery, plan_notices
from bedside.notify.models import (
    Broadcast,
    Mode,
    Notification,
    NotificationPreference,
)
from bedside.notify.rules import read_unsubscribe_token
from bedside.notify.tasks import fan_out_broadcast
from bedside.posts.models import Kind, Post, Status
from bedside.practices.models import Membership, Practice, User
from bedside.practices.permissions import access_own_membership


def start_broadcast(*, post: Post) -> Broadcast:
    """Start telling every member of the post's practice about it; once per post.

    Called by the studio after publishing. A second call returns the same broadcast and
    enqueues nothing: the sweep resumes a broadcast that stalls.
    """
    if post.status != Status.PUBLISHED:
        raise Conflict("Only a published post can be broadcast.")
    with transaction.atomic():
        broadcast, created = Broadcast.objects.get_or_create(
            post=post,
            defaults={
                "total": Membership.objects.filter(practice_id=post.practice_id)
                .exclude(user=post.author)
                .count(),
                "next_attempt_at": timezone.now(),
            },
        )
        if created:
            broadcast_id = broadcast.pk
            transaction.on_commit(lambda: fan_out_broadcast.enqueue(broadcast_id))
    return broadcast


def notify_users(
    *,
    users: Iterable[User],
    practice: Practice,
    kind: str,
    title: str,
    body: str,
    url: str,
    key: str,
) -> int:
    """Tell ``users`` one thing (a reminder, a seat freed): in the app, by email and push as
    each chose. Idempotent by ``key``: a second call with the same key creates nothing.
    Returns how many people were newly notified.
    """
    if not title.strip():
        raise Invalid("A notification needs a title.", field="title")
    if not key or len(key) > 200:
        raise Invalid("A notification needs a key of at most 200 characters.", field="key")
    people = {user.pk: user.email for user in users}
    if not people:
        return 0
    members = set(
        Membership.objects.filter(practice=practice, user_id__in=list(people)).values_list(
            "user_id", flat=True
        )
    )
    user_ids = [user_id for user_id in people if user_id in members]
    choices = choices_for(practice.pk, user_ids)
    with transaction.atomic():
        planned = plan_notices(
            recipients=[
                Recipient(user_id=user_id, email=people[user_id], choices=choices[user_id])
                for user_id in user_ids
            ],
            practice_id=practice.pk,
            zone=practice.time_zone,
            post=None,
            broadcast=None,
            kind=kind,
            title=title[:200],
            body=body[:500],
            url=url,
            key=key,
            now=timezone.now(),
        )
        transaction.on_commit(lambda: enqueue_delivery(planned, broadcast_id=None))
    return planned.created


def mark_notification_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read; another person's is not found."""
    notification = Notification.objects.filter(pk=notification_id, user=user, in_app=True).first()
    if notification is None:
        raise NotFound("This notification does not exist.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        with transaction.atomic():
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=notification.read_at
            )
    return notification


def mark_all_notifications_read(*, user: User) -> int:
    with transaction.atomic():
        return Notification.objects.filter(user=user, read_at__isnull=True, in_app=True).update(
            read_at=timezone.now()
        )


MUTABLE_KINDS = (
    Kind.ARTICLE,
    Kind.ANSWER,
    Kind.TEAM,
    Kind.OFFICE_LIFE,
    Kind.ANNOUNCEMENT,
    Kind.EVENT,
    Kind.INTERVIEW,
)


def preferences_of(*, user: User, practice: Practice) -> NotificationPreference:
    """The member's saved preferences, or unsaved defaults; non-members are not found."""
    access_own_membership(user, practice)
    preference = NotificationPreference.objects.filter(user=user, practice=practice).first()
    return preference or NotificationPreference(user=user, practice=practice)


def update_preferences(
    *,
    user: User,
    practice: Practice,
    muted_kinds: Iterable[str],
    in_app: bool,
    email: bool,
    push: bool,
    mode: str,
    quiet_start: time | None,
    quiet_end: time | None,
) -> NotificationPreference:
    """Save how a member hears from one practice. Turning email on again opts back in."""
    muted = sorted(set(muted_kinds))
    allowed = {str(kind) for kind in MUTABLE_KINDS}
    if any(kind not in allowed for kind in muted):
        raise Invalid("Choose among the kinds of post listed.", field="kinds")
    if mode not in Mode.values:
        raise Invalid("Choose immediate emails or a daily digest.", field="mode")
    if (quiet_start is None) != (quiet_end is None):
        raise Invalid("Give both the start and the end of your quiet hours.", field="quiet_end")
    if quiet_start is not None and quiet_start == quiet_end:
        raise Invalid(
            "Quiet hours must end at a different time than they start.", field="quiet_end"
        )
    access_own_membership(user, practice)
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            user=user, practice=practice
        )
        preference.muted_kinds = muted
        preference.in_app = in_app
        if (email and not preference.email) or (email and preference.email_opted_out_at):
            preference.email_opted_out_at = None
        preference.email = email
        preference.push = push
        preference.mode = mode
        preference.quiet_start = quiet_start
        preference.quiet_end = quiet_end
        preference.save()
    return preference


def practice_of_unsubscribe_token(token: str) -> Practice:
    """The practice a genuine token unsubscribes from; a forged one is not found."""
    ids = read_unsubscribe_token(token)
    practice = Practice.objects.filter(pk=ids[1]).first() if ids else None
    if ids is None or practice is None:
        raise NotFound("This unsubscribe link is not valid.")
    return practice


def unsubscribe_email(*, token: str) -> NotificationPreference:
    """Stop email from one practice to the person the signed token names (RFC 8058).

    The token carries the user and the practice under the server's signature, so it can
    be neither forged nor turned to another person or practice.
    """
    ids = read_unsubscribe_token(token)
    if ids is None:
        raise NotFound("This unsubscribe link is not valid.")
    user_id, practice_id = ids
    if not Membership.objects.filter(user_id=user_id, practice_id=practice_id).exists():
        raise NotFound("This unsubscribe link is not valid.")
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            user_id=user_id, practice_id=practice_id
        )
        if preference.email_opted_out_at is None:
            preference.email_opted_out_at = timezone.now()
            preference.save(update_fields=["email_opted_out_at", "updated_at"])
    return preference
