import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.core.cursor import Cursor
from bedside.practices.models import Role
from bedside.practices.queries import MEMBERS_PAGE_SIZE, members_page
from tests.factories import MembershipFactory, StaffProfileFactory, member

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_team_page_runs_the_same_number_of_queries_for_10_and_110_profiles(client, practice):
    url = reverse("practice_team", args=[practice.slug])
    StaffProfileFactory.create_batch(10, practice=practice)
    few = queries_for(client, url)
    StaffProfileFactory.create_batch(100, practice=practice)
    many = queries_for(client, url)
    assert few == many
    assert client.get(url).content.decode().count('class="card team-card"') == 110


def test_members_page_runs_the_same_number_of_queries_for_10_and_110_members(client, practice):
    client.force_login(member(practice, Role.OWNER))
    url = reverse("studio_members", args=[practice.slug])
    MembershipFactory.create_batch(9, practice=practice)
    few = queries_for(client, url)
    MembershipFactory.create_batch(100, practice=practice)
    many = queries_for(client, url)
    assert few == many


def test_studio_team_runs_the_same_number_of_queries_for_10_and_110_profiles(client, practice):
    client.force_login(member(practice, Role.EDITOR))
    url = reverse("studio_team", args=[practice.slug])
    for _ in range(10):
        StaffProfileFactory(
            practice=practice, membership=MembershipFactory(practice=practice, role=Role.CLINICIAN)
        )
    few = queries_for(client, url)
    for _ in range(100):
        StaffProfileFactory(
            practice=practice, membership=MembershipFactory(practice=practice, role=Role.CLINICIAN)
        )
    many = queries_for(client, url)
    assert few == many


def test_members_are_paged_newest_first_without_repeats(practice):
    created = MembershipFactory.create_batch(MEMBERS_PAGE_SIZE + 5, practice=practice)
    first = members_page(practice, None)
    second = members_page(practice, Cursor.decode(first.next_cursor))
    seen = [m.pk for m in first.items + second.items]
    assert len(first.items) == MEMBERS_PAGE_SIZE
    assert second.next_cursor is None
    assert sorted(seen) == sorted(m.pk for m in created)
    assert len(set(seen)) == len(seen)
