from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bedside.core.errors import Invalid, NotAllowed, NotFound
from bedside.practices.models import OpeningHours, Role, StaffProfile
from bedside.practices.services import (
    HoursSpan,
    LocationDetails,
    PracticeDetails,
    StaffDetails,
    TeamPlacement,
    delete_location,
    save_location,
    save_staff_profile,
    update_practice_profile,
)
from tests.factories import (
    LocationFactory,
    MembershipFactory,
    StaffProfileFactory,
    image_bytes,
    member,
)

pytestmark = pytest.mark.django_db


def upload(name="photo.jpg"):
    return SimpleUploadedFile(name, image_bytes(size=(120, 90)), content_type="image/jpeg")


# --- the practice's profile ---------------------------------------------------------------


def test_owner_updates_the_profile_and_markdown_is_stored_sanitized(practice):
    details = PracticeDetails(
        name=" Lakeside Family Care ",
        about="We **love** <script>alert(1)</script> families.",
        welcome_message="Hello [there](https://example.org)",
        guidelines="Be *kind*.",
        is_open_signup=False,
    )
    saved = update_practice_profile(
        by=member(practice, Role.OWNER), practice=practice, details=details
    )
    saved.refresh_from_db()
    assert saved.name == "Lakeside Family Care"
    assert "<strong>love</strong>" in saved.about_html
    assert "<script>" not in saved.about_html
    assert 'href="https://example.org"' in saved.welcome_html
    assert "<em>kind</em>" in saved.guidelines_html
    assert saved.is_open_signup is False


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CLINICIAN, Role.MODERATOR, Role.PATIENT])
def test_only_owners_and_admins_edit_the_practice_profile(practice, role):
    with pytest.raises(NotAllowed):
        update_practice_profile(
            by=member(practice, role), practice=practice, details=PracticeDetails(name="New")
        )


def test_practice_needs_a_name(practice):
    with pytest.raises(Invalid) as refusal:
        update_practice_profile(
            by=member(practice, Role.OWNER), practice=practice, details=PracticeDetails(name=" ")
        )
    assert refusal.value.field == "name"


def test_a_logo_needs_alt_text(practice):
    with pytest.raises(Invalid) as refusal:
        update_practice_profile(
            by=member(practice, Role.OWNER),
            practice=practice,
            details=PracticeDetails(name="Clinic"),
            logo=upload(),
        )
    assert refusal.value.field == "logo_alt"


def test_a_logo_is_re_encoded_and_saved_with_its_alt_text(practice):
    saved = update_practice_profile(
        by=member(practice, Role.ADMIN),
        practice=practice,
        details=PracticeDetails(name="Clinic", logo_alt="A blue river"),
        logo=upload(),
    )
    saved.refresh_from_db()
    assert saved.logo_alt == "A blue river"
    with Image.open(saved.logo.path) as stored:
        assert stored.size == (120, 90)
        assert "exif" not in stored.info


def test_a_file_that_is_not_an_image_is_refused_next_to_the_logo_field(practice):
    bogus = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    with pytest.raises(Invalid) as refusal:
        update_practice_profile(
            by=member(practice, Role.OWNER),
            practice=practice,
            details=PracticeDetails(name="Clinic", logo_alt="Logo"),
            logo=bogus,
        )
    assert refusal.value.field == "logo"


def test_keeping_an_existing_logo_still_requires_alt_text_and_removing_it_clears_it(practice):
    owner = member(practice, Role.OWNER)
    update_practice_profile(
        by=owner,
        practice=practice,
        details=PracticeDetails(name="C", logo_alt="Logo"),
        logo=upload(),
    )
    with pytest.raises(Invalid):
        update_practice_profile(by=owner, practice=practice, details=PracticeDetails(name="C"))
    saved = update_practice_profile(
        by=owner, practice=practice, details=PracticeDetails(name="C"), remove_logo=True
    )
    assert not saved.logo
    assert saved.logo_alt == ""


# --- locations and opening hours ---------------------------------------------------------

MAIN = LocationDetails(name="Main office", street="1 Elm St", city="Springfield", country="us")


def span(weekday, opens, closes, index=0):
    return HoursSpan(
        weekday=weekday,
        opens_at=time.fromisoformat(opens),
        closes_at=time.fromisoformat(closes),
        index=index,
    )


def test_admin_adds_a_location_with_a_lunch_break(practice):
    hours = [
        span(0, "08:00", "12:00", 0),
        span(0, "13:00", "17:00", 1),
        span(2, "09:00", "15:00", 2),
    ]
    location = save_location(
        by=member(practice, Role.ADMIN), practice=practice, details=MAIN, hours=hours
    )
    assert location.country == "US"
    assert [str(h) for h in location.hours.all()] == [
        "Monday 08:00–12:00",
        "Monday 13:00–17:00",
        "Wednesday 09:00–15:00",
    ]


def test_saving_a_location_replaces_its_hours(practice):
    owner = member(practice, Role.OWNER)
    location = save_location(
        by=owner, practice=practice, details=MAIN, hours=[span(0, "08:00", "12:00")]
    )
    save_location(
        by=owner,
        practice=practice,
        details=MAIN,
        hours=[span(4, "10:00", "11:00")],
        location=location,
    )
    assert list(OpeningHours.objects.values_list("weekday", flat=True)) == [4]


def test_closing_before_opening_is_refused_next_to_that_rows_closing_time(practice):
    with pytest.raises(Invalid) as refusal:
        save_location(
            by=member(practice, Role.OWNER),
            practice=practice,
            details=MAIN,
            hours=[span(0, "08:00", "12:00", 0), span(1, "17:00", "09:00", 1)],
        )
    assert refusal.value.field == "hours-1-closes_at"


def test_overlapping_spans_on_one_day_are_refused(practice):
    with pytest.raises(Invalid, match="overlaps") as refusal:
        save_location(
            by=member(practice, Role.OWNER),
            practice=practice,
            details=MAIN,
            hours=[span(3, "08:00", "12:00", 0), span(3, "11:00", "14:00", 1)],
        )
    assert refusal.value.field == "hours-1-opens_at"


@pytest.mark.parametrize(
    ("field", "value"), [("name", " "), ("street", ""), ("city", ""), ("country", "USA")]
)
def test_a_location_needs_its_address(practice, field, value):
    details = LocationDetails(**{**MAIN.__dict__, field: value})
    with pytest.raises(Invalid) as refusal:
        save_location(by=member(practice, Role.OWNER), practice=practice, details=details, hours=[])
    assert refusal.value.field == field


def test_a_location_of_another_practice_cannot_be_saved_through_this_one(practice, other_practice):
    foreign = LocationFactory(practice=other_practice)
    with pytest.raises(NotFound):
        save_location(
            by=member(practice, Role.OWNER),
            practice=practice,
            details=MAIN,
            hours=[],
            location=foreign,
        )


def test_an_editor_may_not_change_locations(practice):
    location = LocationFactory(practice=practice)
    with pytest.raises(NotAllowed):
        delete_location(by=member(practice, Role.EDITOR), location=location)
    delete_location(by=member(practice, Role.ADMIN), location=location)
    assert not practice.locations.exists()


# --- team profiles -------------------------------------------------------------------------

DR_LEE = StaffDetails(name=" Dr. Ana Lee ", role_title="Family physician", bio="Loves *hiking*.")


def test_an_editor_adds_a_team_member_with_a_slug_from_the_name(practice):
    profile = save_staff_profile(
        by=member(practice, Role.EDITOR), practice=practice, details=DR_LEE
    )
    assert profile.name == "Dr. Ana Lee"
    assert profile.slug == "dr-ana-lee"
    assert "<em>hiking</em>" in profile.bio_html


def test_slugs_are_unique_within_a_practice_but_not_across_practices(practice, other_practice):
    editor = member(practice, Role.EDITOR)
    slugs = [
        save_staff_profile(by=editor, practice=practice, details=DR_LEE).slug for _ in range(3)
    ]
    assert slugs == ["dr-ana-lee", "dr-ana-lee-2", "dr-ana-lee-3"]
    elsewhere = save_staff_profile(
        by=member(other_practice, Role.OWNER), practice=other_practice, details=DR_LEE
    )
    assert elsewhere.slug == "dr-ana-lee"


def test_a_name_without_latin_letters_still_gets_a_slug(practice):
    details = StaffDetails(name="李安", role_title="Nurse")
    profile = save_staff_profile(
        by=member(practice, Role.OWNER), practice=practice, details=details
    )
    assert profile.slug == "member"


def test_a_photo_needs_alt_text(practice):
    with pytest.raises(Invalid) as refusal:
        save_staff_profile(
            by=member(practice, Role.OWNER), practice=practice, details=DR_LEE, photo=upload()
        )
    assert refusal.value.field == "photo_alt"
    assert not StaffProfile.objects.exists()


def test_a_photo_with_alt_text_is_stored(practice):
    details = StaffDetails(**{**DR_LEE.__dict__, "photo_alt": "Dr. Lee in the garden"})
    profile = save_staff_profile(
        by=member(practice, Role.OWNER), practice=practice, details=details, photo=upload()
    )
    assert profile.photo
    assert profile.photo_alt == "Dr. Lee in the garden"


@pytest.mark.parametrize(("field", "value"), [("name", "  "), ("role_title", "")])
def test_a_profile_needs_a_name_and_a_role(practice, field, value):
    details = StaffDetails(**{**DR_LEE.__dict__, field: value})
    with pytest.raises(Invalid) as refusal:
        save_staff_profile(by=member(practice, Role.OWNER), practice=practice, details=details)
    assert refusal.value.field == field


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.MODERATOR, Role.PATIENT])
def test_only_those_who_manage_the_team_add_profiles(practice, role):
    with pytest.raises(NotAllowed):
        save_staff_profile(by=member(practice, role), practice=practice, details=DR_LEE)


def test_a_clinician_edits_their_own_profile_but_not_a_colleagues(practice):
    seat = MembershipFactory(practice=practice, role=Role.CLINICIAN)
    own = StaffProfileFactory(practice=practice, membership=seat)
    colleague = StaffProfileFactory(practice=practice)
    saved = save_staff_profile(by=seat.user, practice=practice, details=DR_LEE, profile=own)
    assert saved.slug == own.slug  # the URL stays stable when the name changes
    assert saved.name == "Dr. Ana Lee"
    with pytest.raises(NotAllowed):
        save_staff_profile(by=seat.user, practice=practice, details=DR_LEE, profile=colleague)


def test_a_clinician_may_not_change_their_place_on_the_team_page(practice):
    seat = MembershipFactory(practice=practice, role=Role.CLINICIAN)
    own = StaffProfileFactory(practice=practice, membership=seat)
    with pytest.raises(NotAllowed):
        save_staff_profile(
            by=seat.user,
            practice=practice,
            details=DR_LEE,
            profile=own,
            placement=TeamPlacement(is_visible=False),
        )


def test_a_manager_links_a_profile_to_a_staff_account_once(practice):
    editor = member(practice, Role.EDITOR)
    seat = MembershipFactory(practice=practice, role=Role.CLINICIAN)
    placement = TeamPlacement(membership=seat, position=3, is_visible=False)
    profile = save_staff_profile(by=editor, practice=practice, details=DR_LEE, placement=placement)
    assert (profile.membership, profile.position, profile.is_visible) == (seat, 3, False)
    with pytest.raises(Invalid) as refusal:
        save_staff_profile(by=editor, practice=practice, details=DR_LEE, placement=placement)
    assert refusal.value.field == "membership"


def test_a_profile_may_not_be_linked_to_a_patient_or_another_practices_account(
    practice, other_practice
):
    editor = member(practice, Role.EDITOR)
    for seat in (
        MembershipFactory(practice=practice, role=Role.PATIENT),
        MembershipFactory(practice=other_practice, role=Role.CLINICIAN),
    ):
        with pytest.raises(Invalid):
            save_staff_profile(
                by=editor,
                practice=practice,
                details=DR_LEE,
                placement=TeamPlacement(membership=seat),
            )


def test_a_profile_of_another_practice_cannot_be_saved_through_this_one(practice, other_practice):
    foreign = StaffProfileFactory(practice=other_practice)
    with pytest.raises(NotFound):
        save_staff_profile(
            by=member(practice, Role.OWNER), practice=practice, details=DR_LEE, profile=foreign
        )
