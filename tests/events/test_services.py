from datetime import UTC, timedelta

import pytest
import time_machine
from django.db import IntegrityError

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.events.services import check_in, create_event, rsvp, update_event
from bedside.posts.models import Kind, Status
from bedside.practices.models import Role
from tests.events.conftest import ONLINE_URL, ZONE, details, make_event, soon, text
from tests.factories import LocationFactory, member

pytestmark = pytest.mark.django_db


# --- creating and editing ----------------------------------------------------------------


def test_creating_an_event_makes_a_draft_event_post_with_its_details(practice, editor):
    event = create_event(by=editor, practice=practice, text=text(), details=details())

    assert event.post.kind == Kind.EVENT
    assert event.post.status == Status.DRAFT
    assert "<strong>questions</strong>" in event.post.body_html
    assert event.practice == practice
    assert event.time_zone == ZONE
    # 18:00 in New York is 22:00 or 23:00 UTC, depending on daylight saving time.
    assert event.starts_at.astimezone(UTC).hour in {22, 23}
    assert event.is_online and event.online_url == ONLINE_URL


def test_an_event_in_person_at_a_location_of_the_practice(practice, editor):
    location = LocationFactory(practice=practice)
    event = make_event(practice, editor, online_url="", location=location, capacity=20)

    assert not event.is_online
    assert event.place == f"Main office, {location.one_line_address}"
    assert event.seats_left == 20


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"ends_at": soon()}, "ends_at", "end after it starts"),
        ({"ends_at": soon() - timedelta(hours=2)}, "ends_at", "end after it starts"),
        (
            {"starts_at": soon(days=-2), "ends_at": soon(days=-2) + timedelta(hours=1)},
            "starts_at",
            "start in the future",
        ),
        ({"ends_at": soon(days=20)}, "ends_at", "at most 14 days"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "time zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone", "time zone"),
        ({"online_url": ""}, "location", "Say where"),
        ({"online_url": "http://meet.example.org/x"}, "online_url", "https://"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "https://"),
        ({"address": "12 Elm Street"}, "online_url", "either in person or online"),
        ({"capacity": 0}, "capacity", "from 1"),
    ],
)
def test_bad_event_details_are_refused_next_to_their_field(
    practice, editor, overrides, field, words
):
    with pytest.raises(Invalid) as refused:
        create_event(by=editor, practice=practice, text=text(), details=details(**overrides))

    assert refused.value.field == field
    assert words in refused.value.message
    assert not Event.objects.exists()


def test_a_wall_clock_time_skipped_by_daylight_saving_is_refused_clearly(practice, editor):
    # 2:30 on the second Sunday of March does not exist in New York.
    with time_machine.travel("2030-01-01T12:00:00Z"):
        gap = soon(days=0).replace(year=2030, month=3, day=10, hour=2, minute=30)
        with pytest.raises(Invalid) as refused:
            create_event(
                by=editor,
                practice=practice,
                text=text(),
                details=details(starts_at=gap, ends_at=gap + timedelta(hours=2)),
            )

    assert refused.value.field == "starts_at"
    assert "does not exist in America/New_York" in refused.value.message


def test_a_location_of_another_practice_is_refused(practice, other_practice, editor):
    elsewhere = LocationFactory(practice=other_practice)
    with pytest.raises(Invalid) as refused:
        make_event(practice, editor, online_url="", location=elsewhere)
    assert refused.value.field == "location"


def test_patients_cannot_create_events(practice, patients):
    with pytest.raises(NotAllowed):
        create_event(by=patients[0], practice=practice, text=text(), details=details())


def test_the_post_text_is_validated_by_the_posts_service(practice, editor):
    with pytest.raises(Invalid) as refused:
        create_event(by=editor, practice=practice, text=text(title=" "), details=details())
    assert refused.value.field == "title"
    assert not Event.objects.exists()


def test_editing_an_event_that_has_started_keeps_its_start(practice, editor):
    event = make_event(practice, editor)
    with time_machine.travel(event.starts_at + timedelta(minutes=10)):
        update_event(
            by=editor,
            event=event,
            text=text(title="Ask us about flu shots (room 2)"),
            details=details(
                starts_at=event.starts_at, ends_at=event.ends_at + timedelta(minutes=30)
            ),
        )
    event.refresh_from_db()
    event.post.refresh_from_db()
    assert event.post.title == "Ask us about flu shots (room 2)"
    assert event.post.kind == Kind.EVENT


def test_more_seats_seat_the_waitlist_in_order(practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    for patient in patients[:4]:
        rsvp(event=event, patient=patient, going=True)

    update_event(by=editor, event=event, text=text(), details=details(capacity=3))

    statuses = dict(Rsvp.objects.values_list("user_id", "status"))
    assert [statuses[p.pk] for p in patients[:4]] == ["going", "going", "going", "waitlisted"]
    assert Rsvp.objects.filter(promoted_at__isnull=False).count() == 2
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (3, 1)


def test_fewer_seats_than_people_going_is_refused(practice, editor, patients):
    event = make_event(practice, editor, capacity=5)
    for patient in patients[:3]:
        rsvp(event=event, patient=patient, going=True)

    with pytest.raises(Invalid) as refused:
        update_event(by=editor, event=event, text=text(), details=details(capacity=2))

    assert refused.value.field == "capacity"
    assert "3 people are already going" in refused.value.message
    event.refresh_from_db()
    assert event.capacity == 5


# --- RSVPs -------------------------------------------------------------------------------


def test_going_takes_a_seat_while_there_is_one_then_the_waitlist(practice, editor, patients):
    event = make_event(practice, editor, capacity=2)

    answers = [rsvp(event=event, patient=p, going=True).status for p in patients[:4]]

    assert answers == ["going", "going", "waitlisted", "waitlisted"]
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count, event.seats_left) == (2, 2, 0)


def test_cancelling_a_seat_promotes_the_oldest_waitlisted(practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    first, second, third = patients[:3]
    rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    rsvp(event=event, patient=third, going=True)

    rsvp(event=event, patient=first, going=False)

    promoted = Rsvp.objects.get(user=second)
    assert promoted.status == RsvpStatus.GOING
    assert promoted.promoted_at is not None
    assert Rsvp.objects.get(user=third).status == RsvpStatus.WAITLISTED
    assert Rsvp.objects.get(user=first).status == RsvpStatus.NOT_GOING
    assert (event.going_count, event.waitlist_count) == (1, 1)


def test_leaving_the_waitlist_promotes_nobody(practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    for patient in patients[:3]:
        rsvp(event=event, patient=patient, going=True)

    rsvp(event=event, patient=patients[1], going=False)

    assert Rsvp.objects.filter(promoted_at__isnull=False).count() == 0
    assert (event.going_count, event.waitlist_count) == (1, 1)


def test_answering_the_same_twice_changes_nothing(practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    first = rsvp(event=event, patient=patients[0], going=True)
    again = rsvp(event=event, patient=patients[0], going=True)

    assert again.pk == first.pk and again.responded_at == first.responded_at
    event.refresh_from_db()
    assert event.going_count == 1


def test_coming_back_after_cancelling_joins_the_back_of_the_waitlist(practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    first, second, third = patients[:3]
    rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    rsvp(event=event, patient=first, going=False)  # second is promoted
    rsvp(event=event, patient=third, going=True)

    back = rsvp(event=event, patient=first, going=True)

    assert back.status == RsvpStatus.WAITLISTED
    rsvp(event=event, patient=second, going=False)
    assert Rsvp.objects.get(user=third).status == RsvpStatus.GOING
    assert Rsvp.objects.get(user=first).status == RsvpStatus.WAITLISTED


def test_an_unlimited_event_never_waitlists(practice, editor, patients):
    event = make_event(practice, editor)
    assert {rsvp(event=event, patient=p, going=True).status for p in patients} == {"going"}
    assert event.going_count == len(patients)


def test_only_members_of_the_practice_reply(practice, other_practice, editor):
    event = make_event(practice, editor)
    outsider = member(other_practice)
    with pytest.raises(NotAllowed):
        rsvp(event=event, patient=outsider, going=True)
    assert not Rsvp.objects.exists()


def test_nobody_replies_to_a_draft_or_a_finished_event(practice, editor, patients):
    draft = make_event(practice, editor, publish=False)
    with pytest.raises(Conflict):
        rsvp(event=draft, patient=patients[0], going=True)

    event = make_event(practice, editor)
    with time_machine.travel(event.ends_at + timedelta(minutes=1)), pytest.raises(Conflict):
        rsvp(event=event, patient=patients[0], going=True)


def test_the_database_refuses_more_going_than_seats(practice, editor):
    event = make_event(practice, editor, capacity=1)
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(going_count=2)


# --- check-in ----------------------------------------------------------------------------


def test_staff_check_in_people_with_a_seat_once(practice, editor, patients):
    event = make_event(practice, editor, capacity=1)
    seat = rsvp(event=event, patient=patients[0], going=True)
    waiting = rsvp(event=event, patient=patients[1], going=True)
    moderator = member(practice, Role.MODERATOR)

    checked = check_in(by=moderator, rsvp=seat)
    first_time = checked.checked_in_at
    assert first_time is not None
    assert check_in(by=moderator, rsvp=seat).checked_in_at == first_time
    with pytest.raises(Conflict):
        check_in(by=moderator, rsvp=waiting)


def test_patients_cannot_check_anyone_in(practice, editor, patients):
    event = make_event(practice, editor)
    seat = rsvp(event=event, patient=patients[0], going=True)
    with pytest.raises(NotAllowed):
        check_in(by=patients[1], rsvp=seat)
    with pytest.raises(NotAllowed):
        check_in(by=patients[0], rsvp=seat)


def test_someone_checked_in_cannot_cancel_online(practice, editor, patients):
    event = make_event(practice, editor)
    seat = rsvp(event=event, patient=patients[0], going=True)
    check_in(by=editor, rsvp=seat)

    with pytest.raises(Conflict):
        rsvp(event=event, patient=patients[0], going=False)
    assert Rsvp.objects.get(pk=seat.pk).status == RsvpStatus.GOING
