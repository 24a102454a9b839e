from io import StringIO

import pytest
from django.core.management import call_command

from bedside.demo import analytics, riverside
from bedside.posts.models import Comment, Post, PostImage, Reaction, Status, Visibility
from bedside.practices.models import Invitation, Membership, Practice, Role, StaffProfile

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "practices": Practice.objects.count(),
        "profiles": StaffProfile.objects.count(),
        "memberships": Membership.objects.count(),
        "posts": Post.objects.count(),
        "images": PostImage.objects.count(),
        "reactions": Reaction.objects.count(),
        "comments": Comment.objects.count(),
        "invitations": Invitation.objects.count(),
    }


def test_seeding_twice_creates_the_example_practice_once():
    first = seed()
    counts = snapshot()
    second = seed()

    assert "Seeded 2 practices" in first
    assert "already there" in second
    assert snapshot() == counts
    assert counts["practices"] == 2


def test_the_example_practice_feels_alive():
    seed()
    practice = Practice.objects.get(slug=riverside.SLUG)
    posts = Post.objects.filter(practice=practice)
    published = posts.filter(status=Status.PUBLISHED)

    assert practice.logo and practice.logo_alt
    assert practice.locations.count() == 2
    assert all(location.hours.exists() for location in practice.locations.all())
    assert published.count() >= 50
    assert posts.filter(status=Status.DRAFT).count() >= 3
    assert published.filter(visibility=Visibility.PATIENTS).count() >= 3
    assert published.filter(is_pinned=True).count() == 1
    assert published.filter(kind="team", spotlight__isnull=False).count() == 12
    assert published.filter(kind="office_life", images__position=2).exists()  # albums
    assert set(published.values_list("topic", flat=True)) == {"medical", "non_medical"}
    assert Reaction.objects.filter(post__practice=practice).count() > 200
    assert Comment.objects.filter(post__practice=practice).count() > 50


def test_post_dates_spread_over_about_four_months():
    seed()
    dates = Post.objects.filter(practice__slug=riverside.SLUG, status=Status.PUBLISHED).values_list(
        "published_at", flat=True
    )

    assert (max(dates) - min(dates)).days >= 100


def test_team_profiles_are_complete_and_described():
    seed()
    profiles = StaffProfile.objects.filter(practice__slug=riverside.SLUG)

    assert profiles.count() == 12
    for profile in profiles:
        assert profile.photo and profile.photo_alt
        assert profile.bio and profile.life_outside and profile.fun_fact and profile.languages
    assert PostImage.objects.filter(alt_text="").count() == 0


def test_every_demo_login_holds_its_role_and_signs_in(client):
    seed()
    for login in riverside.LOGINS:
        membership = Membership.objects.get(user__email=login.email, practice__slug="riverside")
        assert membership.role == login.role
    assert (
        Membership.objects.filter(practice__slug="riverside", role=Role.PATIENT).count()
        == 1 + len(riverside.PATIENT_NAMES) + analytics.FOLLOWERS
    )
    assert client.login(email="owner@riverside.example", password=riverside.DEMO_PASSWORD)


def test_practices_keep_their_posts_apart():
    seed()
    harbor = Practice.objects.get(slug="harbor-pediatrics")

    assert Post.objects.filter(practice=harbor).count() == len(riverside.SECOND_POSTS)
    assert not Membership.objects.filter(
        practice=harbor, user__email="owner@riverside.example"
    ).exists()


def test_invitations_for_the_front_desk_and_waiting_room():
    seed()
    labels = set(
        Invitation.objects.filter(practice__slug="riverside", role=Role.PATIENT).values_list(
            "label", flat=True
        )
    )
    front_desk = Invitation.objects.get(label="Front desk QR code")

    assert labels == {"Front desk QR code", "Waiting-room poster"}
    assert front_desk.use_count > 0


def test_reset_seeds_again_from_scratch():
    seed()
    before = snapshot()
    call_command("seed_demo", reset=True, stdout=StringIO())

    assert snapshot() == before
