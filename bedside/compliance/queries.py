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

    passages: list[guard.Passage]
    pictures: list[guard.PostFinding]
    attached: list[Authorization]
    attachable: list[Authorization]
    override: IdentifierOverride | None
    problems: list[str]
    today_states: dict[int, State]

    @property
    def has_findings(self) -> bool:
        return bool(self.passages or self.pictures)


def panel_for(post: Post) -> Panel:
    findings = guard.findings_for(post)
    attached = guard.attached_authorizations(post)
    today = guard.practice_today(post.practice)
    return Panel(
        passages=guard.passages_for(post),
        pictures=[finding for finding in findings if finding.kind == guard.PICTURE_KIND],
        attached=attached,
        attachable=attachable_authorizations(post),
        override=guard.matching_override(post) if findings else None,
        problems=guard.publish_problems(post),
        today_states={a.pk: a.state_on(today) for a in attached},
    )
