"""The readers behind "Download my data": one per section, each yielding plain rows.

Each reads its rows with ``iterator()`` and explicit joins, so a section costs the same few
queries however many rows a person has, and never sits in memory whole. What the rows leave
out on purpose (secrets, other people) is said where it happens.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps

from bedside.community.models import (
    GroupMember,
    GroupReaction,
    Reply,
    Report,
    Thread,
    ThreadFollow,
)
from bedside.education.models import Question
from bedside.engagement.contests.models import Entry
from bedside.engagement.models import Attempt, Ballot
from bedside.events.models import Rsvp
from bedside.notify.models import EmailDelivery, Notification, NotificationPreference
from bedside.notify.push.models import PushSubscription
from bedside.posts.models import Comment, Post, Reaction
from bedside.practices.models import Membership, StaffProfile, User

Row = dict[str, Any]


def account(user: User) -> Iterator[Row]:
    yield {
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
    }


def email_addresses(user: User) -> Iterator[Row]:
    for address in EmailAddress.objects.filter(user=user).order_by("pk").iterator():
        yield {"email": address.email, "verified": address.verified, "primary": address.primary}


def authenticators(user: User) -> Iterator[Row]:
    # The kind and dates only: the secrets themselves would let anyone holding the file in.
    for device in Authenticator.objects.filter(user=user).order_by("pk").iterator():
        yield {
            "type": device.get_type_display(),
            "created_at": device.created_at,
            "last_used_at": device.last_used_at,
        }


def memberships(user: User) -> Iterator[Row]:
    seats = Membership.objects.filter(user=user).select_related("practice").order_by("pk")
    for seat in seats.iterator():
        yield {
            "practice": seat.practice.name,
            "role": seat.get_role_display(),
            "display_name": seat.display_name,
            "joined_at": seat.created_at,
            "accepted_guidelines_at": seat.accepted_guidelines_at,
        }


def staff_profiles(user: User) -> Iterator[Row]:
    profiles = StaffProfile.objects.filter(membership__user=user).select_related("practice")
    for profile in profiles.order_by("pk").iterator():
        yield {
            "practice": profile.practice.name,
            "name": profile.name,
            "role_title": profile.role_title,
            "credentials": profile.credentials,
            "bio": profile.bio,
            "is_visible": profile.is_visible,
        }


def preferences(user: User) -> Iterator[Row]:
    found = NotificationPreference.objects.filter(user=user).select_related("practice")
    for preference in found.order_by("pk").iterator():
        yield {
            "practice": preference.practice.name,
            "in_app": preference.in_app,
            "email": preference.email,
            "push": preference.push,
            "mode": preference.get_mode_display(),
            "muted_kinds": ", ".join(preference.muted_kinds or []),
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
            "email_opted_out_at": preference.email_opted_out_at,
        }


def notifications(user: User) -> Iterator[Row]:
    found = Notification.objects.filter(user=user).select_related("practice").order_by("pk")
    for notice in found.iterator():
        yield {
            "practice": notice.practice.name,
            "kind": notice.kind,
            "title": notice.title,
            "body": notice.body,
            "url": notice.url,
            "created_at": notice.created_at,
            "read_at": notice.read_at,
        }


def emails_sent(user: User) -> Iterator[Row]:
    found = EmailDelivery.objects.filter(user=user).select_related("practice").order_by("pk")
    for delivery in found.iterator():
        yield {
            "practice": delivery.practice.name,
            "to": delivery.to,
            "status": delivery.get_status_display(),
            "sent_at": delivery.sent_at,
        }


def push_subscriptions(user: User) -> Iterator[Row]:
    # The push service's host says which browser vendor; the full endpoint and keys are
    # capabilities to push to this device and stay out of the file.
    for subscription in PushSubscription.objects.filter(user=user).order_by("pk").iterator():
        yield {
            "push_service": urlsplit(subscription.endpoint).hostname or "",
            "created_at": subscription.created_at,
            "last_success_at": subscription.last_success_at,
        }


def _post_link(post: Post) -> Row:
    return {"practice": post.practice.name, "post": post.title}


def posts_written(user: User) -> Iterator[Row]:
    found = Post.objects.filter(author=user).select_related("practice").order_by("pk")
    for post in found.iterator():
        yield {
            "practice": post.practice.name,
            "title": post.title,
            "kind": post.get_kind_display(),
            "status": post.get_status_display(),
            "published_at": post.published_at,
        }


def reactions(user: User) -> Iterator[Row]:
    found = Reaction.objects.filter(user=user).select_related("post__practice").order_by("pk")
    for reaction in found.iterator():
        yield {
            **_post_link(reaction.post),
            "reaction": reaction.get_kind_display(),
            "at": reaction.created_at,
        }


def comments(user: User) -> Iterator[Row]:
    found = Comment.objects.filter(author=user).select_related("post__practice").order_by("pk")
    for comment in found.iterator():
        yield {
            **_post_link(comment.post),
            "comment": comment.body,
            "at": comment.created_at,
            "hidden_by_staff": comment.is_hidden,
        }


def rsvps(user: User) -> Iterator[Row]:
    found = Rsvp.objects.filter(user=user).select_related("event__post__practice")
    for answer in found.order_by("pk").iterator():
        yield {
            **_post_link(answer.event.post),
            "starts_at": answer.event.starts_at,
            "answer": answer.get_status_display(),
            "responded_at": answer.responded_at,
            "checked_in_at": answer.checked_in_at,
        }


def questions(user: User) -> Iterator[Row]:
    found = Question.objects.filter(asker=user).select_related("practice").order_by("pk")
    for question in found.iterator():
        yield {
            "practice": question.practice.name,
            "question": question.body,
            "status": question.get_status_display(),
            "asked_at": question.created_at,
            "answered_at": question.answered_at,
        }


def ballots(user: User) -> Iterator[Row]:
    found = (
        Ballot.objects.filter(user=user)
        .select_related("poll__post__practice")
        .prefetch_related("marks__choice")
        .order_by("pk")
    )
    for ballot in found.iterator(chunk_size=500):
        yield {
            **_post_link(ballot.poll.post),
            "choices": ", ".join(mark.choice.label for mark in ballot.marks.all()),
            "cast_at": ballot.cast_at,
        }


def attempts(user: User) -> Iterator[Row]:
    found = Attempt.objects.filter(user=user).select_related("quiz__post__practice")
    for attempt in found.order_by("pk").iterator():
        yield {
            **_post_link(attempt.quiz.post),
            "score": attempt.score,
            "answered": attempt.answered,
            "finished_at": attempt.finished_at,
            "on_leaderboard": attempt.on_leaderboard,
        }


def entries(user: User) -> Iterator[Row]:
    found = Entry.objects.filter(user=user).select_related("contest__post__practice")
    for entry in found.order_by("pk").iterator():
        yield {
            **_post_link(entry.contest.post),
            "entry_id": entry.public_id,
            "entered_at": entry.created_at,
            "answer": entry.answer,
            "photo_alt": entry.photo_alt,
            "draw_position": entry.draw_position,
            "claimed_at": entry.claimed_at,
        }


def group_memberships(user: User) -> Iterator[Row]:
    found = GroupMember.objects.filter(user=user).select_related("group", "practice")
    for member in found.order_by("pk").iterator():
        yield {
            "practice": member.practice.name,
            "group": member.group.name,
            "status": member.get_status_display(),
            "request_note": member.request_note,
            "accepted_guidelines_at": member.accepted_guidelines_at,
        }


def threads(user: User) -> Iterator[Row]:
    found = Thread.objects.filter(author=user).select_related("group", "author_membership")
    for thread in found.order_by("pk").iterator():
        yield {
            "group": thread.group.name,
            "shown_as": thread.author_membership.display_name,
            "title": thread.title,
            "body": thread.body,
            "status": thread.get_status_display(),
            "at": thread.created_at,
        }


def replies(user: User) -> Iterator[Row]:
    found = Reply.objects.filter(author=user).select_related("thread__group", "author_membership")
    for reply in found.order_by("pk").iterator():
        yield {
            "group": reply.thread.group.name,
            "conversation": reply.thread.title,
            "shown_as": reply.author_membership.display_name,
            "body": reply.body,
            "status": reply.get_status_display(),
            "at": reply.created_at,
        }


def group_reactions(user: User) -> Iterator[Row]:
    found = GroupReaction.objects.filter(user=user).select_related("thread", "reply__thread")
    for reaction in found.order_by("pk").iterator():
        thread = reaction.thread or (reaction.reply.thread if reaction.reply else None)
        yield {
            "conversation": thread.title if thread else "",
            "on": "opening post" if reaction.thread_id else "reply",
            "reaction": reaction.get_kind_display(),
            "at": reaction.created_at,
        }


def follows(user: User) -> Iterator[Row]:
    found = ThreadFollow.objects.filter(user=user).select_related("thread")
    for follow in found.order_by("pk").iterator():
        yield {"conversation": follow.thread.title, "since": follow.created_at}


def reports(user: User) -> Iterator[Row]:
    found = Report.objects.filter(reporter=user).select_related("thread", "reply__thread")
    for report in found.order_by("pk").iterator():
        thread = report.thread or (report.reply.thread if report.reply else None)
        yield {
            "conversation": thread.title if thread else "",
            "reason": report.reason,
            "at": report.created_at,
            "resolved_at": report.resolved_at,
        }


def authorizations(user: User) -> Iterator[Row]:
    # Compliance sits on privacy's own layer, so its model is looked up by name, not
    # imported; the signed file stays with the practice (it is their record of consent).
    try:
        model = apps.get_model("compliance", "Authorization")
    except LookupError:
        return
    found = model.objects.filter(membership__user=user).select_related("practice")
    for authorization in found.order_by("pk").iterator():
        yield {
            "practice": authorization.practice.name,
            "name_on_the_form": authorization.subject_name,
            "covers": ", ".join(authorization.covers or []),
            "signed_on": authorization.signed_on,
            "expires_on": authorization.expires_on,
            "revoked_at": authorization.revoked_at,
        }
