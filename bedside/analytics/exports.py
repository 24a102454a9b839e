"""The dashboard's numbers as tables, shared by the page, its CSV files and the monthly report.

One ``build_dashboard`` call reads the rollups through ``bedside.analytics.queries`` (a fixed
number of queries whatever the range or the data size) and returns every table the page
shows; each chart is drawn from the same rows, so the CSV always matches the chart. Exports
suppress counts of fewer than ``SMALL_GROUP`` people so no patient can be singled out.
"""

import csv
import io
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bedside.analytics import networks, queries
from bedside.analytics.stats import Comparison, compare, describe, percent
from bedside.posts.models import Kind, Topic
from bedside.practices.models import Practice

SMALL_GROUP = 5
SUPPRESSED = "<5"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CHANNEL_NAMES = {"web": "Web page", "in_app": "In the app", "email": "Email", "push": "Push"}

Cell = str | int


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table. ``counts`` names the columns holding counts of people or actions,
    which exports suppress below ``SMALL_GROUP``; ``bases`` maps a rate column to the count
    column it divides by, so a rate over fewer than five is suppressed too."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    counts: frozenset[int] = frozenset()
    bases: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Dashboard:
    start: date
    end: date
    totals: queries.Totals
    topics: Comparison
    topic_sentence: str
    tables: dict[str, Table]
    networks_connected: bool = False


def _rate(interactions: int, views: int) -> str:
    return percent(interactions / views) if views else "–"


def _zone(practice: Practice) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _posts_table(posts: Sequence[queries.PostTotals], key: str, title: str) -> Table:
    return Table(
        key=key,
        title=title,
        headers=("Post", "Kind", "Topic", "Reach (views)", "Interactions", "Engagement rate"),
        rows=tuple(
            (
                post.title,
                Kind(post.kind).label if post.kind in Kind.values else post.kind,
                Topic(post.topic).label if post.topic in Topic.values else post.topic,
                post.totals.views,
                post.totals.interactions,
                _rate(post.totals.interactions, post.totals.views),
            )
            for post in posts
        ),
        counts=frozenset({3, 4}),
        bases=((5, 3),),
    )


def _timing_tables(
    practice: Practice, start: date, end: date, by_post: dict[int, queries.Totals]
) -> tuple[Table, Table]:
    """Engagement of posts by the weekday and hour they were published (practice time)."""
    zone = _zone(practice)
    weekday: dict[int, list[int]] = {}
    hour: dict[int, list[int]] = {}
    for post in queries.published_posts(practice, start, end):
        totals = by_post.get(post.pk)
        if post.published_at is None or totals is None:
            continue
        local = post.published_at.astimezone(zone)
        for bucket, key in ((weekday, local.weekday()), (hour, local.hour)):
            sums = bucket.setdefault(key, [0, 0, 0])
            sums[0] += 1
            sums[1] += totals.views
            sums[2] += totals.interactions
    headers = ("Posts", "Reach (views)", "Interactions", "Engagement rate")
    day_table = Table(
        key="weekdays",
        title="Engagement by the day a post was published",
        headers=("Day", *headers),
        rows=tuple(
            (WEEKDAYS[day], *weekday[day], _rate(weekday[day][2], weekday[day][1]))
            for day in sorted(weekday)
        ),
        counts=frozenset({2, 3}),
        bases=((4, 2),),
    )
    hour_table = Table(
        key="hours",
        title="Engagement by the hour a post was published",
        headers=("Hour", *headers),
        rows=tuple((f"{h:02d}:00", *hour[h], _rate(hour[h][2], hour[h][1])) for h in sorted(hour)),
        counts=frozenset({2, 3}),
        bases=((4, 2),),
    )
    return day_table, hour_table


def _counts(item: networks.Responses | networks.ChannelResponses, known: bool) -> tuple[Cell, ...]:
    if not known:
        return (networks.NOT_AVAILABLE,) * 3
    return (item.likes, item.shares, item.replies)


def _network_tables(responses: networks.NetworkResponses) -> tuple[Table, Table]:
    """Totals per channel, and each top post's counts per channel; unknown is never 0."""
    channel_table = Table(
        key="networks",
        title="Responses on other networks",
        headers=("Network", "Posts", "Posts with counts", "Likes", "Shares", "Replies"),
        rows=tuple(
            (row.channel, row.posts, row.posts_counted, *_counts(row, row.posts_counted > 0))
            for row in responses.channels
        ),
        counts=frozenset({3, 4, 5}),
    )
    post_table = Table(
        key="network_posts",
        title="Top posts by responses on other networks",
        headers=("Post", "Network", "Likes", "Shares", "Replies", "Responses"),
        rows=tuple(
            (
                item.title,
                item.channel,
                *_counts(item, item.known),
                item.total if item.known else networks.NOT_AVAILABLE,
            )
            for post in responses.top
            for item in post
        ),
        counts=frozenset({2, 3, 4, 5}),
    )
    return channel_table, post_table


def best_row(table: Table) -> tuple[Cell, ...] | None:
    """The row with the highest engagement rate among those reaching at least 30 views."""
    candidates = [row for row in table.rows if int(row[2]) >= 30]
    if not candidates:
        return None
    return max(candidates, key=lambda row: int(row[3]) / int(row[2]))


def build_dashboard(practice: Practice, start: date, end: date) -> Dashboard:
    totals = queries.practice_totals(practice, start, end)
    posts = queries.post_totals(practice, start, end)
    by_post = {post.post_id: post.totals for post in posts}
    ranked = sorted(
        posts,
        key=lambda p: (p.totals.interactions, p.totals.views, p.post_id),
        reverse=True,
    )[:10]
    topics = {group.key: group for group in queries.totals_by_topic(practice, start, end)}
    empty = queries.Totals(0, 0, 0, 0, 0, 0, 0, 0)
    non_medical = topics.get(Topic.NON_MEDICAL)
    medical = topics.get(Topic.MEDICAL)
    nm, md = (non_medical.totals if non_medical else empty), (medical.totals if medical else empty)
    # Each view is a chance to interact; interactions beyond one per view are capped so the
    # rate stays a proportion (it rarely binds: most views end without any).
    comparison = compare(
        min(nm.interactions, nm.views), nm.views, min(md.interactions, md.views), md.views
    )
    sentence = describe(comparison, "non-medical", "medical")
    topic_table = Table(
        key="topics",
        title="Medical and non-medical posts",
        headers=(
            "Topic",
            "Posts",
            "Reach (views)",
            "Interactions",
            "Engagement rate",
            "95% interval low",
            "95% interval high",
        ),
        rows=tuple(
            (
                label,
                group.posts if group else 0,
                rate.trials,
                rate.successes,
                _rate(rate.successes, rate.trials),
                percent(rate.low) if rate.trials else "–",
                percent(rate.high) if rate.trials else "–",
            )
            for label, group, rate in (
                ("Non-medical", non_medical, comparison.first),
                ("Medical", medical, comparison.second),
            )
        ),
        counts=frozenset({2, 3}),
        bases=((4, 2), (5, 2), (6, 2)),
    )
    kinds = queries.totals_by_kind(practice, start, end)
    kind_table = Table(
        key="kinds",
        title="Engagement by kind of post",
        headers=("Kind", "Posts", "Reach (views)", "Interactions", "Engagement rate"),
        rows=tuple(
            (
                Kind(group.key).label if group.key in Kind.values else group.key,
                group.posts,
                group.totals.views,
                group.totals.interactions,
                _rate(group.totals.interactions, group.totals.views),
            )
            for group in kinds
        ),
        counts=frozenset({2, 3}),
        bases=((4, 2),),
    )
    channel_table = Table(
        key="channels",
        title="Reach by channel",
        headers=("Channel", "Reached"),
        rows=tuple(
            (CHANNEL_NAMES.get(row.channel, row.channel), row.reached)
            for row in queries.totals_by_channel(practice, start, end)
        ),
        counts=frozenset({1}),
    )
    participation_table = Table(
        key="participation",
        title="Participation",
        headers=("Activity", "Count"),
        rows=(
            ("Poll votes", totals.votes),
            ("Quiz plays", totals.quiz_plays),
            ("Contest entries", totals.contest_entries),
            ("Event RSVPs", totals.rsvps),
            ("Reactions", totals.reactions),
            ("Comments", totals.comments),
            ("Link clicks", totals.clicks),
        ),
        counts=frozenset({1}),
    )
    growth = queries.follower_growth(practice, start, end)
    follower_table = Table(
        key="followers",
        title="Follower growth",
        headers=("Day", "New followers", "Followers"),
        rows=tuple((day.day.isoformat(), day.new_followers, day.followers) for day in growth),
        counts=frozenset({1, 2}),
    )
    daily_table = Table(
        key="days",
        title="Activity per day",
        headers=("Day", "Reach (views)", "Interactions"),
        rows=tuple(
            (day.day.isoformat(), day.totals.views, day.totals.interactions)
            for day in queries.daily_totals(practice, start, end)
        ),
        counts=frozenset({1, 2}),
    )
    weekday_table, hour_table = _timing_tables(practice, start, end, by_post)
    responses = networks.network_responses(practice, start, end)
    network_table, network_posts_table = _network_tables(responses)
    tables = [
        topic_table,
        _posts_table(ranked, "top", "Top posts"),
        kind_table,
        weekday_table,
        hour_table,
        participation_table,
        follower_table,
        channel_table,
        daily_table,
        _posts_table(posts, "posts", "Reach and engagement per post"),
        network_table,
        network_posts_table,
    ]
    return Dashboard(
        start=start,
        end=end,
        totals=totals,
        topics=comparison,
        topic_sentence=sentence,
        tables={table.key: table for table in tables},
        networks_connected=responses.connected,
    )


def suppressed_rows(table: Table) -> list[tuple[Cell, ...]]:
    """The rows with every count of 1–4 shown as "<5", and rates over fewer than 5 too."""
    result: list[tuple[Cell, ...]] = []
    for row in table.rows:
        cells = list(row)
        for index in table.counts:
            value = row[index]
            if isinstance(value, int) and 0 < value < SMALL_GROUP:
                cells[index] = SUPPRESSED
        for rate_index, base_index in table.bases:
            base = row[base_index]
            if isinstance(base, int) and 0 < base < SMALL_GROUP:
                cells[rate_index] = SUPPRESSED
        result.append(tuple(cells))
    return result


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in suppressed_rows(table):
        # A title starting with = + - @ would be a formula in a spreadsheet.
        writer.writerow(
            [
                f"'{cell}" if isinstance(cell, str) and cell[:1] in "=+-@" and cell != "–" else cell
                for cell in row
            ]
        )
    return buffer.getvalue()
