from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bedside.practices.models import Invitation, Membership, Role
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PracticeFactory,
    StaffProfileFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


# --- the team ------------------------------------------------------------------------------


def test_team_page_shows_visible_profiles_with_photo_placeholder_and_details(client, practice):
    StaffProfileFactory(
        practice=practice,
        name="Ana Lee",
        credentials="MD, FAAFP",
        role_title="Family physician",
        specialties="Sports medicine",
        languages="English, Spanish",
    )
    StaffProfileFactory(practice=practice, name="Hidden Person", is_visible=False)
    response = client.get(reverse("practice_team", args=[practice.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana Lee, MD, FAAFP" in html
    assert "Family physician" in html
    assert "Sports medicine" in html
    assert "English, Spanish" in html
    assert '<div class="initials" aria-hidden="true">AL</div>' in html
    assert "Hidden Person" not in html


def test_team_member_page_shows_bio_life_outside_and_fun_fact(client, practice):
    profile = StaffProfileFactory(
        practice=practice,
        bio="Trained in **Chicago**.",
        bio_html="<p>Trained in <strong>Chicago</strong>.</p>",
        life_outside="Bakes bread.\nRuns marathons.",
        fun_fact="Has met a penguin.",
    )
    response = client.get(reverse("team_member", args=[practice.slug, profile.slug]))
    html = response.content.decode()
    assert "<strong>Chicago</strong>" in html
    assert "Bakes bread.<br>Runs marathons." in html
    assert "Has met a penguin." in html


def test_team_member_of_another_practice_or_hidden_is_not_found(client, practice, other_practice):
    foreign = StaffProfileFactory(practice=other_practice)
    hidden = StaffProfileFactory(practice=practice, is_visible=False)
    assert client.get(reverse("team_member", args=[practice.slug, foreign.slug])).status_code == 404
    assert client.get(reverse("team_member", args=[practice.slug, hidden.slug])).status_code == 404


def test_a_hidden_profile_is_visible_to_its_owner(client, practice):
    seat = MembershipFactory(practice=practice, role=Role.CLINICIAN)
    hidden = StaffProfileFactory(practice=practice, is_visible=False, membership=seat)
    client.force_login(seat.user)
    response = client.get(reverse("team_member", args=[practice.slug, hidden.slug]))
    assert response.status_code == 200
    assert "Hidden from the team page" in response.content.decode()


# --- joining -------------------------------------------------------------------------------


def test_anonymous_visitor_with_an_invitation_is_asked_to_sign_up_and_the_token_kept(
    client, practice
):
    invitation = InvitationFactory(practice=practice)
    response = client.get(invitation.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert practice.guidelines_html in html
    assert reverse("account_signup") in html
    assert reverse("account_login") in html
    assert client.session["invitation_token"] == invitation.token


def test_anonymous_visitor_following_is_asked_to_sign_in_and_the_path_kept(client, practice):
    path = reverse("follow", args=[practice.slug])
    response = client.get(path)
    assert response.status_code == 200
    assert client.session["next_join"] == path


def test_signing_up_from_an_invitation_comes_back_to_the_join_form(client):
    practice = PracticeFactory(is_open_signup=False)
    invitation = InvitationFactory(practice=practice)
    client.get(invitation.get_absolute_url())
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-pass phrase",
            "password2": "a-long-pass phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == invitation.get_absolute_url()


def test_signing_in_from_the_follow_page_comes_back_to_it(client, practice):
    UserFactory(email="back@example.org")
    path = reverse("follow", args=[practice.slug])
    client.get(path)
    response = client.post(
        reverse("account_login"), {"login": "back@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == path


def test_signed_in_user_joins_with_an_invitation_and_lands_on_the_welcome_page(client, practice):
    invitation = InvitationFactory(practice=practice, role=Role.EDITOR)
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["invitation_token"] = invitation.token
    session.save()
    form = client.get(invitation.get_absolute_url())
    assert 'name="display_name"' in form.content.decode()
    assert "invitation_token" not in client.session
    response = client.post(
        invitation.get_absolute_url(), {"display_name": "Robin", "accepted_guidelines": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("welcome", args=[practice.slug])
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.display_name) == (Role.EDITOR, "Robin")
    assert Invitation.objects.get(pk=invitation.pk).use_count == 1


def test_join_form_keeps_the_input_and_shows_the_error_next_to_the_field(client, practice):
    client.force_login(UserFactory())
    response = client.post(
        reverse("follow", args=[practice.slug]),
        {"display_name": "Robin", "accepted_guidelines": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Robin"' in html
    assert "Please read and accept the community guidelines" in html
    assert not Membership.objects.exists()


def test_email_as_display_name_is_refused_on_the_form(client, practice):
    client.force_login(UserFactory(email="me@example.org"))
    response = client.post(
        reverse("follow", args=[practice.slug]),
        {"display_name": "me@example.org", "accepted_guidelines": "on"},
    )
    assert "Please do not use your email address" in response.content.decode()


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expired"),
        ({"max_uses": 1, "use_count": 1}, "already been used"),
    ],
)
def test_an_unusable_invitation_shows_the_reason(client, practice, state, reason):
    invitation = InvitationFactory(practice=practice, **state)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert "invitation_token" not in client.session


def test_an_unknown_invitation_token_is_not_found(client):
    assert client.get(reverse("join", args=["no-such-token"])).status_code == 404


def test_follow_on_an_invitation_only_practice_says_so(client):
    practice = PracticeFactory(is_open_signup=False)
    client.force_login(UserFactory())
    response = client.post(
        reverse("follow", args=[practice.slug]),
        {"display_name": "Robin", "accepted_guidelines": "on"},
    )
    assert response.status_code == 403
    assert "by invitation only" in response.content.decode()
    assert not Membership.objects.exists()


def test_an_existing_member_is_sent_to_the_practice(client, practice):
    client.force_login(member(practice))
    response = client.get(reverse("follow", args=[practice.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("practice_home", args=[practice.slug])


# --- welcome and the tour --------------------------------------------------------------------


def test_welcome_page_shows_the_welcome_message_and_the_tour(client, practice):
    user = member(practice, display_name="Robin")
    client.force_login(user)
    response = client.get(reverse("welcome", args=[practice.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert practice.welcome_html in html
    assert "Welcome, Robin" in html
    assert html.count("<li><strong>") == 5
    assert practice.booking_url in html
    assert "911" in html


def test_got_it_completes_the_tour(client, practice):
    user = member(practice)
    client.force_login(user)
    response = client.post(reverse("welcome", args=[practice.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(user=user).has_completed_tour


def test_welcome_page_is_only_for_members(client, practice):
    assert client.get(reverse("welcome", args=[practice.slug])).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(reverse("welcome", args=[practice.slug])).status_code == 404
