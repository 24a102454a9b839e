import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.events.models import Rsvp, RsvpStatus
from bedside.practices.models import Role
from tests.events.conftest import make_event
from tests.factories import MembershipFactory, member

pytestmark = pytest.mark.django_db


def attendee_page_queries(client, practice, editor, people: int) -> int:
    event = make_event(practice, editor, capacity=people // 2)
    memberships = MembershipFactory.create_batch(people, practice=practice)
    Rsvp.objects.bulk_create(
        Rsvp(
            event=event,
            user=m.user,
            status=RsvpStatus.GOING if i < people // 2 else RsvpStatus.WAITLISTED,
        )
        for i, m in enumerate(memberships)
    )
    client.force_login(editor)
    url = reverse("studio_event_attendees", args=[practice.slug, event.post_id])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="attendee-') == people
    return len(queries)


def test_the_attendee_list_costs_the_same_for_10_or_110_people(client, practice, other_practice):
    small = attendee_page_queries(client, practice, member(practice, Role.EDITOR), 10)
    large = attendee_page_queries(client, other_practice, member(other_practice, Role.EDITOR), 110)
    assert small == large
