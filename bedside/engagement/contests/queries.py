"""Reads for the contest pages, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from bedside.engagement.contests import draw
from bedside.engagement.contests.models import Contest, Entry
from bedside.practices.models import Membership
from bedside.practices.permissions import AnyUser


def viewer_entries(contest: Contest, viewer: AnyUser) -> list[Entry]:
    """The viewer's own entries, newest first (one query; none for a visitor)."""
    if not viewer.is_authenticated:
        return []
    return list(Entry.objects.filter(contest=contest, user_id=viewer.pk).order_by("-created_at"))


@dataclass(frozen=True)
class Pick:
    position: int
    public_id: str
    is_winner: bool
    # Shown only when the entrant agreed to it when entering.
    display_name: str
    claimed: bool


def picks(contest: Contest) -> list[Pick]:
    """Winners then alternates in draw order, in one query; names only with consent."""
    if not contest.is_drawn:
        return []
    names = Membership.objects.filter(
        user_id=OuterRef("user_id"), practice_id=contest.practice_id
    ).values("display_name")[:1]
    rows = (
        Entry.objects.filter(contest=contest, draw_position__isnull=False)
        .annotate(display_name=Subquery(names))
        .order_by("draw_position")
        .values_list("draw_position", "public_id", "name_consent", "display_name", "claimed_at")
    )
    return [
        Pick(
            position=position,
            public_id=public_id,
            is_winner=position < contest.winners_count,
            display_name=(name or "") if consent else "",
            claimed=claimed_at is not None,
        )
        for position, public_id, consent, name, claimed_at in rows
    ]


def entry_list(contest: Contest) -> list[str]:
    """The published entry list: the frozen one after the draw, else (after closing) the
    sorted ids of every entry; empty while entries are open. One query at most."""
    if contest.is_drawn:
        return list(contest.entry_list)
    if not contest.has_closed:
        return []
    return draw.canonical(
        list(Entry.objects.filter(contest=contest).values_list("public_id", flat=True))
    )


def published_draw(contest: Contest) -> draw.PublishedDraw | None:
    """What the contest published about its draw, as the verifier takes it."""
    if not contest.is_drawn:
        return None
    chosen = picks(contest)
    return draw.PublishedDraw(
        seed_hex=contest.seed_hex,
        commitment=contest.seed_commitment,
        entry_ids=list(contest.entry_list),
        entry_list_sha256=contest.entry_list_sha256,
        winners_count=contest.winners_count,
        alternates_count=contest.alternates_count,
        winners=[pick.public_id for pick in chosen if pick.is_winner],
        alternates=[pick.public_id for pick in chosen if not pick.is_winner],
    )
