"""Everything the house keeps about a person, section by section, for "Download my data".

Each ``Section`` says which foreign keys to the user (or their membership) it covers, as
``"app_label.Model.field"``; ``NOT_PERSONAL`` names the others and says why they are left
out. ``tests/privacy/test_export.py`` walks every installed model and fails when a foreign
key to a user or a membership is in neither, so a new model cannot slip past the export.
Rows are read with ``iterator()`` one section at a time, so a large account never sits in
memory whole.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    covers: tuple[str, ...]
    rows: Callable[[User], Iterable[Row]]


def _account(user: User) -> Iterator[Row]:
    yield {
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
    }


def _email_addresses(user: User) -> Iterator[Row]:
    for address in EmailAddress.objects.filter(user=user).order_by("pk").iterator():
        yield {"email": address.email, "verified": address.verified, "primary": address.primary}


def _authenticators(user: User) -> Iterator[Row]:
    # The kind and dates only: the secrets themselves would let anyone holding the file in.
    for device in Authenticator.objects.filter(user=user).order_by("pk").iterator():
        yield {
            "type": device.get_type_display(),
            "created_at": device.created_at,
            "last_used_at": device.last_used_at,
        }


def _memberships(user: User) -> Iterator[Row]:
    seats = Membership.objects.filter(user=user).select_related("practice").order_by("pk")
    for seat in seats.iterator():
        yield {
            "practice": seat.practice.name,
            "role": seat.get_role_display(),
            "display_name": seat.display_name,
            "joined_at": seat.created_at,
            "accepted_guidelines_at": seat.accepted_guidelines_at,
        }


def _staff_profiles(user: User) -> Iterator[Row]:
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


def _preferences(user: User) -> Iterator[Row]:
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


def _notifications(user: User) -> Iterator[Row]:
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


def _emails_sent(user: User) -> Iterator[Row]:
    found = EmailDelivery.objects.filter(user=user).select_related("practice").order_by("pk")
    for delivery in found.iterator():
        yield {
            "practice": delivery.practice.name,
            "to": delivery.to,
            "status": delivery.get_status_display(),
            "sent_at": delivery.sent_at,
        }


def _push_subscriptions(user: User) -> Iterator[Row]:
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


def _posts_written(user: User) -> Iterator[Row]:
    found = Post.objects.filter(author=user).select_related("practice").order_by("pk")
    for post in found.iterator():
        yield {
            "practice": post.practice.name,
            "title": post.title,
            "kind": post.get_kind_display(),
            "status": post.get_status_display(),
            "published_at": post.published_at,
        }


def _reactions(user: User) -> Iterator[Row]:
    found = Reaction.objects.filter(user=user).select_related("post__practice").order_by("pk")
    for reaction in found.iterator():
        yield {
            **_post_link(reaction.post),
            "reaction": reaction.get_kind_display(),
            "at": reaction.created_at,
        }


def _comments(user: User) -> Iterator[Row]:
    found = Comment.objects.filter(author=user).select_related("post__practice").order_by("pk")
    for comment in found.iterator():
        yield {
            **_post_link(comment.post),
            "comment": comment.body,
            "at": comment.created_at,
            "hidden_by_staff": comment.is_hidden,
        }


def _rsvps(user: User) -> Iterator[Row]:
    found = Rsvp.objects.filter(user=user).select_related("event__post__practice")
    for answer in found.order_by("pk").iterator():
        yield {
            **_post_link(answer.event.post),
            "starts_at": answer.event.starts_at,
            "answer": answer.get_status_display(),
            "responded_at": answer.responded_at,
            "checked_in_at": answer.checked_in_at,
        }


def _questions(user: User) -> Iterator[Row]:
    found = Question.objects.filter(asker=user).select_related("practice").order_by("pk")
    for question in found.iterator():
        yield {
            "practice": question.practice.name,
            "question": question.body,
            "status": question.get_status_display(),
            "asked_at": question.created_at,
            "answered_at": question.answered_at,
        }


def _ballots(user: User) -> Iterator[Row]:
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


def _attempts(user: User) -> Iterator[Row]:
    found = Attempt.objects.filter(user=user).select_related("quiz__post__practice")
    for attempt in found.order_by("pk").iterator():
        yield {
            **_post_link(attempt.quiz.post),
            "score": attempt.score,
            "answered": attempt.answered,
            "finished_at": attempt.finished_at,
            "on_leaderboard": attempt.on_leaderboard,
        }


def _entries(user: User) -> Iterator[Row]:
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


def _group_memberships(user: User) -> Iterator[Row]:
    found = GroupMember.objects.filter(user=user).select_related("group", "practice")
    for member in found.order_by("pk").iterator():
        yield {
            "practice": member.practice.name,
            "group": member.group.name,
            "status": member.get_status_display(),
            "request_note": member.request_note,
            "accepted_guidelines_at": member.accepted_guidelines_at,
        }


def _threads(user: User) -> Iterator[Row]:
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


def _replies(user: User) -> Iterator[Row]:
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


def _group_reactions(user: User) -> Iterator[Row]:
    found = GroupReaction.objects.filter(user=user).select_related("thread", "reply__thread")
    for reaction in found.order_by("pk").iterator():
        thread = reaction.thread or (reaction.reply.thread if reaction.reply else None)
        yield {
            "conversation": thread.title if thread else "",
            "on": "opening post" if reaction.thread_id else "reply",
            "reaction": reaction.get_kind_display(),
            "at": reaction.created_at,
        }


def _follows(user: User) -> Iterator[Row]:
    found = ThreadFollow.objects.filter(user=user).select_related("thread")
    for follow in found.order_by("pk").iterator():
        yield {"conversation": follow.thread.title, "since": follow.created_at}


def _reports(user: User) -> Iterator[Row]:
    found = Report.objects.filter(reporter=user).select_related("thread", "reply__thread")
    for report in found.order_by("pk").iterator():
        thread = report.thread or (report.reply.thread if report.reply else None)
        yield {
            "conversation": thread.title if thread else "",
            "reason": report.reason,
            "at": report.created_at,
            "resolved_at": report.resolved_at,
        }


def _authorizations(user: User) -> Iterator[Row]:
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


SECTIONS: tuple[Section, ...] = (
    Section("account", "Your account", (), _account),
    Section("email_addresses", "Email addresses", ("account.EmailAddress.user",), _email_addresses),
    Section("two_factor", "Two-factor sign-in", ("mfa.Authenticator.user",), _authenticators),
    Section(
        "memberships",
        "Practices you follow or work at",
        ("practices.Membership.user",),
        _memberships,
    ),
    Section(
        "staff_profiles",
        "Your team profiles",
        ("practices.StaffProfile.membership",),
        _staff_profiles,
    ),
    Section(
        "notification_preferences",
        "Notification preferences",
        ("notify.NotificationPreference.user",),
        _preferences,
    ),
    Section("notifications", "Notifications", ("notify.Notification.user",), _notifications),
    Section("emails_sent", "Emails we sent you", ("notify.EmailDelivery.user",), _emails_sent),
    Section(
        "push_subscriptions",
        "Browsers receiving push notifications",
        ("push.PushSubscription.user",),
        _push_subscriptions,
    ),
    Section(
        "posts_written", "Posts you wrote for a practice", ("posts.Post.author",), _posts_written
    ),
    Section("reactions", "Reactions", ("posts.Reaction.user",), _reactions),
    Section("comments", "Comments", ("posts.Comment.author",), _comments),
    Section("rsvps", "Event replies", ("events.Rsvp.user",), _rsvps),
    Section("questions", "Questions you asked", ("education.Question.asker",), _questions),
    Section("poll_ballots", "Poll votes", ("engagement.Ballot.user",), _ballots),
    Section("quiz_attempts", "Quizzes played", ("engagement.Attempt.user",), _attempts),
    Section("contest_entries", "Contest entries", ("contests.Entry.user",), _entries),
    Section(
        "group_memberships",
        "Support groups",
        ("community.GroupMember.user", "community.GroupMember.membership"),
        _group_memberships,
    ),
    Section(
        "group_threads",
        "Conversations you started",
        ("community.Thread.author", "community.Thread.author_membership"),
        _threads,
    ),
    Section(
        "group_replies",
        "Replies in support groups",
        ("community.Reply.author", "community.Reply.author_membership"),
        _replies,
    ),
    Section(
        "group_reactions",
        "Reactions in support groups",
        ("community.GroupReaction.user",),
        _group_reactions,
    ),
    Section(
        "followed_conversations",
        "Conversations you follow",
        ("community.ThreadFollow.user",),
        _follows,
    ),
    Section("reports_filed", "Reports you filed", ("community.Report.reporter",), _reports),
    Section(
        "authorizations",
        "Authorizations you signed for a practice",
        ("compliance.Authorization.membership",),
        _authorizations,
    ),
)

# Keys to a person that record their work for a practice, not data about them; the practice
# keeps these records (who reviewed, drew, decided or moderated) when the person leaves.
NOT_PERSONAL: dict[str, str] = {
    "admin.LogEntry.user": "Django admin's own log of site administrators' edits.",
    "practices.Invitation.created_by": "which staff member made a practice's invitation link",
    "education.Article.reviewed_by": "the clinician who reviewed an article (work record)",
    "education.Citation.approved_by": "the clinician who approved a source (work record)",
    "contests.Contest.drawn_by": "the staff member who ran a draw (work record)",
    "community.GroupMember.decided_by": "the moderator who decided a join request",
    "community.Report.resolved_by": "the moderator who resolved a report",
    "community.ModerationLogEntry.moderator": "the moderator who took a logged action",
    "community.SafetyAlert.handled_by": "the moderator who handled a safety alert",
    "compliance.Authorization.created_by": "the staff member who filed an authorization",
    "compliance.Authorization.revoked_by": "the staff member who recorded a revocation",
    "compliance.PostAuthorization.attached_by": "who attached an authorization to a post",
    "compliance.IdentifierOverride.by": "the compliance officer who signed off an override",
    "studio.PostEvent.actor": "the staff member who took a step in a post's review",
    "syndication.Channel.connected_by": "the staff member who connected a network account",
}


def covered_keys() -> set[str]:
    return {key for section in SECTIONS for key in section.covers}
