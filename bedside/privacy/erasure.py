"""Removing one person from every surface, keeping every counter right.

Called by ``services.delete_account`` inside its transaction, before the user row itself is
deleted (which cascades whatever is left: email addresses, two-factor devices, preferences,
notifications, memberships). Each function handles one kind of row and moves the counters
on the rows it touches, so feeds, event seats, poll tallies and group sizes stay true.
Seats are freed through the events service, so the waitlist moves as it always does.
"""

from collections import Counter
from collections.abc import Callable

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F, Model
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Greatest
from django.utils import timezone

from bedside.community.models import (
    Group,
    GroupMember,
    MemberStatus,
    PostStatus,
    Reply,
    Thread,
)
from bedside.core.errors import DomainError
from bedside.education.models import Question
from bedside.engagement.contests.models import Contest, Entry
from bedside.engagement.models import Attempt, Ballot, BallotMark, Poll, PollChoice, Quiz
from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.events.services import rsvp
from bedside.notify.community import REPLY_KIND, reply_key
from bedside.notify.models import EmailDelivery, Notification, NotificationPreference
from bedside.notify.push.models import PushSubscription
from bedside.posts.models import Comment, Post, Reaction
from bedside.practices.models import User
from bedside.privacy.former import FORMER_MEMBER_NAME, former_member, former_seat

REMOVED_TITLE = "Removed by its author"


def _less(counts: Counter[int], model: type[Model], field: str) -> None:
    """Take ``counts[pk]`` off ``field`` of each row, never below zero."""
    for pk, step in counts.items():
        model._default_manager.filter(pk=pk).update(**{field: Greatest(F(field) - step, 0)})


def erase_reactions(user: User) -> None:
    found = Reaction.objects.filter(user=user)
    _less(Counter(found.values_list("post_id", flat=True)), Post, "reaction_count")
    found.delete()


def erase_comments(user: User, *, keep: bool) -> None:
    found = Comment.objects.filter(author=user)
    if keep:
        found.update(author=former_member())
        return
    shown = found.filter(is_hidden=False).values_list("post_id", flat=True)
    _less(Counter(shown), Post, "comment_count")
    found.delete()


def erase_rsvps(user: User) -> None:
    """Say "not going" through the events service where a seat or a waitlist place is held
    on an event still to come (the next person waiting gets the seat), then drop every reply."""
    holding = Rsvp.objects.filter(
        user=user,
        status__in=[RsvpStatus.GOING, RsvpStatus.WAITLISTED],
        checked_in_at__isnull=True,
        event__ends_at__gt=timezone.now(),
    ).select_related("event__post")
    for answer in holding:
        try:
            with transaction.atomic():
                rsvp(event=answer.event, patient=user, going=False)
        except DomainError:
            pass  # not open for replies any more: counted off below like a past event
    going: Counter[int] = Counter()
    waiting: Counter[int] = Counter()
    for event_id, status in Rsvp.objects.filter(user=user).values_list("event_id", "status"):
        if status == RsvpStatus.GOING:
            going[event_id] += 1
        elif status == RsvpStatus.WAITLISTED:
            waiting[event_id] += 1
    _less(going, Event, "going_count")
    _less(waiting, Event, "waitlist_count")
    Rsvp.objects.filter(user=user).delete()


def erase_ballots(user: User) -> None:
    ballots = Ballot.objects.filter(user=user)
    marks = BallotMark.objects.filter(ballot__user=user).values_list("choice_id", flat=True)
    _less(Counter(marks), PollChoice, "vote_count")
    _less(Counter(ballots.values_list("poll_id", flat=True)), Poll, "voter_count")
    ballots.delete()


def erase_attempts(user: User) -> None:
    attempts = Attempt.objects.filter(user=user)
    finished = attempts.filter(finished_at__isnull=False).values_list("quiz_id", flat=True)
    _less(Counter(finished), Quiz, "attempt_count")
    attempts.delete()


def erase_entries(user: User) -> None:
    """An open contest counts the entry off. A drawn one published its entry list and its
    picks by pseudonymous number, and anyone may recompute the draw: a picked entry stays,
    emptied and handed to the Former member, so the draw still verifies; the rest go."""
    entries = list(Entry.objects.filter(user=user).select_related("contest"))
    undrawn = Counter(e.contest_id for e in entries if e.contest.drawn_at is None)
    _less(undrawn, Contest, "entry_count")
    for entry in entries:
        if entry.photo:
            transaction.on_commit(_deleter(entry.photo))
    picked = [e for e in entries if e.contest.drawn_at is not None and e.draw_position is not None]
    for entry in picked:
        # ``period`` keeps one entry per person and period; the Former member may hold
        # several picked entries of one contest, so each gets a period of its own.
        Entry.objects.filter(pk=entry.pk).update(
            user=former_member(),
            period=f"#{entry.pk}"[:10],
            answer="",
            photo="",
            photo_alt="",
            photo_consent=False,
            name_consent=False,
        )
    Entry.objects.filter(user=user).delete()


def _deleter(photo: FieldFile) -> Callable[[], None]:
    name = photo.name or ""
    return lambda: photo.storage.delete(name)


def erase_questions(user: User) -> None:
    # A published answer keeps its own rephrased, identifier-free text; its link to the
    # private question is cleared by the foreign key (SET_NULL).
    Question.objects.filter(asker=user).delete()


def erase_group_memberships(user: User) -> None:
    seats = GroupMember.objects.filter(user=user)
    active = seats.filter(status=MemberStatus.ACTIVE).values_list("group_id", flat=True)
    _less(Counter(active), Group, "member_count")
    seats.delete()


def erase_group_posts(user: User, *, keep: bool) -> None:
    """Replies and conversations: moved to the "Former member", or deleted. A conversation
    others replied to is emptied and taken down rather than deleted, so their replies are
    not lost with it (the same as when an author deletes it themselves)."""
    _retell_reply_notices(user, keep=keep)
    if keep:
        _move_group_posts(user)
        return
    replies = Reply.objects.filter(author=user)
    published = replies.filter(status=PostStatus.PUBLISHED).values_list("thread_id", flat=True)
    _less(Counter(published), Thread, "reply_count")
    replies.delete()
    threads = Thread.objects.filter(author=user)
    answered = threads.filter(replies__isnull=False).distinct()
    for thread in answered:
        seat = former_seat(thread.practice_id)
        Thread.objects.filter(pk=thread.pk).update(
            author=seat.user,
            author_membership=seat,
            title=REMOVED_TITLE,
            body="",
            body_html="",
            status=PostStatus.DELETED,
        )
    Thread.objects.filter(author=user).delete()


def _retell_reply_notices(user: User, *, keep: bool) -> None:
    """Followers were told "<name> replied in <group>": the notice now names the Former
    member, or goes with the reply it pointed to."""
    by_group: dict[str, list[str]] = {}
    for reply in Reply.objects.filter(author=user).select_related("thread__group"):
        by_group.setdefault(reply.thread.group.name, []).append(reply_key(reply))
    for group_name, keys in by_group.items():
        notices = Notification.objects.filter(kind=REPLY_KIND, key__in=keys)
        if keep:
            notices.update(body=f"{FORMER_MEMBER_NAME} replied in {group_name}.")
        else:
            notices.delete()


def _move_group_posts(user: User) -> None:
    for model in (Thread, Reply):
        practices = model.objects.filter(author=user).values_list("practice_id", flat=True)
        for practice_id in set(practices):
            seat = former_seat(practice_id)
            model.objects.filter(author=user, practice_id=practice_id).update(
                author=seat.user, author_membership=seat
            )


def erase_notices(user: User) -> None:
    PushSubscription.objects.filter(user=user).delete()
    EmailDelivery.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()


def end_sessions(user: User) -> None:
    """Sessions hold the user id only inside their signed data, so each live one is read.
    The user row is gone right after, so a session missed here could not sign in anyway."""
    wanted = str(user.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [
        session.pk
        for session in live.iterator(chunk_size=1000)
        if session.get_decoded().get("_auth_user_id") == wanted
    ]
    Session.objects.filter(pk__in=ended).delete()
