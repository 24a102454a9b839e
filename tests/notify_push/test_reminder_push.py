"""A reminder reaches a patient's browser: reminders → notify_users → send_push_batch."""

from datetime import timedelta

import pytest
import time_machine

from bedside.events.services import rsvp
from bedside.notify.reminders import announce_promotions, send_due_reminders
from bedside.practices.models import Role
from tests.events.conftest import make_event
from tests.factories import PracticeFactory, member
from tests.notify_push.conftest import subscribe

pytestmark = pytest.mark.django_db


def test_an_event_reminder_and_a_freed_seat_arrive_by_push(
    push_service, django_capture_on_commit_callbacks
):
    practice = PracticeFactory()
    event = make_event(practice, member(practice, Role.EDITOR), capacity=1)
    first, second = member(practice), member(practice)
    phone = push_service.browser("phone")
    subscribe(second, phone)
    rsvp(event=event, patient=first, going=True)
    rsvp(event=event, patient=second, going=True)
    rsvp(event=event, patient=first, going=False)

    with django_capture_on_commit_callbacks(execute=True):
        announce_promotions()
    with (
        time_machine.travel(event.starts_at - timedelta(hours=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()

    titles = [push.message(phone)["title"] for push in push_service.pushes_to("phone")]
    assert titles == [
        "You have a seat: Ask us about flu shots",
        "Coming up: Ask us about flu shots",
    ]
    url = push_service.pushes_to("phone")[1].message(phone)["url"]
    assert url == f"https://bedside.example.org/p/{practice.slug}/events/{event.post_id}/"
