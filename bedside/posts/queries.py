"""Reads for feeds and post pages, each in a fixed number of queries whatever the data size.

A feed page is one indexed range scan on ``(practice, status, published_at, id)`` with a
keyset cursor, then one query each for the page's images and the viewer's own reactions.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from bedside.core.cursor import Cursor, Page, keyset_after, keyset_page, page_of
from bedside.posts.access import access_post
from bedside.posts.models import Comment, Post, Reaction, Status, Visibility
from bedside.practices.models import (
    Location,
    Membership,
    OpeningHours,
    Practice,
    Role,
    StaffProfile,
)
from bedside.practices.permissions import (
    Action,
    AnyUser,
    can,
    role_in,
    roles_by_practice,
)

FEED_PAGE_SIZE = 20
STUDIO_PAGE_SIZE = 50
ATOM_FEED_SIZE = 50


@dataclass(frozen=True)
class FeedPage:
    posts: list[Post]
    next_cursor: str | None
    pinned: Post | None = None


def _feed_rows() -> "QuerySet[Post]":
    return Post.objects.select_related("practice", "author", "spotlight")


def attach_page_details(posts: Iterable[Post], viewer: AnyUser) -> None:
    """Images, the viewer's own reactions and whether they may react: two queries."""
    posts = [post for post in posts if post is not None]
    if not posts:
        return
    lookups: list[str | Prefetch[Any, Any, Any]] = ["images"]
    if viewer.is_authenticated:
        lookups.append(
            Prefetch(
                "reactions",
                queryset=Reaction.objects.filter(user_id=viewer.pk),
                to_attr="viewer_reactions",
            )
        )
    prefetch_related_objects(posts, *lookups)
    for post in posts:
        given = getattr(post, "viewer_reactions", [])
        post.viewer_reaction_kinds = {reaction.kind for reaction in given}  # type: ignore[attr-defined]
        post.viewer_can_react = can(viewer, Action.REACT, post)  # type: ignore[attr-defined]


def practice_feed(practice: Practice, viewer: AnyUser, cursor: str | None) -> FeedPage:
    """Published posts the viewer may see, newest first; the pinned one apart, on page one."""
    rows = _feed_rows().filter(practice=practice, status=Status.PUBLISHED)
    if not can(viewer, Action.VIEW_PATIENT_CONTENT, practice):
        rows = rows.filter(visibility=Visibility.PUBLIC)
    start = Cursor.decode(cursor)
    page = keyset_page(
        rows.filter(is_pinned=False), field="published_at", cursor=start, size=FEED_PAGE_SIZE
    )
    pinned = rows.filter(is_pinned=True).first() if start is None else None
    attach_page_details([*page.items, pinned] if pinned else page.items, viewer)
    return FeedPage(posts=page.items, next_cursor=page.next_cursor, pinned=pinned)


def home_feed(viewer: AnyUser, cursor: str | None) -> FeedPage:
    """Published posts of every practice the viewer belongs to, newest first."""
    practice_ids = sorted(roles_by_practice(viewer))
    start = Cursor.decode(cursor)
    if len(practice_ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        page = _merged_home_page(practice_ids, start)
    else:
        rows = _feed_rows().filter(practice_id__in=practice_ids, status=Status.PUBLISHED)
        page = keyset_page(rows, field="published_at", cursor=start, size=FEED_PAGE_SIZE)
    attach_page_details(page.items, viewer)
    return FeedPage(posts=page.items, next_cursor=page.next_cursor)


def _merged_home_page(practice_ids: list[int], start: Cursor | None) -> Page[Post]:
    """The newest posts across practices as a UNION ALL of one index scan per practice.

    ``practice_id IN (...) ORDER BY published_at`` cannot walk the feed index in order
    across several practices, so PostgreSQL reads and sorts every post of every followed
    practice (68 ms for 66,000 posts in bench/RESULTS.md); taking the page-size newest of
    each practice through the index and merging those is well under a millisecond.
    Two queries: the merged ids, then the rows with their relations.
    """
    size = FEED_PAGE_SIZE + 1
    published = Post.objects.filter(status=Status.PUBLISHED)
    newest_each = [
        keyset_after(
            published.filter(practice_id=pk), field="published_at", cursor=start
        ).values_list("published_at", "id")[:size]
        for pk in practice_ids
    ]
    merged = newest_each[0].union(*newest_each[1:], all=True).order_by("-published_at", "-id")
    ids = [pk for _, pk in merged[:size]]
    rows = _feed_rows().in_bulk(ids)
    return page_of([rows[pk] for pk in ids], field="published_at", size=FEED_PAGE_SIZE)


@dataclass(frozen=True)
class PostThread:
    post: Post
    comments: list[Comment]
    # The name each commenter goes by in this practice (a pseudonym is allowed).
    display_names: dict[int, str] = field(default_factory=dict)


def post_with_comments(viewer: AnyUser, practice: Practice, post_id: int) -> PostThread:
    """The post (404 unless the viewer may see it) and its comments, oldest first.

    Moderators also see hidden comments, marked as such, so they can tell what they hid.
    """
    post = access_post(viewer, practice, post_id)
    attach_page_details([post], viewer)
    comments = post.comments.select_related("author")
    if not can(viewer, Action.HIDE_COMMENT, practice):
        comments = comments.filter(is_hidden=False)
    comment_list = list(comments)
    author_ids = {c.author_id for c in comment_list}
    names = dict(
        Membership.objects.filter(practice=practice, user_id__in=author_ids).values_list(
            "user_id", "display_name"
        )
    )
    return PostThread(post=post, comments=comment_list, display_names=names)


def feed_entries(practice: Practice, *, kinds: Iterable[str] | None = None) -> list[Post]:
    """The newest public published posts (of ``kinds``, for a pillar), for the open feeds.

    Two queries: the posts with their practice, then their images for the enclosures.
    """
    rows = _feed_rows().filter(
        practice=practice, status=Status.PUBLISHED, visibility=Visibility.PUBLIC
    )
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    posts = list(rows.order_by("-published_at", "-id")[:ATOM_FEED_SIZE])
    prefetch_related_objects(posts, "images")
    return posts


def studio_posts(
    practice: Practice, viewer: AnyUser, *, status: str | None, cursor: str | None
) -> FeedPage:
    """Every post of the practice for its staff, drafts included; clinicians see their own."""
    rows = _feed_rows().filter(practice=practice)
    if status in Status.values:
        rows = rows.filter(status=status)
    if role_in(viewer, practice.pk) == Role.CLINICIAN:
        rows = rows.filter(Q(author_id=viewer.pk) | Q(status=Status.PUBLISHED))
    page = keyset_page(
        rows, field="created_at", cursor=Cursor.decode(cursor), size=STUDIO_PAGE_SIZE
    )
    prefetch_related_objects(page.items, "images")
    return FeedPage(posts=page.items, next_cursor=page.next_cursor)


# --- practice profile --------------------------------------------------------------------


@dataclass(frozen=True)
class LocationWeek:
    """A location with its opening hours laid out Monday to Sunday (empty: closed)."""

    location: Location
    days: list[tuple[str, list[OpeningHours]]]


def practice_locations(practice: Practice) -> list[LocationWeek]:
    locations = list(practice.locations.prefetch_related("hours"))
    weeks = []
    for location in locations:
        spans: dict[int, list[OpeningHours]] = {day: [] for day in OpeningHours.Weekday.values}
        for hours in location.hours.all():
            spans[hours.weekday].append(hours)
        days = [(label, spans[day]) for day, label in OpeningHours.Weekday.choices]
        weeks.append(LocationWeek(location=location, days=days))
    return weeks


def practice_directory() -> list[Practice]:
    """Every practice, by name, for visitors who have not signed in."""
    return list(Practice.objects.order_by("name"))


SPOTLIGHT_LIST_SIZE = 10


def spotlight_posts(profile: StaffProfile, viewer: AnyUser) -> list[Post]:
    """The newest published posts about a team member that the viewer may see: one query."""
    rows = Post.objects.filter(
        practice_id=profile.practice_id, spotlight=profile, status=Status.PUBLISHED
    )
    if not can(viewer, Action.VIEW_PATIENT_CONTENT, profile):
        rows = rows.filter(visibility=Visibility.PUBLIC)
    return list(
        rows.select_related("practice").order_by("-published_at", "-id")[:SPOTLIGHT_LIST_SIZE]
    )
