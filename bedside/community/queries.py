"""Reads the group pages need, each a constant number of queries whatever the data size."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bedside.community.models import (
    Group,
    GroupMember,
    GroupReaction,
    MemberStatus,
    ModerationLogEntry,
    PostStatus,
    ReactionKind,
    Reply,
    Report,
    SafetyAlert,
    Thread,
    ThreadFollow,
    Visibility,
)
from bedside.practices.models import Practice
from bedside.practices.permissions import AnyUser

THREADS_PER_PAGE = 50
LOG_PER_PAGE = 100


def groups_for(practice: Practice, viewer: AnyUser, *, moderator: bool) -> list[Group]:
    """Groups the viewer may find: public and private ones, and hidden ones they belong to
    or were invited to (moderators see all). One query."""
    groups = Group.objects.filter(practice=practice).order_by("name")
    if not moderator:
        visible = ~Q(visibility=Visibility.HIDDEN)
        if viewer.is_authenticated:
            visible |= Q(
                members__user_id=viewer.pk,
                members__status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED],
            )
        groups = groups.filter(visible).distinct()
    return list(groups)


def my_statuses(practice: Practice, viewer: AnyUser) -> dict[int, str]:
    if not viewer.is_authenticated:
        return {}
    return dict(
        GroupMember.objects.filter(practice=practice, user_id=viewer.pk).values_list(
            "group_id", "status"
        )
    )


def threads_of(group: Group, viewer: AnyUser, *, moderator: bool) -> list[Thread]:
    """Published threads (pinned first, then by latest activity), plus the viewer's own
    held ones; moderators also see held and hidden ones. One query."""
    shown = Q(status=PostStatus.PUBLISHED)
    if moderator:
        shown |= Q(status__in=[PostStatus.HELD, PostStatus.HIDDEN])
    elif viewer.is_authenticated:
        shown |= Q(status__in=[PostStatus.HELD, PostStatus.HIDDEN], author_id=viewer.pk)
    return list(
        Thread.objects.filter(shown, group=group)
        .select_related("author_membership")
        .order_by("-is_pinned", "-last_activity_at", "-id")[:THREADS_PER_PAGE]
    )


@dataclass(frozen=True)
class ReactionView:
    kind: str
    label: str
    count: int
    mine: bool


@dataclass(frozen=True)
class PostView:
    """A thread or reply with its reaction buttons, for the template."""

    post: Thread | Reply
    is_thread: bool
    reactions: list[ReactionView]


@dataclass(frozen=True)
class ThreadPage:
    opening: PostView
    replies: list[PostView]
    following: bool


def thread_page(thread: Thread, viewer: AnyUser, *, moderator: bool) -> ThreadPage:
    """The thread with its visible replies (quotes and pseudonyms loaded), reaction counts
    and the viewer's own reactions, and whether they follow it. Three queries."""
    shown = Q(status=PostStatus.PUBLISHED)
    if moderator:
        shown = ~Q(status=PostStatus.DELETED)
    elif viewer.is_authenticated:
        shown |= Q(status__in=[PostStatus.HELD, PostStatus.HIDDEN], author_id=viewer.pk)
    replies = list(
        Reply.objects.filter(shown, thread=thread)
        .select_related("author_membership", "quote__author_membership")
        .order_by("created_at", "id")
    )
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    mine: set[tuple[str, int, str]] = set()
    rows = (
        GroupReaction.objects.filter(Q(thread=thread) | Q(reply_id__in=[r.pk for r in replies]))
        .values("thread_id", "reply_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=viewer.pk or 0)))
        .order_by()
    )
    for row in rows:
        key = ("thread", row["thread_id"]) if row["thread_id"] else ("reply", row["reply_id"])
        counts[key][row["kind"]] = row["n"]
        if row["mine"]:
            mine.add((*key, row["kind"]))

    def view(post: Thread | Reply, kind: str) -> PostView:
        found = counts.get((kind, post.pk), {})
        return PostView(
            post=post,
            is_thread=kind == "thread",
            reactions=[
                ReactionView(
                    kind=value,
                    label=str(label),
                    count=found.get(value, 0),
                    mine=(kind, post.pk, value) in mine,
                )
                for value, label in ReactionKind.choices
            ],
        )

    following = bool(
        viewer.is_authenticated
        and ThreadFollow.objects.filter(thread=thread, user_id=viewer.pk).exists()
    )
    return ThreadPage(
        opening=view(thread, "thread"),
        replies=[view(reply, "reply") for reply in replies],
        following=following,
    )


@dataclass
class Queue:
    join_requests: list[GroupMember]
    held_threads: list[Thread]
    held_replies: list[Reply]
    reports: list[Report]
    alerts: list[SafetyAlert]

    @property
    def is_empty(self) -> bool:
        return not (
            self.join_requests
            or self.held_threads
            or self.held_replies
            or self.reports
            or self.alerts
        )


def moderation_queue(practice: Practice) -> Queue:
    """Everything waiting for a moderator in the practice: five queries."""
    return Queue(
        join_requests=list(
            GroupMember.objects.filter(practice=practice, status=MemberStatus.PENDING)
            .select_related("group", "membership")
            .order_by("created_at", "id")
        ),
        held_threads=list(
            Thread.objects.filter(practice=practice, status=PostStatus.HELD)
            .select_related("group", "author_membership")
            .order_by("created_at", "id")
        ),
        held_replies=list(
            Reply.objects.filter(practice=practice, status=PostStatus.HELD)
            .select_related("thread__group", "author_membership")
            .order_by("created_at", "id")
        ),
        reports=list(
            Report.objects.filter(practice=practice, resolved_at__isnull=True)
            .select_related(
                "thread__group",
                "thread__author_membership",
                "reply__thread__group",
                "reply__author_membership",
            )
            .order_by("created_at", "id")
        ),
        alerts=list(
            SafetyAlert.objects.filter(practice=practice, handled_at__isnull=True)
            .select_related("thread__group", "reply__thread__group")
            .order_by("created_at", "id")
        ),
    )


def moderation_log(practice: Practice) -> QuerySet[ModerationLogEntry]:
    return (
        ModerationLogEntry.objects.filter(practice=practice)
        .select_related("group", "moderator", "thread", "reply", "member__membership")
        .order_by("-created_at", "-id")[:LOG_PER_PAGE]
    )


def members_of(group: Group) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(group=group)
        .exclude(status__in=[MemberStatus.LEFT, MemberStatus.DECLINED])
        .select_related("membership")
        .order_by("membership__display_name", "id")
    )
