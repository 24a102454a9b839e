"""Reads of the rollups for the dashboard and its exports (Engineer F's views call these).

Every function takes a practice and an inclusive range of UTC days, reads only the rollup
tables (``PostDay``, ``PracticeDay``) plus the posts they name, and runs a fixed number of
queries whatever the range or the data size (one, unless said otherwise). A practice only
ever sees its own rows: every query filters on ``practice``. Validating the range (reversed,
future, too long) is the caller's job; these functions take it as given.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, QuerySet, Sum
from django.db.models.functions import Coalesce

from bedside.analytics.models import PostDay, PracticeDay
from bedside.posts.models import Post
from bedside.practices.models import Membership, Practice, Role

ENGAGEMENT_FIELDS = (
    "reactions",
    "comments",
    "votes",
    "quiz_plays",
    "contest_entries",
    "rsvps",
    "clicks",
)
CHANNEL_FIELDS = (("web", "views"), ("in_app", "in_app"), ("email", "emails"), ("push", "pushes"))


@dataclass(frozen=True)
class Totals:
    """Sums over some rollup rows. ``views`` is viewer-days (a person reading on two days
    counts twice); ``interactions`` is every engagement counted below it."""

    views: int
    reactions: int
    comments: int
    votes: int
    quiz_plays: int
    contest_entries: int
    rsvps: int
    clicks: int

    @property
    def interactions(self) -> int:
        return (
            self.reactions
            + self.comments
            + self.votes
            + self.quiz_plays
            + self.contest_entries
            + self.rsvps
            + self.clicks
        )

    @property
    def engagement_rate(self) -> float | None:
        """Interactions per view; None without views."""
        return self.interactions / self.views if self.views else None


@dataclass(frozen=True)
class PostTotals:
    post_id: int
    title: str
    kind: str
    topic: str
    published_at: datetime | None
    totals: Totals


@dataclass(frozen=True)
class GroupTotals:
    """Totals of one kind or one topic, and how many posts had activity in it."""

    key: str
    posts: int
    totals: Totals


@dataclass(frozen=True)
class DayTotals:
    day: date
    totals: Totals


@dataclass(frozen=True)
class ChannelTotals:
    """Reach through one channel: ``web`` (viewer-days), ``in_app``, ``email``, ``push``."""

    channel: str
    reached: int


@dataclass(frozen=True)
class FollowerDay:
    day: date
    new_followers: int
    followers: int  # patient followers at the end of the day (who have not left since)


def _midnight(day: date) -> datetime:
    """The start of a UTC day: the rollups' days are UTC days."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def _sums() -> dict[str, Coalesce]:
    names = ("views", *ENGAGEMENT_FIELDS)
    return {name: Coalesce(Sum(name), 0, output_field=IntegerField()) for name in names}


def _totals(row: Mapping[str, Any]) -> Totals:
    return Totals(**{name: int(row[name]) for name in ("views", *ENGAGEMENT_FIELDS)})


def _rows(practice: Practice, start: date, end: date) -> QuerySet[PostDay]:
    return PostDay.objects.filter(practice=practice, day__gte=start, day__lte=end)


def practice_totals(practice: Practice, start: date, end: date) -> Totals:
    """Everything in the range, summed."""
    return _totals(_rows(practice, start, end).aggregate(**_sums()))


def post_totals(practice: Practice, start: date, end: date) -> list[PostTotals]:
    """Each post with activity in the range, most viewed first (then newest post)."""
    rows = (
        _rows(practice, start, end)
        .values("post_id")
        .annotate(
            **_sums(),
            title=F("post__title"),
            post_kind=F("post__kind"),
            post_topic=F("post__topic"),
            published_at=F("post__published_at"),
        )
        .order_by("-views", "-post_id")
    )
    return [
        PostTotals(
            post_id=row["post_id"],
            title=row["title"],
            kind=row["post_kind"],
            topic=row["post_topic"],
            published_at=row["published_at"],
            totals=_totals(row),
        )
        for row in rows
    ]


def top_posts(practice: Practice, start: date, end: date, *, limit: int = 10) -> list[PostTotals]:
    """The posts with the most interactions in the range (ties: more views, newer post)."""
    ranked = sorted(
        post_totals(practice, start, end),
        key=lambda p: (p.totals.interactions, p.totals.views, p.post_id),
        reverse=True,
    )
    return ranked[:limit]


def _grouped(practice: Practice, start: date, end: date, field: str) -> list[GroupTotals]:
    rows = (
        _rows(practice, start, end)
        .values(field)
        .annotate(**_sums(), posts=Count("post_id", distinct=True))
        .order_by(field)
    )
    return [GroupTotals(key=row[field], posts=row["posts"], totals=_totals(row)) for row in rows]


def totals_by_kind(practice: Practice, start: date, end: date) -> list[GroupTotals]:
    """One row per post kind with activity in the range, by kind name."""
    return _grouped(practice, start, end, "kind")


def totals_by_topic(practice: Practice, start: date, end: date) -> list[GroupTotals]:
    """One row per topic (``medical``, ``non_medical``) with activity in the range."""
    return _grouped(practice, start, end, "topic")


def totals_by_channel(practice: Practice, start: date, end: date) -> list[ChannelTotals]:
    """Reach per channel, always the four channels in the order web, in_app, email, push."""
    names = [column for _, column in CHANNEL_FIELDS]
    row = _rows(practice, start, end).aggregate(
        **{name: Coalesce(Sum(name), 0, output_field=IntegerField()) for name in names}
    )
    return [
        ChannelTotals(channel=channel, reached=int(row[column]))
        for channel, column in CHANNEL_FIELDS
    ]


def daily_totals(practice: Practice, start: date, end: date) -> list[DayTotals]:
    """One row per day with activity in the range, oldest first (days without any are absent)."""
    rows = _rows(practice, start, end).values("day").annotate(**_sums()).order_by("day")
    return [DayTotals(day=row["day"], totals=_totals(row)) for row in rows]


def follower_growth(practice: Practice, start: date, end: date) -> list[FollowerDay]:
    """Every day of the range with its new followers and the running total (two queries).

    The running total starts from today's patient followers who joined before ``start``
    (people who left are no longer counted on any day: a membership leaves no row behind)."""
    before = Membership.objects.filter(
        practice=practice, role=Role.PATIENT, created_at__lt=_midnight(start)
    ).count()
    new = dict(
        PracticeDay.objects.filter(practice=practice, day__gte=start, day__lte=end).values_list(
            "day", "new_followers"
        )
    )
    days: list[FollowerDay] = []
    total = before
    day = start
    while day <= end:
        total += new.get(day, 0)
        days.append(FollowerDay(day=day, new_followers=new.get(day, 0), followers=total))
        day += timedelta(days=1)
    return days


def published_posts(practice: Practice, start: date, end: date) -> QuerySet[Post]:
    """The practice's posts published within the range (for best day and hour to post)."""
    return Post.objects.filter(
        practice=practice,
        status="published",
        published_at__gte=_midnight(start),
        published_at__lt=_midnight(end + timedelta(days=1)),
    ).only("id", "title", "kind", "topic", "published_at")
