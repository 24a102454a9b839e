"""Two patients take the last seat at the same moment: one gets it, the other the waitlist.

Real concurrency needs real connections and row locks, so this runs on PostgreSQL only
(SQLite serialises writers and has no SELECT … FOR UPDATE).
"""

import threading

import pytest
from django.db import connection, connections

from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.events.services import rsvp
from bedside.practices.models import Role, User
from tests.events.conftest import make_event
from tests.factories import PracticeFactory, member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and connections"
    ),
]


def _race(event_id: int, people: list[User]) -> list[BaseException]:
    """Each person answers "going" from their own thread and connection, all at once."""
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def answer(user: User) -> None:
        try:
            event = Event.objects.select_related("post").get(pk=event_id)
            start.wait(timeout=10)
            rsvp(event=event, patient=user, going=True)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("rounds", range(5))
def test_two_patients_taking_the_last_seat_at_once_never_overbook(rounds):
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    event = make_event(practice, editor, capacity=1)
    people = [member(practice), member(practice)]

    assert _race(event.pk, people) == []

    event.refresh_from_db()
    statuses = sorted(Rsvp.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [RsvpStatus.GOING, RsvpStatus.WAITLISTED]
    assert (event.going_count, event.waitlist_count) == (1, 1)


def test_many_patients_at_once_fill_the_seats_exactly():
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    event = make_event(practice, editor, capacity=3)
    people = [member(practice) for _ in range(8)]

    assert _race(event.pk, people) == []

    event.refresh_from_db()
    going = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
    waiting = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).count()
    assert (going, waiting) == (3, 5)
    assert (event.going_count, event.waitlist_count) == (3, 5)
