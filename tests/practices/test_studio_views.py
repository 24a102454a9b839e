import io
import xml.etree.ElementTree as ET

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bedside.practices.models import Invitation, Membership, OpeningHours, Role, StaffProfile
from bedside.practices.studio_views import qr_svg
from tests.factories import (
    InvitationFactory,
    LocationFactory,
    MembershipFactory,
    StaffProfileFactory,
    image_bytes,
    member,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def studio_urls(practice, other_practice):
    """Every studio page of ``practice``, with rows that belong to it."""
    location = LocationFactory(practice=practice)
    profile = StaffProfileFactory(practice=practice)
    invitation = InvitationFactory(practice=practice)
    slug = practice.slug
    return [
        reverse("studio_practice", args=[slug]),
        reverse("studio_location_new", args=[slug]),
        reverse("studio_location_edit", args=[slug, location.pk]),
        reverse("studio_team", args=[slug]),
        reverse("studio_team_new", args=[slug]),
        reverse("studio_team_edit", args=[slug, profile.slug]),
        reverse("studio_invitations", args=[slug]),
        reverse("invitation_poster", args=[slug, invitation.pk]),
        reverse("invitation_qr", args=[slug, invitation.pk]),
        reverse("studio_members", args=[slug]),
    ]


def test_owner_sees_every_studio_page(client, practice, other_practice):
    client.force_login(member(practice, Role.OWNER))
    for url in studio_urls(practice, other_practice):
        assert client.get(url).status_code == 200, url


def test_studio_does_not_exist_for_patients_or_other_practices_staff(
    client, practice, other_practice
):
    urls = studio_urls(practice, other_practice)
    for user in (member(practice, Role.PATIENT), member(other_practice, Role.OWNER)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, practice, other_practice):
    for url in studio_urls(practice, other_practice):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("role", "forbidden"),
    [
        (Role.EDITOR, {"studio_practice", "studio_members"}),
        (
            Role.MODERATOR,
            {"studio_practice", "studio_members", "studio_invitations", "studio_team_new"},
        ),
    ],
)
def test_staff_without_the_right_get_403(client, practice, role, forbidden):
    client.force_login(member(practice, role))
    for name in forbidden:
        assert client.get(reverse(name, args=[practice.slug])).status_code == 403, name


def test_rows_of_another_practice_are_not_found_through_this_one(client, practice, other_practice):
    client.force_login(member(practice, Role.OWNER))
    location = LocationFactory(practice=other_practice)
    profile = StaffProfileFactory(practice=other_practice)
    invitation = InvitationFactory(practice=other_practice)
    seat = MembershipFactory(practice=other_practice)
    slug = practice.slug
    for url in [
        reverse("studio_location_edit", args=[slug, location.pk]),
        reverse("studio_team_edit", args=[slug, profile.slug]),
        reverse("invitation_poster", args=[slug, invitation.pk]),
        reverse("invitation_qr", args=[slug, invitation.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("studio_location_delete", args=[slug, location.pk]),
        reverse("studio_invitation_revoke", args=[slug, invitation.pk]),
        reverse("studio_member_role", args=[slug, seat.pk]),
    ]:
        assert client.post(url, {"role": Role.ADMIN}).status_code == 404, url
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    assert Membership.objects.get(pk=seat.pk).role == Role.PATIENT


# --- practice profile and locations ----------------------------------------------------


def profile_form(**overrides):
    return {
        "name": "Lakeside Care",
        "about": "We **care**.",
        "is_open_signup": "on",
        "target_grade": "8",
        **overrides,
    }


def test_practice_profile_is_saved_from_the_studio(client, practice):
    client.force_login(member(practice, Role.ADMIN))
    response = client.post(reverse("studio_practice", args=[practice.slug]), profile_form())
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.name == "Lakeside Care"
    assert "<strong>care</strong>" in practice.about_html


def test_the_target_reading_grade_is_set_in_the_studio_and_bounded(client, practice):
    client.force_login(member(practice, Role.ADMIN))
    url = reverse("studio_practice", args=[practice.slug])
    assert client.post(url, profile_form(target_grade="6")).status_code == 302
    practice.refresh_from_db()
    assert practice.target_grade == 6
    refused = client.post(url, profile_form(target_grade="40"))
    assert refused.status_code == 200
    assert "Ensure this value is less than or equal to 16" in refused.content.decode()
    practice.refresh_from_db()
    assert practice.target_grade == 6


def test_practice_profile_form_keeps_input_and_asks_for_logo_alt_text(client, practice):
    client.force_login(member(practice, Role.OWNER))
    logo = SimpleUploadedFile("logo.jpg", image_bytes(), content_type="image/jpeg")
    response = client.post(
        reverse("studio_practice", args=[practice.slug]),
        profile_form(tagline="Care close to home", logo=logo),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Care close to home"' in html
    assert "Please describe the logo" in html
    practice.refresh_from_db()
    assert not practice.logo


def hours_post(rows, **location):
    data = {
        "name": "Main office",
        "street": "1 Elm St",
        "city": "Springfield",
        "country": "US",
        "position": "0",
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "50",
        **location,
    }
    for index, (weekday, opens, closes) in enumerate(rows):
        data |= {
            f"hours-{index}-weekday": weekday,
            f"hours-{index}-opens_at": opens,
            f"hours-{index}-closes_at": closes,
        }
    return data


def test_a_location_and_its_hours_are_added_from_the_studio(client, practice):
    client.force_login(member(practice, Role.OWNER))
    data = hours_post([("0", "08:00", "12:00"), ("0", "13:00", "17:00"), ("", "", "")])
    response = client.post(reverse("studio_location_new", args=[practice.slug]), data)
    assert response.status_code == 302
    assert [str(h) for h in OpeningHours.objects.all()] == [
        "Monday 08:00–12:00",
        "Monday 13:00–17:00",
    ]
    page = client.get(reverse("studio_practice", args=[practice.slug])).content.decode()
    assert "08:00–12:00" in page


def test_hours_closing_before_opening_show_the_error_next_to_that_row(client, practice):
    client.force_login(member(practice, Role.OWNER))
    data = hours_post([("0", "08:00", "12:00"), ("1", "17:00", "09:00")])
    response = client.post(reverse("studio_location_new", args=[practice.slug]), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors == {
        "closes_at": ["The closing time must be after the opening time."]
    }
    assert formset.forms[0].errors == {}
    assert 'value="17:00"' in response.content.decode()
    assert not practice.locations.exists()


def test_a_location_is_removed_from_the_studio(client, practice):
    location = LocationFactory(practice=practice)
    client.force_login(member(practice, Role.ADMIN))
    response = client.post(reverse("studio_location_delete", args=[practice.slug, location.pk]))
    assert response.status_code == 302
    assert not practice.locations.exists()


# --- team ------------------------------------------------------------------------------


def test_a_team_member_is_added_and_appears_on_the_team_page(client, practice):
    client.force_login(member(practice, Role.EDITOR))
    data = {"name": "Ana Lee", "role_title": "Nurse", "position": "0", "is_visible": "on"}
    response = client.post(reverse("studio_team_new", args=[practice.slug]), data)
    assert response.status_code == 302
    assert "Ana Lee" in client.get(reverse("practice_team", args=[practice.slug])).content.decode()


def test_team_form_keeps_input_and_asks_for_photo_alt_text(client, practice):
    client.force_login(member(practice, Role.EDITOR))
    photo = SimpleUploadedFile("me.jpg", image_bytes(), content_type="image/jpeg")
    data = {
        "name": "Ana Lee",
        "role_title": "Nurse",
        "fun_fact": "Juggles",
        "position": "0",
        "photo": photo,
    }
    response = client.post(reverse("studio_team_new", args=[practice.slug]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Juggles"' in html
    assert "Please describe the photo" in html
    assert not StaffProfile.objects.exists()


def test_a_clinician_edits_their_own_profile_from_the_studio_but_not_others(client, practice):
    seat = MembershipFactory(practice=practice, role=Role.CLINICIAN)
    own = StaffProfileFactory(practice=practice, membership=seat)
    colleague = StaffProfileFactory(practice=practice)
    client.force_login(seat.user)
    team = client.get(reverse("studio_team", args=[practice.slug])).content.decode()
    assert reverse("studio_team_edit", args=[practice.slug, own.slug]) in team
    assert reverse("studio_team_edit", args=[practice.slug, colleague.slug]) not in team
    edit_page = client.get(reverse("studio_team_edit", args=[practice.slug, own.slug]))
    assert 'name="is_visible"' not in edit_page.content.decode()
    response = client.post(
        reverse("studio_team_edit", args=[practice.slug, own.slug]),
        {"name": "Dr. Own", "role_title": "Physician"},
    )
    assert response.status_code == 302
    assert StaffProfile.objects.get(pk=own.pk).name == "Dr. Own"
    other = client.get(reverse("studio_team_edit", args=[practice.slug, colleague.slug]))
    assert other.status_code == 403


# --- invitations ---------------------------------------------------------------------


def test_an_invitation_is_created_from_the_studio_and_listed_with_its_link(client, practice):
    client.force_login(member(practice, Role.EDITOR))
    response = client.post(
        reverse("studio_invitations", args=[practice.slug]),
        {"label": "Front desk", "role": Role.PATIENT, "max_uses": "20"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.max_uses == 20
    page = client.get(reverse("studio_invitations", args=[practice.slug])).content.decode()
    assert invitation.join_url in page
    assert reverse("invitation_poster", args=[practice.slug, invitation.pk]) in page


def test_an_editor_is_not_offered_staff_roles_and_cannot_post_one(client, practice):
    client.force_login(member(practice, Role.EDITOR))
    page = client.get(reverse("studio_invitations", args=[practice.slug])).content.decode()
    assert 'value="admin"' not in page
    response = client.post(
        reverse("studio_invitations", args=[practice.slug]), {"label": "Sneaky", "role": Role.ADMIN}
    )
    assert response.status_code == 200
    assert 'value="Sneaky"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_form_keeps_input_on_error(client, practice):
    client.force_login(member(practice, Role.OWNER))
    response = client.post(
        reverse("studio_invitations", args=[practice.slug]),
        {"label": "Health fair", "role": Role.PATIENT, "expires_at": "2001-01-01T10:00"},
    )
    html = response.content.decode()
    assert 'value="Health fair"' in html
    assert "The expiry must be in the future." in html


def test_an_invitation_is_withdrawn_from_the_studio(client, practice):
    invitation = InvitationFactory(practice=practice)
    client.force_login(member(practice, Role.EDITOR))
    response = client.post(reverse("studio_invitation_revoke", args=[practice.slug, invitation.pk]))
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_poster_shows_the_practice_the_call_to_scan_the_short_url_and_a_print_button(
    client, practice, settings
):
    settings.SITE_URL = "https://bedside.example.org"
    invitation = InvitationFactory(practice=practice)
    client.force_login(member(practice, Role.EDITOR))
    html = client.get(
        reverse("invitation_poster", args=[practice.slug, invitation.pk])
    ).content.decode()
    join_url = f"https://bedside.example.org/join/{invitation.token}/"
    assert practice.name in html
    assert "Scan to join us on Bedside" in html
    assert f'<p class="poster-url">{join_url}</p>' in html
    assert f'src="{reverse("invitation_qr", args=[practice.slug, invitation.pk])}"' in html
    assert "data-print" in html
    assert 'class="poster' in html


def parse_svg(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 (our own output, in a test)


def reference_svg(text: str) -> ET.Element:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", scale=10, border=4)
    return parse_svg(out.getvalue())


def drawn_modules(svg: ET.Element) -> str:
    return svg.find(f"{SVG}path").get("d")


def test_qr_code_is_an_svg_of_the_absolute_join_url(client, practice, settings):
    settings.SITE_URL = "https://bedside.example.org"
    invitation = InvitationFactory(practice=practice)
    client.force_login(member(practice, Role.EDITOR))
    response = client.get(reverse("invitation_qr", args=[practice.slug, invitation.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    root = parse_svg(response.content)
    assert root.tag == f"{SVG}svg"
    join_url = f"https://bedside.example.org/join/{invitation.token}/"
    assert root.find(f"{SVG}title").text == f"QR code for {join_url}"
    # The modules drawn are exactly those of the join URL's QR code, not of any other text.
    assert drawn_modules(root) == drawn_modules(reference_svg(join_url))
    assert drawn_modules(root) != drawn_modules(reference_svg(join_url + "x"))


def test_qr_svg_is_a_standalone_svg_file():
    svg = qr_svg("https://bedside.example.org/join/abc/")
    assert svg.startswith(b"<?xml")
    assert parse_svg(svg).get("viewBox")


# --- members -------------------------------------------------------------------------


def test_members_page_shows_display_names_roles_and_dates_but_no_real_names(client, practice):
    patient = MembershipFactory(
        practice=practice, display_name="Sunny", user__full_name="Real Name"
    )
    client.force_login(member(practice, Role.ADMIN))
    html = client.get(reverse("studio_members", args=[practice.slug])).content.decode()
    assert "Sunny" in html
    assert "Real Name" not in html
    assert patient.user.email not in html
    assert f'id="role-{patient.pk}"' in html


def test_an_owner_changes_a_role_from_the_members_page(client, practice):
    patient = MembershipFactory(practice=practice)
    client.force_login(member(practice, Role.OWNER))
    response = client.post(
        reverse("studio_member_role", args=[practice.slug, patient.pk]), {"role": "moderator"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=patient.pk).role == Role.MODERATOR


def test_the_last_owner_demoting_themselves_is_told_why_not(client, practice):
    owner = MembershipFactory(practice=practice, role=Role.OWNER)
    client.force_login(owner.user)
    response = client.post(
        reverse("studio_member_role", args=[practice.slug, owner.pk]),
        {"role": "admin"},
        follow=True,
    )
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER
