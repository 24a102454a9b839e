"""Reads for the studio's content calendar: one query for a month or a week of posts.

Each post sits on the day that matters for its state: a draft on the day it was written, a
scheduled post on the day it will go out, a published one on the day it went out. Days are
the practice's (the views run in its time zone).
"""

import calendar as calendar_module
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from bedside.posts.models import PILLAR_OF_KIND, Pillar, Post, Status
from bedside.practices.models import Practice, Role
from bedside.practices.permissions import AnyUser, role_in

# States shown by their creation date; archived posts are off the calendar.
DRAFT_STATES = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)


class CalendarView(StrEnum):
    MONTH = "month"
    WEEK = "week"


@dataclass(frozen=True)
class CalendarEntry:
    post: Post
    at: datetime
    pillar: Pillar


@dataclass
class CalendarDay:
    day: date
    in_range: bool
    entries: list[CalendarEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Calendar:
    view: CalendarView
    around: date
    title: str
    first: date
    last: date
    previous: date
    next: date
    weeks: list[list[CalendarDay]]

    @property
    def days(self) -> list[CalendarDay]:
        return [day for week in self.weeks for day in week]

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for day in self.days)


def _bounds(view: CalendarView, around: date) -> tuple[date, date, date, date, str]:
    """First and last day shown, the dates prev/next lead to, and the title."""
    if view is CalendarView.WEEK:
        first = around - timedelta(days=around.weekday())
        last = first + timedelta(days=6)
        title = f"Week of {first:%B} {first.day}, {first.year}"
        return first, last, first - timedelta(days=7), first + timedelta(days=7), title
    month_first = around.replace(day=1)
    month_days = calendar_module.monthrange(around.year, around.month)[1]
    month_last = around.replace(day=month_days)
    previous = (month_first - timedelta(days=1)).replace(day=1)
    following = month_last + timedelta(days=1)
    # Whole weeks, Monday to Sunday, around the month.
    first = month_first - timedelta(days=month_first.weekday())
    last = month_last + timedelta(days=6 - month_last.weekday())
    return first, last, previous, following, f"{month_first:%B %Y}"


def content_calendar(
    practice: Practice, viewer: AnyUser, *, view: CalendarView, around: date
) -> Calendar:
    """The posts of ``practice`` laid out by day, for a month or a week: one query."""
    first, last, previous, following, title = _bounds(view, around)
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    rows = Post.objects.filter(practice=practice).filter(
        Q(status=Status.PUBLISHED, published_at__gte=start, published_at__lt=end)
        | Q(status=Status.SCHEDULED, scheduled_at__gte=start, scheduled_at__lt=end)
        | Q(status__in=DRAFT_STATES, created_at__gte=start, created_at__lt=end)
    )
    if role_in(viewer, practice.pk) == Role.CLINICIAN:
        # As in the post list: clinicians see their own drafts, and what is out.
        rows = rows.filter(Q(author_id=viewer.pk) | Q(status=Status.PUBLISHED))
    days: dict[date, CalendarDay] = {}
    day = first
    while day <= last:
        in_range = view is CalendarView.WEEK or day.month == around.month
        days[day] = CalendarDay(day=day, in_range=in_range)
        day += timedelta(days=1)
    for post in rows.select_related("author").order_by("id"):
        at = _date_of(post)
        local = timezone.localtime(at, zone)
        days[local.date()].entries.append(
            CalendarEntry(post=post, at=local, pillar=PILLAR_OF_KIND[post.kind])
        )
    for calendar_day in days.values():
        calendar_day.entries.sort(key=lambda entry: (entry.at, entry.post.pk))
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    return Calendar(
        view=view, around=around, title=title, first=first, last=last,
        previous=previous, next=following, weeks=weeks,
    )  # fmt: skip


def _date_of(post: Post) -> datetime:
    if post.status == Status.PUBLISHED and post.published_at is not None:
        return post.published_at
    if post.status == Status.SCHEDULED and post.scheduled_at is not None:
        return post.scheduled_at
    return post.created_at
