"""What the authorization pages and the post panel read, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bedside.compliance import guard
from bedside.compliance.models import (
    EXPIRING_SOON,
    Authorization,
    IdentifierOverride,
    PostAuthorization,
    State,
)
from bedside.core.cursor import Cursor, Page, keyset_page
from bedside.posts.models import Post
from bedside.practices.models import Practice

PAGE_SIZE = 50


def _in_state(
    rows: "QuerySet[Authorization]", state: str, practice: Practice
) -> "QuerySet[Authorization]":
    today = guard.practice_today(practice)
    soon = today + EXPIRING_SOON
    unrevoked = Q(revoked_at__isnull=True)
    if state == State.REVOKED:
        return rows.filter(revoked_at__isnull=False)
    if state == State.EXPIRED:
        return rows.filter(unrevoked, expires_on__lt=today)
    if state == State.EXPIRING:
        return rows.filter(unrevoked, expires_on__gte=today, expires_on__lte=soon)
    if state == State.ACTIVE:
        return rows.filter(unrevoked, Q(expires_on__isnull=True) | Q(expires_on__gt=soon))
    return rows


def authorizations_page(
    practice: Practice, *, state: str = "", cursor: str | None = None, size: int = PAGE_SIZE
) -> Page[Authorization]:
    """Newest first, with how many posts rely on each (``post_count``): one query."""
    rows = Authorization.objects.filter(practice=practice).annotate(post_count=Count("post_links"))
    return keyset_page(
        _in_state(rows, state, practice),
        field="created_at",
        cursor=Cursor.decode(cursor),
        size=size,
    )


def dependent_posts(authorization: Authorization) -> list[PostAuthorization]:
    """The posts this authorization is attached to, newest attachment first."""
    return list(
        PostAuthorization.objects.filter(authorization=authorization)
        .select_related("post", "attached_by")
        .order_by("-attached_at", "-id")
    )


def attachable_authorizations(post: Post) -> list[Authorization]:
    """Active authorizations of the post's practice not yet attached to it."""
    today = guard.practice_today(post.practice)
    return list(
        Authorization.objects.filter(practice_id=post.practice_id, revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exclude(post_links__post=post)
        .order_by("subject_name", "id")
    )


@dataclass(frozen=True)
class Panel:
    """Everything the studio's compliance panel shows for one post."""

    review: guard.Review
    attachable: list[Authorization]

    @property
    def passages(self) -> list[guard.Passage]:
        return self.review.passages

    @property
    def pictures(self) -> list[guard.PostFinding]:
        return [f for f in self.review.findings if f.kind == guard.PICTURE_KIND]

    @property
    def attached(self) -> list[tuple[Authorization, State]]:
        return [(a, a.state_on(self.review.today)) for a in self.review.attached]

    @property
    def override(self) -> IdentifierOverride | None:
        return self.review.override

    @property
    def problems(self) -> list[str]:
        return self.review.problems

    @property
    def has_findings(self) -> bool:
        return bool(self.review.findings)


def panel_for(post: Post) -> Panel:
    """The guard's reading of ``post`` and the authorizations one could attach: 5 queries."""
    return Panel(review=guard.review(post), attachable=attachable_authorizations(post))
