"""The content calendar: drafts, scheduled and published posts by day, month or week."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.posts.models import Kind, Post, Status
from bedside.practices.models import Role
from tests.factories.posts import PostFactory
from tests.factories.practices import member

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def at(day, hour=9, minute=0):
    return datetime(2030, 5, day, hour, minute, tzinfo=NEW_YORK)


def calendar_url(practice, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("studio_calendar", args=[practice.slug]) + (f"?{query}" if query else "")


@pytest.fixture
def editor(client, practice):
    practice.time_zone = "America/New_York"
    practice.save(update_fields=["time_zone"])
    user = member(practice, Role.EDITOR)
    client.force_login(user)
    return user


def post_on(practice, author, status, when, **fields):
    post = PostFactory(
        practice=practice,
        author=author,
        status=status,
        published_at=when if status == Status.PUBLISHED else None,
        scheduled_at=when if status == Status.SCHEDULED else None,
        **fields,
    )
    Post.objects.filter(pk=post.pk).update(created_at=when)
    return post


def day_of(html, title):
    """The ISO date of the calendar day that lists ``title``."""
    before = html[: html.index(title)]
    start = before.rindex('<time datetime="') + len('<time datetime="')
    return before[start : start + 10]


def test_each_post_sits_on_the_day_that_matters_for_its_state(client, practice, editor):
    post_on(practice, editor, Status.DRAFT, at(3), title="A draft idea")
    post_on(practice, editor, Status.SCHEDULED, at(20, 8), title="Going out later")
    post_on(practice, editor, Status.PUBLISHED, at(11), title="Out already", kind=Kind.TEAM)
    # 23:30 in New York is the next day in UTC: the practice's day counts.
    post_on(practice, editor, Status.PUBLISHED, at(14, 23, 30), title="Late at night")
    post_on(practice, editor, Status.ARCHIVED, at(12), title="Put away")
    response = client.get(calendar_url(practice, date="2030-05-15"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "May 2030" in html
    assert day_of(html, "A draft idea") == "2030-05-03"
    assert day_of(html, "Going out later") == "2030-05-20"
    assert day_of(html, "Out already") == "2030-05-11"
    assert day_of(html, "Late at night") == "2030-05-14"
    assert "Put away" not in html
    assert "Scheduled · 08:00 · Spreading the word" in html
    assert "Published · 09:00 · The people behind the practice" in html


def test_the_week_view_shows_seven_days_and_leads_to_the_next_week(client, practice, editor):
    post_on(practice, editor, Status.SCHEDULED, at(21), title="Tuesday news")
    post_on(practice, editor, Status.SCHEDULED, at(28), title="A week later")
    response = client.get(calendar_url(practice, view="week", date="2030-05-22"))
    html = response.content.decode()
    assert "Week of May 20, 2030" in html
    assert "Tuesday news" in html
    assert "A week later" not in html
    assert html.count('<li class="calendar-day') == 7
    assert 'href="?view=week&amp;date=2030-05-27" rel="next"' in html
    assert 'href="?view=week&amp;date=2030-05-13" rel="prev"' in html


def test_the_month_view_leads_to_the_months_around_it(client, practice, editor):
    html = client.get(calendar_url(practice, date="2030-01-31")).content.decode()
    assert 'href="?view=month&amp;date=2029-12-01" rel="prev"' in html
    assert 'href="?view=month&amp;date=2030-02-01" rel="next"' in html


def test_a_malformed_date_shows_the_current_month(client, practice, editor):
    assert client.get(calendar_url(practice, date="2030-13-45")).status_code == 200


def test_a_clinician_sees_their_own_drafts_and_what_is_published(client, practice, editor):
    clinician = member(practice, Role.CLINICIAN)
    post_on(practice, editor, Status.DRAFT, at(3), title="The editor's draft")
    post_on(practice, clinician, Status.DRAFT, at(4), title="My own draft")
    post_on(practice, editor, Status.PUBLISHED, at(5), title="Published news")
    client.force_login(clinician)
    html = client.get(calendar_url(practice, date="2030-05-01")).content.decode()
    assert "My own draft" in html
    assert "Published news" in html
    assert "The editor's draft" not in html


@pytest.mark.parametrize("role", [Role.PATIENT, None])
def test_patients_and_outsiders_get_a_404(client, practice, role):
    user = member(practice, role) if role else member(PostFactory().practice, Role.OWNER)
    client.force_login(user)
    assert client.get(calendar_url(practice)).status_code == 404


def test_the_calendar_costs_the_same_queries_for_10_or_110_posts(client, practice, editor):
    def queries(count):
        Post.objects.all().delete()
        for i in range(count):
            status = [Status.DRAFT, Status.SCHEDULED, Status.PUBLISHED][i % 3]
            post_on(practice, editor, status, at(1 + i % 28, 6 + i % 12), title=f"Post {i}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(calendar_url(practice, date="2030-05-01"))
        assert response.content.decode().count('class="calendar-entry') == count
        return len(captured.captured_queries)

    assert queries(10) == queries(110)


def test_every_day_falls_within_whole_weeks(client, practice, editor):
    html = client.get(calendar_url(practice, date="2030-05-01")).content.decode()
    # May 2030 runs Wednesday 1st to Friday 31st: Monday April 29 to Sunday June 2.
    assert html.count('<li class="calendar-day') == 35
    assert '<time datetime="2030-04-29">' in html
    assert '<time datetime="2030-06-02">' in html
    assert reverse("studio_calendar", args=[practice.slug]) in html  # in the studio menu
