"""Daily rollups, built incrementally from the raw tables.

Each source is a raw table whose rows belong to a post and a moment (reactions, comments,
ballots, quiz attempts, contest entries, RSVPs, in-app notifications, sent emails and
pushes, and our own views and clicks). A run reads, per source, the ids above its
``Watermark`` to learn which UTC days received new rows, adds today and yesterday (emails
and pushes are sent after their row is made), and recomputes those days *completely* from
the raw tables: the old ``PostDay`` rows of those days are replaced, never added to, so a
rerun, a crash halfway or two runs at once never double count. Follower growth
(``PracticeDay``) is built the same way from patient memberships.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from bedside.analytics.models import PostDay, PracticeDay, Watermark
from bedside.posts.models import Post
from bedside.practices.models import Membership, Role

DAYS_PER_PASS = 62


@dataclass(frozen=True)
class Source:
    """A raw table counted into one ``PostDay`` column."""

    name: str
    label: str  # "app_label.Model": the sources are one table of data, read by name
    post: str  # path to the post id
    moment: str  # a DateTimeField, or the DateField ``day`` of our own rows
    column: str
    only: Q = field(default_factory=Q)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def day_expression(self) -> models.Expression | models.F:
        if self.moment == "day":
            return models.F("day")
        return TruncDate(self.moment, tzinfo=UTC)

    def in_days(self, days: list[date]) -> Q:
        if self.moment == "day":
            return Q(day__in=days)
        start = datetime.combine(min(days), time.min, tzinfo=UTC)
        end = datetime.combine(max(days) + timedelta(days=1), time.min, tzinfo=UTC)
        return Q(**{f"{self.moment}__gte": start, f"{self.moment}__lt": end})


SOURCES: tuple[Source, ...] = (
    Source("views", "analytics.PostView", "post_id", "day", "views"),
    Source(
        "signed_in_views",
        "analytics.PostView",
        "post_id",
        "day",
        "signed_in_views",
        Q(is_signed_in=True),
    ),
    Source("clicks", "analytics.LinkClick", "post_id", "day", "clicks"),
    Source("reactions", "posts.Reaction", "post_id", "created_at", "reactions"),
    Source("comments", "posts.Comment", "post_id", "created_at", "comments"),
    Source("votes", "engagement.Ballot", "poll__post_id", "cast_at", "votes"),
    Source("quiz_plays", "engagement.Attempt", "quiz__post_id", "started_at", "quiz_plays"),
    Source(
        "contest_entries", "contests.Entry", "contest__post_id", "created_at", "contest_entries"
    ),
    Source("rsvps", "events.Rsvp", "event__post_id", "created_at", "rsvps"),
    Source(
        "in_app",
        "notify.Notification",
        "post_id",
        "created_at",
        "in_app",
        Q(in_app=True, post__isnull=False),
    ),
    Source(
        "emails",
        "notify.EmailDelivery",
        "notification__post_id",
        "sent_at",
        "emails",
        Q(status="sent", notification__post__isnull=False),
    ),
    Source(
        "pushes",
        "push.PushDelivery",
        "notification__post_id",
        "sent_at",
        "pushes",
        Q(status="sent", notification__post__isnull=False),
    ),
)
FOLLOWERS = "followers"


def _new_days(model: type[models.Model], moment: str, after: int, upto: int) -> set[date]:
    rows = model._default_manager.filter(pk__gt=after, pk__lte=upto)
    if moment == "day":
        found = rows.values_list("day", flat=True).distinct()
    else:
        found = (
            rows.filter(**{f"{moment}__isnull": False})
            .annotate(on=TruncDate(moment, tzinfo=UTC))
            .values_list("on", flat=True)
            .distinct()
        )
    return set(found)


def _chunks(days: Iterable[date]) -> list[list[date]]:
    ordered = sorted(days)
    return [ordered[i : i + DAYS_PER_PASS] for i in range(0, len(ordered), DAYS_PER_PASS)]


def recompute_post_days(days: list[date]) -> int:
    """Replace the ``PostDay`` rows of these days by a fresh count; how many rows now."""
    counts: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    for source in SOURCES:
        rows = (
            source.model._default_manager.filter(source.only, source.in_days(days))
            .annotate(on=source.day_expression())
            .filter(on__in=days)
            .values(source.post, "on")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[(row[source.post], row["on"])][source.column] = row["n"]
    posts = {
        post["id"]: post
        for post in Post.objects.filter(pk__in={post_id for post_id, _ in counts}).values(
            "id", "practice_id", "kind", "topic"
        )
    }
    PostDay.objects.filter(day__in=days).delete()
    PostDay.objects.bulk_create(
        [
            PostDay(
                post_id=post_id,
                day=day,
                practice_id=posts[post_id]["practice_id"],
                kind=posts[post_id]["kind"],
                topic=posts[post_id]["topic"],
                **columns,
            )
            for (post_id, day), columns in counts.items()
            if post_id in posts
        ],
        batch_size=1000,
    )
    return len(counts)


def recompute_practice_days(days: list[date]) -> int:
    """Replace the ``PracticeDay`` rows of these days by a fresh count of new followers."""
    start = datetime.combine(min(days), time.min, tzinfo=UTC)
    end = datetime.combine(max(days) + timedelta(days=1), time.min, tzinfo=UTC)
    rows = (
        Membership.objects.filter(role=Role.PATIENT, created_at__gte=start, created_at__lt=end)
        .annotate(on=TruncDate("created_at", tzinfo=UTC))
        .filter(on__in=days)
        .values("practice_id", "on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    PracticeDay.objects.filter(day__in=days).delete()
    made = PracticeDay.objects.bulk_create(
        [
            PracticeDay(practice_id=r["practice_id"], day=r["on"], new_followers=r["n"])
            for r in rows
        ],
        batch_size=1000,
    )
    return len(made)


def _watermarks() -> dict[str, Watermark]:
    names = [*{source.name for source in SOURCES}, FOLLOWERS]
    for name in names:
        Watermark.objects.get_or_create(source=name)
    # Lock them all: two runs at once take turns (PostgreSQL; SQLite serialises writes).
    return {
        mark.source: mark for mark in Watermark.objects.select_for_update().filter(source__in=names)
    }


@dataclass
class RollupRun:
    days: int = 0
    post_days: int = 0
    practice_days: int = 0


def roll_up_new_activity(*, now: datetime | None = None) -> RollupRun:
    """Recompute every day that received raw rows since the last run, plus today and
    yesterday; move the watermarks. Safe to run twice or at once."""
    today = (now or timezone.now()).astimezone(UTC).date()
    run = RollupRun()
    with transaction.atomic():
        marks = _watermarks()
        post_days = {today, today - timedelta(days=1)}
        tops: dict[str, int] = {}
        for source in SOURCES:
            mark = marks[source.name]
            top = source.model._default_manager.aggregate(top=Max("pk"))["top"] or 0
            if top > mark.last_id:
                post_days |= _new_days(source.model, source.moment, mark.last_id, top)
            tops[source.name] = top
        follower_mark = marks[FOLLOWERS]
        follower_top = Membership.objects.aggregate(top=Max("pk"))["top"] or 0
        practice_days = {today, today - timedelta(days=1)}
        if follower_top > follower_mark.last_id:
            practice_days |= _new_days(
                Membership, "created_at", follower_mark.last_id, follower_top
            )
        for chunk in _chunks(post_days):
            run.post_days += recompute_post_days(chunk)
        for chunk in _chunks(practice_days):
            run.practice_days += recompute_practice_days(chunk)
        run.days = len(post_days)
        for name, top in [*tops.items(), (FOLLOWERS, follower_top)]:
            Watermark.objects.filter(source=name).update(last_id=top, updated_at=timezone.now())
    return run


def rebuild_all() -> RollupRun:
    """Forget the watermarks and recompute every day from the raw tables."""
    with transaction.atomic():
        Watermark.objects.all().delete()
        PostDay.objects.all().delete()
        PracticeDay.objects.all().delete()
        return roll_up_new_activity()
