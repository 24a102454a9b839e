import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bedside.posts.models import Kind, Status, Visibility
from bedside.practices.models import Role
from tests.factories import PostFactory, StaffProfileFactory, member

pytestmark = pytest.mark.django_db


def profile_page(client, profile):
    return client.get(profile.get_absolute_url())


def test_a_team_members_profile_lists_the_posts_about_them(client, practice):
    profile = StaffProfileFactory(practice=practice, name="Dr. Ana Ruiz")
    about = PostFactory(practice=practice, kind=Kind.TEAM, spotlight=profile, title="Meet Ana")
    PostFactory(practice=practice, kind=Kind.TEAM, title="Meet someone else")
    PostFactory(
        practice=practice,
        kind=Kind.TEAM,
        spotlight=profile,
        status=Status.DRAFT,
        published_at=None,
        title="Draft about Ana",
    )
    html = profile_page(client, profile).content.decode()
    assert "Posts about Dr. Ana Ruiz" in html
    assert about.get_absolute_url() in html
    assert "Meet someone else" not in html
    assert "Draft about Ana" not in html


def test_patients_only_spotlights_are_shown_to_patients_alone(client, practice, other_practice):
    profile = StaffProfileFactory(practice=practice)
    PostFactory(
        practice=practice,
        kind=Kind.TEAM,
        spotlight=profile,
        visibility=Visibility.PATIENTS,
        title="Only for our patients",
    )
    assert "Only for our patients" not in profile_page(client, profile).content.decode()
    client.force_login(member(other_practice))
    assert "Only for our patients" not in profile_page(client, profile).content.decode()
    client.force_login(member(practice, Role.PATIENT))
    assert "Only for our patients" in profile_page(client, profile).content.decode()


def test_the_profile_page_runs_the_same_queries_with_few_or_many_spotlights(client, practice):
    profile = StaffProfileFactory(practice=practice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert profile_page(client, profile).status_code == 200
        return len(queries)

    PostFactory.create_batch(2, practice=practice, kind=Kind.TEAM, spotlight=profile)
    few = count()
    PostFactory.create_batch(30, practice=practice, kind=Kind.TEAM, spotlight=profile)
    assert count() == few
