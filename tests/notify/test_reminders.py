"""Event reminders (24 h and 1 h before) and waitlist promotions, told through notify_users."""

from datetime import timedelta

import pytest
import time_machine

from bedside.events.services import rsvp
from bedside.notify.models import Notification
from bedside.notify.reminders import announce_promotions, send_due_reminders
from bedside.practices.models import Role
from tests.events.conftest import make_event
from tests.factories import LocationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


def reminded(key_suffix):
    return set(
        Notification.objects.filter(key__endswith=key_suffix).values_list("user__email", flat=True)
    )


def test_everyone_going_is_reminded_a_day_before_and_an_hour_before_once(practice, editor):
    event = make_event(practice, editor, capacity=2)
    going = [member(practice), member(practice)]
    waiting, declined = member(practice), member(practice)
    for patient in going:
        rsvp(event=event, patient=patient, going=True)
    rsvp(event=event, patient=waiting, going=True)
    rsvp(event=event, patient=declined, going=False)

    with time_machine.travel(event.starts_at - timedelta(hours=25)):
        assert send_due_reminders() == 0
    with time_machine.travel(event.starts_at - timedelta(hours=23)):
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    with time_machine.travel(event.starts_at - timedelta(minutes=50)):
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    with time_machine.travel(event.starts_at + timedelta(minutes=5)):
        assert send_due_reminders() == 0

    expected = {patient.email for patient in going}
    assert reminded(f"event:{event.pk}:reminder:24h") == expected
    assert reminded(f"event:{event.pk}:reminder:1h") == expected
    day_before = Notification.objects.get(user=going[0], key__endswith="24h")
    assert day_before.title == "Coming up: Ask us about flu shots"
    assert day_before.url == f"/p/{practice.slug}/events/{event.post_id}/"
    assert "Online: the link is on the event page." in day_before.body
    assert "(E" in day_before.body, "the time is given in the event's own time zone"


def test_a_clock_that_was_down_sends_only_the_nearest_reminder(practice, editor):
    event = make_event(practice, editor, location=LocationFactory(practice=practice), online_url="")
    patient = member(practice)
    rsvp(event=event, patient=patient, going=True)

    with time_machine.travel(event.starts_at - timedelta(minutes=30)):
        assert send_due_reminders() == 1

    [notice] = Notification.objects.filter(user=patient)
    assert notice.key == f"event:{event.pk}:reminder:1h"
    assert notice.title.startswith("Starting soon: ")
    assert "At Main office, 12 River Road" in notice.body


def test_someone_who_replies_going_inside_the_window_is_still_reminded(practice, editor):
    event = make_event(practice, editor)
    early, late = member(practice), member(practice)
    rsvp(event=event, patient=early, going=True)

    with time_machine.travel(event.starts_at - timedelta(hours=20)):
        send_due_reminders()
        rsvp(event=event, patient=late, going=True)
        assert send_due_reminders() == 1

    assert reminded("24h") == {early.email, late.email}


def test_a_draft_event_reminds_nobody(practice, editor):
    event = make_event(practice, editor, publish=False)
    Notification.objects.all().delete()

    with time_machine.travel(event.starts_at - timedelta(hours=2)):
        assert send_due_reminders() == 0


def test_the_person_a_freed_seat_goes_to_is_told_once(practice, editor):
    event = make_event(practice, editor, capacity=1)
    first, second = member(practice), member(practice)
    rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    assert announce_promotions() == 0

    rsvp(event=event, patient=first, going=False)

    assert announce_promotions() == 1
    assert announce_promotions() == 0
    [notice] = Notification.objects.filter(key__contains=":promoted:")
    assert notice.user == second
    assert notice.title == "You have a seat: Ask us about flu shots"
    assert notice.kind == "rsvp_promoted"
    assert notice.url == f"/p/{practice.slug}/events/{event.post_id}/"


def test_someone_promoted_twice_is_told_twice(practice, editor):
    event = make_event(practice, editor, capacity=1)
    first, second = member(practice), member(practice)
    rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    rsvp(event=event, patient=first, going=False)  # second gets the seat
    rsvp(event=event, patient=first, going=True)  # first waits
    assert announce_promotions() == 1

    with time_machine.travel(timedelta(minutes=1)):
        rsvp(event=event, patient=second, going=False)  # first gets the seat
        rsvp(event=event, patient=second, going=True)  # second waits
        rsvp(event=event, patient=first, going=False)  # second gets it again
        assert announce_promotions() == 1

    told = Notification.objects.filter(key__contains=":promoted:")
    assert sorted(told.values_list("user_id", flat=True)) == [second.pk, second.pk]


def test_a_promotion_whose_event_has_started_is_not_announced(practice, editor):
    event = make_event(practice, editor, capacity=1)
    first, second = member(practice), member(practice)
    rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    rsvp(event=event, patient=first, going=False)

    with time_machine.travel(event.starts_at + timedelta(minutes=1)):
        assert announce_promotions() == 0
