import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bedside.analytics.exports import SUPPRESSED, Table, suppressed_rows, to_csv
from bedside.practices.models import Role
from tests.analytics.test_dashboard import activity
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_counts_under_five_are_suppressed_and_so_are_rates_over_them() -> None:
    table = Table(
        key="t",
        title="t",
        headers=("Label", "Views", "Interactions", "Rate"),
        rows=(("a", 4, 1, "25.0%"), ("b", 50, 0, "0.0%"), ("c", 5, 5, "100.0%")),
        counts=frozenset({1, 2}),
        bases=((3, 1),),
    )
    assert suppressed_rows(table) == [
        ("a", SUPPRESSED, SUPPRESSED, SUPPRESSED),
        ("b", 50, 0, "0.0%"),
        ("c", 5, 5, "100.0%"),
    ]


def test_a_title_that_looks_like_a_formula_is_neutralised() -> None:
    table = Table(key="t", title="t", headers=("Post",), rows=(("=HYPERLINK(1)",),))
    assert "'=HYPERLINK(1)" in to_csv(table)


def test_every_dashboard_table_downloads_and_the_topic_csv_matches_the_page(
    client, practice
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    activity(practice, 20, day=yesterday, views=50, reactions=20)
    client.force_login(member(practice, Role.EDITOR))
    page = client.get(reverse("analytics_dashboard", args=[practice.slug])).content.decode()
    for key in (
        "topics",
        "top",
        "kinds",
        "weekdays",
        "hours",
        "participation",
        "followers",
        "channels",
        "days",
        "posts",
    ):
        url = reverse("analytics_csv", args=[practice.slug, key])
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("analytics_csv", args=[practice.slug, "topics"])
                ).content.decode()
            )
        )
    )
    assert rows[0][:5] == ["Topic", "Posts", "Reach (views)", "Interactions", "Engagement rate"]
    assert rows[1][:5] == ["Non-medical", "10", "500", "200", "40.0%"]
    assert rows[2][:5] == ["Medical", "10", "500", "50", "10.0%"]
    assert "<td>40.0%</td>" in page and "<td>10.0%</td>" in page


def test_an_unknown_table_is_a_404_and_outsiders_get_no_csv(client, practice) -> None:
    client.force_login(member(practice, Role.OWNER))
    assert client.get(reverse("analytics_csv", args=[practice.slug, "secrets"])).status_code == 404
    client.force_login(member(practice, Role.PATIENT))
    assert client.get(reverse("analytics_csv", args=[practice.slug, "topics"])).status_code == 404
