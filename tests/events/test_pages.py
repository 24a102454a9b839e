import csv
import io
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.events.services import check_in, rsvp
from bedside.posts.models import Kind, Status
from bedside.practices.models import Role
from tests.events.conftest import ONLINE_URL, make_event, soon
from tests.factories import LocationFactory, member

pytestmark = pytest.mark.django_db


def detail_url(event: Event) -> str:
    return reverse("event_detail", args=[event.practice.slug, event.post_id])


# --- the event page ----------------------------------------------------------------------


def test_the_online_link_is_shown_only_to_people_who_are_going(client, practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    going, waiting, undecided = patients[:3]
    rsvp(event=event, patient=going, going=True)
    rsvp(event=event, patient=waiting, going=True)

    client.force_login(going)
    assert ONLINE_URL in client.get(detail_url(event)).content.decode()
    for person in (waiting, undecided):
        client.force_login(person)
        assert ONLINE_URL not in client.get(detail_url(event)).content.decode()
    client.logout()
    page = client.get(detail_url(event)).content.decode()
    assert ONLINE_URL not in page
    assert "shown here to people who are going" in page


def test_the_page_shows_when_in_the_events_time_zone_and_seats_left(
    client, practice, editor, patients
):
    event = make_event(practice, editor, capacity=3)
    rsvp(event=event, patient=patients[0], going=True)

    client.force_login(patients[1])
    html = client.get(detail_url(event)).content.decode()

    assert f"{soon():%A, %B} {soon().day}, {soon().year}, 6:00 PM" in html
    assert "7:30 PM E" in html  # EST or EDT
    assert "(America/New_York)" in html
    assert "2 of 3 seats left" in html
    assert 'data-zone="America/New_York"' in html
    assert "I&#x27;m going" in html or "I'm going" in html


def test_the_waitlisted_see_their_place_in_the_queue(client, practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    for patient in patients[:3]:
        rsvp(event=event, patient=patient, going=True)

    client.force_login(patients[2])
    html = client.get(detail_url(event)).content.decode()

    assert "on the waitlist: number 2" in html
    assert "Leave the waitlist" in html


def test_an_event_in_person_links_to_a_map(client, practice, editor):
    location = LocationFactory(practice=practice, street="12 River Road", city="Springfield")
    event = make_event(practice, editor, online_url="", location=location)

    html = client.get(detail_url(event)).content.decode()

    assert "https://www.openstreetmap.org/search?query=12+River+Road%2C+Springfield" in html


def test_add_to_calendar_links_for_google_outlook_and_ics(client, practice, editor):
    event = make_event(practice, editor)
    html = client.get(detail_url(event)).content.decode()

    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert reverse("event_ics", args=[practice.slug, event.post_id]) in html


def test_replying_from_the_page(client, practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    url = reverse("event_rsvp", args=[practice.slug, event.post_id])
    client.force_login(patients[0])

    response = client.post(url, {"going": "yes"})
    assert response.status_code == 302 and response["Location"] == detail_url(event)
    assert Rsvp.objects.get(user=patients[0]).status == RsvpStatus.GOING

    client.post(url, {"going": "no"})
    assert Rsvp.objects.get(user=patients[0]).status == RsvpStatus.NOT_GOING


def test_strangers_cannot_reply_and_are_invited_to_join(client, practice, other_practice, editor):
    event = make_event(practice, editor)
    client.force_login(member(other_practice))

    page = client.get(detail_url(event)).content.decode()
    refused = client.post(
        reverse("event_rsvp", args=[practice.slug, event.post_id]), {"going": "yes"}
    )

    assert reverse("follow", args=[practice.slug]) in page
    assert refused.status_code == 403
    assert not Rsvp.objects.exists()


def test_drafts_and_other_practices_events_are_not_found(client, practice, other_practice, editor):
    draft = make_event(practice, editor, publish=False)
    published = make_event(practice, editor)
    client.force_login(member(practice))

    assert client.get(detail_url(draft)).status_code == 404
    assert (
        client.get(
            reverse("event_detail", args=[other_practice.slug, published.post_id])
        ).status_code
        == 404
    )


def test_an_event_posts_url_is_its_event_page(practice, editor):
    event = make_event(practice, editor)
    assert event.post.get_absolute_url() == detail_url(event)


# --- the .ics file -----------------------------------------------------------------------


def test_the_ics_file_describes_the_event_with_its_time_zone(client, practice, editor, patients):
    event = make_event(practice, editor)
    url = reverse("event_ics", args=[practice.slug, event.post_id])

    first = client.get(url)
    again = client.get(url)

    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(first.content)
    (item,) = calendar.walk("VEVENT")
    assert str(item["UID"]) == str(
        icalendar.Calendar.from_ical(again.content).walk("VEVENT")[0]["UID"]
    )
    assert str(item["UID"]).startswith(f"event-{event.pk}@")
    assert item["DTSTART"].params["TZID"] == "America/New_York"
    assert item.decoded("DTSTART") == event.starts_at
    assert item.decoded("DTEND") == event.ends_at
    assert str(item["LOCATION"]) == "Online"
    assert str(item["URL"]).endswith(detail_url(event))
    assert "Bring your questions" in str(item["DESCRIPTION"])
    assert ONLINE_URL not in str(item["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE")

    rsvp(event=event, patient=patients[0], going=True)
    client.force_login(patients[0])
    mine = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert ONLINE_URL in str(mine["DESCRIPTION"])


# --- the studio --------------------------------------------------------------------------


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Diabetes support evening",
        "topic": "medical",
        "visibility": "patients",
        "body": "Share what works for you.",
        "starts_at": f"{soon(days=10):%Y-%m-%dT%H:%M}",
        "ends_at": f"{soon(days=10) + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "time_zone": "America/Chicago",
        "address": "Community hall, 3 Mill Lane, Millbrook",
        "capacity": "12",
    }
    data.update(overrides)
    return data


def test_staff_create_an_event_and_land_on_the_post_to_publish_it(client, practice, editor):
    client.force_login(editor)
    page = client.get(reverse("studio_event_new", args=[practice.slug]))
    assert page.status_code == 200
    assert 'value="America/New_York" selected' in page.content.decode()  # the practice's zone

    response = client.post(reverse("studio_event_new", args=[practice.slug]), form_data())

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("studio_post_edit", args=[practice.slug, event.post_id])
    assert (event.post.kind, event.post.status) == (Kind.EVENT, Status.DRAFT)
    assert event.time_zone == "America/Chicago"
    assert event.capacity == 12 and event.address.startswith("Community hall")
    assert event.starts_at.astimezone(event.starts_at.tzinfo).hour in {23, 0}  # 18:00 CST/CDT


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": "next Tuesday"}, "starts_at", "Enter a date and time like"),
        ({"starts_at": "2026-02-30T10:00"}, "starts_at", "Enter a date and time like"),
        ({"ends_at": ""}, "ends_at", "Say when it ends."),
        (
            {"starts_at": "2001-01-01T10:00", "ends_at": "2001-01-01T11:00"},
            "starts_at",
            "The event must start in the future.",
        ),
        ({"ends_at": f"{soon(days=9):%Y-%m-%dT%H:%M}"}, "ends_at", "end after it starts"),
        ({"address": ""}, "location", "Say where it happens"),
    ],
)
def test_bad_dates_and_places_are_refused_next_to_the_field_keeping_what_was_typed(
    client, practice, editor, overrides, field, message
):
    client.force_login(editor)
    data = form_data(**overrides)
    response = client.post(reverse("studio_event_new", args=[practice.slug]), data)

    assert response.status_code == 422
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert 'value="Diabetes support evening"' in response.content.decode()
    assert not Event.objects.exists()


def test_staff_edit_an_events_details(client, practice, editor):
    event = make_event(practice, editor)
    client.force_login(editor)
    url = reverse("studio_event_edit", args=[practice.slug, event.post_id])
    page = client.get(url).content.decode()
    assert ONLINE_URL in page and f"{soon():%Y-%m-%dT18:00}" in page

    response = client.post(
        url, form_data(address="", online_url=ONLINE_URL, time_zone="America/New_York")
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 12
    assert event.post.title == "Diabetes support evening"


def test_patients_and_strangers_do_not_find_the_studio_pages(client, practice, editor, patients):
    event = make_event(practice, editor)
    client.force_login(patients[0])
    for url in (
        reverse("studio_event_new", args=[practice.slug]),
        reverse("studio_event_edit", args=[practice.slug, event.post_id]),
        reverse("studio_event_attendees", args=[practice.slug, event.post_id]),
        reverse("studio_event_attendees_csv", args=[practice.slug, event.post_id]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_studio_nav_offers_a_new_event_to_those_who_write_posts(client, practice, editor):
    moderator = member(practice, Role.MODERATOR)
    new_event = reverse("studio_event_new", args=[practice.slug])
    client.force_login(editor)
    assert new_event in client.get(reverse("studio_posts", args=[practice.slug])).content.decode()
    client.force_login(moderator)
    assert (
        new_event not in client.get(reverse("studio_posts", args=[practice.slug])).content.decode()
    )


# --- attendees ---------------------------------------------------------------------------


def test_attendees_by_display_name_with_status_and_check_in(client, practice, editor):
    event = make_event(practice, editor, capacity=1)
    ana = member(practice, display_name="Ana B.", user__email="ana.real@example.org")
    ben = member(practice, display_name="Ben C.")
    rsvp(event=event, patient=ana, going=True)
    rsvp(event=event, patient=ben, going=True)
    client.force_login(member(practice, Role.MODERATOR))

    html = client.get(
        reverse("studio_event_attendees", args=[practice.slug, event.post_id])
    ).content.decode()

    assert "Ana B." in html and "Ben C." in html
    assert "ana.real@example.org" not in html
    assert ana.full_name not in html
    assert "On the waitlist (number 1)" in html
    seat = Rsvp.objects.get(user=ana)
    checkin = reverse("studio_event_checkin", args=[practice.slug, event.post_id, seat.pk])
    assert checkin in html

    response = client.post(checkin)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#attendee-{seat.pk}")
    seat.refresh_from_db()
    assert seat.checked_in_at is not None


def test_checking_in_someone_of_another_event_is_not_found(client, practice, editor, patients):
    event, other = make_event(practice, editor), make_event(practice, editor)
    seat = rsvp(event=other, patient=patients[0], going=True)
    client.force_login(editor)

    response = client.post(
        reverse("studio_event_checkin", args=[practice.slug, event.post_id, seat.pk])
    )

    assert response.status_code == 404
    seat.refresh_from_db()
    assert seat.checked_in_at is None


def test_the_attendee_csv_lists_everyone_and_defuses_formulas(client, practice, editor):
    event = make_event(practice, editor, capacity=1)
    first = member(practice, display_name='=HYPERLINK("http://x")')
    second = member(practice, display_name="Ben C.")
    seat = rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    check_in(by=editor, rsvp=seat)
    client.force_login(editor)

    response = client.get(
        reverse("studio_event_attendees_csv", args=[practice.slug, event.post_id])
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Display name",
        "Status",
        "Waitlist position",
        "Answered at",
        "Checked in at",
    ]
    assert rows[1][:3] == ['\'=HYPERLINK("http://x")', "Going", ""]
    assert rows[1][4] != ""
    assert rows[2][:3] == ["Ben C.", "On the waitlist", "1"]
