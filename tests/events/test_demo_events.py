import pytest
from django.utils import timezone

from bedside.demo import riverside
from bedside.demo.seeding import seed_demo
from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.posts.models import Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_upcoming_events_with_replies_and_a_waitlist():
    seed_demo()
    events = {
        e.post.title: e
        for e in Event.objects.select_related("post").filter(practice__slug=riverside.SLUG)
    }

    assert len(events) == 3
    assert all(
        e.post.status == Status.PUBLISHED and e.starts_at > timezone.now() for e in events.values()
    )
    clinic = events["Walk-in flu shot clinic"]
    assert clinic.capacity == 20 and clinic.going_count == 18 and clinic.location is not None
    support = events["Diabetes support evening"]
    assert (support.going_count, support.waitlist_count) == (support.capacity, 3)
    assert support.address and not support.is_online
    webinar = events["Webinar: sleep better this winter"]
    assert webinar.is_online and webinar.capacity is None
    assert Rsvp.objects.filter(
        event=webinar, user__email=riverside.LOGINS[-1].email, status=RsvpStatus.GOING
    ).exists()
    for event in events.values():
        counted = Rsvp.objects.filter(event=event)
        assert event.going_count == counted.filter(status=RsvpStatus.GOING).count()
        assert event.waitlist_count == counted.filter(status=RsvpStatus.WAITLISTED).count()
