import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bedside.analytics.models import PostDay, PracticeDay
from bedside.analytics.views import MAX_DAYS, parse_range
from bedside.posts.models import Topic
from bedside.practices.models import Practice, Role
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def activity(practice: Practice, posts: int, *, day: date, views: int, reactions: int) -> None:
    """``posts`` posts, alternately medical and not, each with one rollup row on ``day``."""
    author = member(practice, Role.EDITOR)
    published = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=9)))
    for index in range(posts):
        topic = Topic.MEDICAL if index % 2 else Topic.NON_MEDICAL
        post = PostFactory(practice=practice, author=author, topic=topic, published_at=published)
        PostDay.objects.create(
            practice=practice,
            post=post,
            day=day,
            kind=post.kind,
            topic=topic,
            views=views,
            reactions=reactions if topic == Topic.NON_MEDICAL else reactions // 4,
        )
    PracticeDay.objects.create(practice=practice, day=day, new_followers=posts)


def dashboard(client, practice: Practice, **params: str):
    return client.get(reverse("analytics_dashboard", args=[practice.slug]), params)


def test_staff_who_write_see_the_dashboard_and_patients_get_a_404(client, practice) -> None:
    for role in (Role.OWNER, Role.ADMIN, Role.EDITOR, Role.CLINICIAN):
        client.force_login(member(practice, role))
        assert dashboard(client, practice).status_code == 200
    for role in (Role.MODERATOR, Role.PATIENT):
        client.force_login(member(practice, role))
        assert dashboard(client, practice).status_code == 404


def test_the_studio_menu_links_the_dashboard_only_for_those_who_may_open_it(
    client, practice
) -> None:
    url = reverse("analytics_dashboard", args=[practice.slug])
    client.force_login(member(practice, Role.EDITOR))
    assert url in client.get(reverse("studio_posts", args=[practice.slug])).content.decode()
    client.force_login(member(practice, Role.MODERATOR))
    assert url not in client.get(reverse("studio_posts", args=[practice.slug])).content.decode()


def test_the_dashboard_answers_the_topic_question_with_its_uncertainty(client, practice) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    activity(practice, 20, day=yesterday, views=50, reactions=20)
    client.force_login(member(practice, Role.OWNER))
    page = dashboard(client, practice).content.decode()
    assert "Do our non-medical posts engage more?" in page
    assert "Yes: for this practice, non-medical posts really do engage more" in page
    assert "95% interval" in page
    assert '<svg class="chart"' in page
    assert 'role="img"' in page
    # The same numbers in a table: 10 non-medical posts × 50 views, 200 interactions.
    assert re.search(r"<th scope=\"row\">Non-medical</th><td>10</td><td>500</td><td>200</td>", page)


def test_a_practice_never_sees_another_practices_figures(client, practice, other_practice) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    activity(other_practice, 4, day=yesterday, views=777, reactions=3)
    client.force_login(member(practice, Role.OWNER))
    page = dashboard(client, practice).content.decode()
    assert "777" not in page
    assert "Not enough data to compare yet" in page
    client.force_login(member(other_practice, Role.PATIENT))
    assert dashboard(client, practice).status_code == 404


def test_a_reversed_range_is_refused_next_to_the_field() -> None:
    span = parse_range({"start": "2026-05-10", "end": "2026-05-01"}, TODAY)
    assert "The start date is after the end date" in str(span.form.errors["start"])
    assert span.end == TODAY


def test_a_future_start_is_refused_and_a_future_end_stops_today() -> None:
    refused = parse_range({"start": "2026-07-01", "end": "2026-07-10"}, TODAY)
    assert "in the future" in str(refused.form.errors["start"])
    clipped = parse_range({"start": "2026-06-01", "end": "2027-01-01"}, TODAY)
    assert not clipped.form.errors
    assert (clipped.start, clipped.end) == (date(2026, 6, 1), TODAY)
    assert "stop today" in clipped.notes[0]


def test_a_multi_year_range_keeps_its_last_year() -> None:
    span = parse_range({"start": "2019-01-01", "end": "2026-06-01"}, TODAY)
    assert span.end == date(2026, 6, 1)
    assert (span.end - span.start).days + 1 == MAX_DAYS
    assert "limited to 366 days" in span.notes[0]


def test_a_garbled_date_is_an_error_and_the_page_still_answers(client, practice) -> None:
    client.force_login(member(practice, Role.OWNER))
    response = dashboard(client, practice, start="soon", end="2026-01-01")
    assert response.status_code == 422
    assert "Enter a valid date." in response.content.decode()


def test_no_range_means_the_last_90_days() -> None:
    span = parse_range({}, TODAY)
    assert (span.start, span.end) == (TODAY - timedelta(days=89), TODAY)


def dashboard_queries(client, practice: Practice, posts: int) -> int:
    activity(practice, posts, day=timezone.localdate() - timedelta(days=2), views=40, reactions=9)
    client.force_login(member(practice, Role.OWNER))
    with CaptureQueriesContext(connection) as queries:
        response = dashboard(client, practice)
    assert response.status_code == 200
    assert response.content.decode().count('<tr><th scope="row">News from the office') >= posts
    return len(queries)


def test_the_dashboard_costs_the_same_for_10_or_110_posts(client, practice, other_practice) -> None:
    assert dashboard_queries(client, practice, 10) == dashboard_queries(client, other_practice, 110)


def test_the_monthly_report_prints_one_month(client, practice) -> None:
    first = timezone.localdate().replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    activity(practice, 2, day=last_month + timedelta(days=3), views=12, reactions=4)
    client.force_login(member(practice, Role.OWNER))
    url = reverse("analytics_report", args=[practice.slug])
    page = client.get(url).content.decode()
    assert f"{last_month:%B %Y}" in page
    assert "Download" not in page
    assert client.get(url, {"month": "1999-13"}).status_code == 422
    client.force_login(member(practice, Role.PATIENT))
    assert client.get(url).status_code == 404
