"""The staff analytics dashboard, its CSV files and the monthly printable report.

Views are thin: they check ``VIEW_ANALYTICS`` (outsiders get the same 404 as for a practice
that does not exist), parse the date range and hand it to ``build_dashboard``, which reads
the rollups in a fixed number of queries.
"""

import functools
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bedside.analytics.charts import Bar, Chart, Point, bar_chart, line_chart
from bedside.analytics.exports import Dashboard, best_row, build_dashboard, to_csv
from bedside.analytics.stats import Rate, percent
from bedside.audit.services import record
from bedside.core.errors import NotFound
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, access_practice, can

DEFAULT_DAYS = 90
MAX_DAYS = 366
EARLIEST = date(2000, 1, 1)

View = Callable[..., HttpResponse]


def analytics_page(view: View) -> View:
    """Sign-in required; the practice loaded, 404 unless the user may view its analytics."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        practice = access_practice(slug)
        if not can(request.user, Action.VIEW_ANALYTICS, practice):
            raise NotFound("No such page.")
        return view(request, practice, **kwargs)

    return wrapper


def practice_today(practice: Practice) -> date:
    try:
        zone = zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


class RangeForm(forms.Form):
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )


@dataclass(frozen=True, slots=True)
class Range:
    start: date
    end: date
    form: RangeForm
    notes: tuple[str, ...]


def parse_range(data: Any, today: date) -> Range:
    """The range asked for, made sensible: errors go next to the fields, adjustments in notes.

    Defaults to the last 90 days. An end in the future becomes today; a start after the
    end, or in the future, is refused; a range longer than 366 days keeps its last 366."""
    form = RangeForm(data if data else None)
    default = (today - timedelta(days=DEFAULT_DAYS - 1), today)
    if not data:
        form = RangeForm(initial={"start": default[0], "end": default[1]})
        return Range(start=default[0], end=default[1], form=form, notes=())
    if not form.is_valid():
        return Range(start=default[0], end=default[1], form=form, notes=())
    start: date = form.cleaned_data["start"] or default[0]
    end: date = form.cleaned_data["end"] or today
    notes: list[str] = []
    if start > today:
        form.add_error("start", "This date is in the future: there is nothing to count yet.")
        return Range(start=default[0], end=default[1], form=form, notes=())
    if start > end:
        form.add_error("start", "The start date is after the end date: swap them or pick again.")
        return Range(start=default[0], end=default[1], form=form, notes=())
    if end > today:
        notes.append(
            f"The end date was in the future, so the figures stop today ({today:%-d %B %Y})."
        )
        end = today
    if start < EARLIEST:
        start = EARLIEST
    if (end - start).days + 1 > MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
        notes.append(
            f"Ranges are limited to {MAX_DAYS} days, so this shows the last {MAX_DAYS} days "
            f"up to {end:%-d %B %Y}, from {start:%-d %B %Y}."
        )
    return Range(start=start, end=end, form=form, notes=tuple(notes))


def _rate_text(rate: Rate) -> str:
    if rate.value is None:
        return "no views"
    return f"{percent(rate.value)} (95%: {percent(rate.low)}–{percent(rate.high)})"


def _charts(dashboard: Dashboard) -> dict[str, Chart]:
    comparison = dashboard.topics
    topic_bars = [
        Bar(
            label,
            (rate.value or 0.0) * 100,
            low=rate.low * 100 if rate.trials else None,
            high=rate.high * 100 if rate.trials else None,
            text=_rate_text(rate),
        )
        for label, rate in (("Non-medical", comparison.first), ("Medical", comparison.second))
    ]
    weekdays = dashboard.tables["weekdays"]
    growth = dashboard.tables["followers"]
    top = dashboard.tables["top"]
    return {
        "topics": bar_chart(
            "topics",
            "Engagement rate: non-medical against medical posts",
            "Interactions per view for each topic, with a 95% interval. "
            + dashboard.topic_sentence,
            topic_bars,
            unit="%",
        ),
        "weekdays": bar_chart(
            "weekdays",
            "Engagement rate by the day a post was published",
            "Interactions per view of the posts published on each day of the week.",
            [
                Bar(
                    str(row[0]),
                    int(row[3]) / int(row[2]) * 100 if int(row[2]) else 0.0,
                    text=str(row[4]),
                )
                for row in weekdays.rows
            ],
            unit="%",
        ),
        "followers": line_chart(
            "followers",
            "Followers",
            "Patient followers at the end of each day of the range.",
            [Point(str(row[0]), float(row[2])) for row in growth.rows],
        ),
        "top": bar_chart(
            "top",
            "Top posts by interactions",
            "The ten posts with the most interactions in the range.",
            [Bar(str(row[0]), float(row[4])) for row in top.rows],
        ),
    }


def _context(practice: Practice, span: Range) -> dict[str, Any]:
    dashboard = build_dashboard(practice, span.start, span.end)
    best_day = best_row(dashboard.tables["weekdays"])
    best_hour = best_row(dashboard.tables["hours"])
    return {
        "practice": practice,
        "form": span.form,
        "notes": span.notes,
        "dashboard": dashboard,
        "charts": _charts(dashboard),
        "tables": list(dashboard.tables.values()),
        "best_day": best_day,
        "best_hour": best_hour,
        "query": f"start={span.start.isoformat()}&end={span.end.isoformat()}",
    }


@analytics_page
@require_GET
def analytics_dashboard(request: HttpRequest, practice: Practice) -> HttpResponse:
    span = parse_range(request.GET, practice_today(practice))
    status = 422 if span.form.errors else 200
    context = _context(practice, span)
    context["may_manage_channels"] = can(request.user, Action.MANAGE_CHANNELS, practice)
    return render(request, "analytics/dashboard.html", context, status=status)


@analytics_page
@require_GET
def analytics_csv(request: HttpRequest, practice: Practice, table: str) -> HttpResponse:
    span = parse_range(request.GET, practice_today(practice))
    dashboard = build_dashboard(practice, span.start, span.end)
    if table not in dashboard.tables:
        raise Http404("No such table.")
    # Aggregates only, never a patient: still an export of the practice's data, so on record.
    record(
        action="analytics.export",
        actor=request.user,
        practice=practice,
        detail={"table": table, "start": span.start.isoformat(), "end": span.end.isoformat()},
    )
    response = HttpResponse(to_csv(dashboard.tables[table]), content_type="text/csv; charset=utf-8")
    name = f"{practice.slug}-{table}-{span.start.isoformat()}-{span.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class MonthForm(forms.Form):
    month = forms.CharField(
        required=False, label="Month", widget=forms.TextInput(attrs={"type": "month"})
    )


def _month(value: str, today: date) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    return first if EARLIEST <= first <= today else None


@analytics_page
@require_GET
def analytics_report(request: HttpRequest, practice: Practice) -> HttpResponse:
    """A printable report of one calendar month (the last full month by default)."""
    today = practice_today(practice)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    form = MonthForm(request.GET or None)
    first = last_month
    status = 200
    if request.GET.get("month"):
        chosen = _month(request.GET["month"], today)
        if chosen is None:
            form = MonthForm(request.GET)
            form.is_valid()
            form.add_error("month", "Pick a month between January 2000 and this month.")
            status = 422
        else:
            first = chosen
    end = min((first + timedelta(days=32)).replace(day=1) - timedelta(days=1), today)
    span = Range(start=first, end=end, form=RangeForm(), notes=())
    context = _context(practice, span)
    context.update({"month_form": form, "month": first})
    context["may_manage_channels"] = can(request.user, Action.MANAGE_CHANNELS, practice)
    return render(request, "analytics/report.html", context, status=status)
