"""Three upcoming events at Riverside, with replies and a waitlist, made through the services.

A flu-shot clinic with 20 seats that is nearly full, a diabetes support evening in person
whose seats are taken (three people wait), and an online webinar. Times are wall-clock
times in the practice's time zone, a few days ahead of whenever the demo is seeded.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bedside.demo import riverside
from bedside.events.models import Event
from bedside.events.services import EventDetails, PostText, create_event, rsvp
from bedside.posts.services import publish_post
from bedside.practices.models import Membership, Practice, Role, User


@dataclass(frozen=True)
class DemoEvent:
    title: str
    topic: str
    body: str
    days_ahead: int
    starts: str  # "HH:MM", the practice's clock
    hours: float
    capacity: int | None
    going: int
    waitlisted: int = 0
    at_location: bool = False
    address: str = ""
    online_url: str = ""


EVENTS = (
    DemoEvent(
        title="Walk-in flu shot clinic",
        topic="medical",
        body="""\
Get this season's flu shot in ten minutes, no appointment needed. Our nurses give the
shots; bring your insurance card. Children from 6 months are welcome with a parent.

**Please reply** so we have enough doses ready.""",
        days_ahead=5,
        starts="09:00",
        hours=3,
        capacity=20,
        going=18,
        at_location=True,
    ),
    DemoEvent(
        title="Diabetes support evening",
        topic="medical",
        body="""\
An evening for people living with diabetes and the people who care for them. Our
dietitian shares simple swaps for everyday meals, and there is time to talk and swap tips.
Tea and sugar-free snacks provided.""",
        days_ahead=9,
        starts="18:30",
        hours=1.5,
        capacity=10,
        going=10,
        waitlisted=3,
        address="Millbrook Community Hall, 3 Mill Lane, Millbrook, OR 97301",
    ),
    DemoEvent(
        title="Webinar: sleep better this winter",
        topic="medical",
        body="""\
Dr. Brooks explains what helps with sleep when the days are short — and what does not.
Join from home; bring your questions for the Q&A at the end.""",
        days_ahead=12,
        starts="19:00",
        hours=1,
        capacity=None,
        going=14,
        online_url="https://meet.riverside.example/sleep-better",
    ),
)


def _wall_clock(today: date, days_ahead: int, starts: str) -> datetime:
    return datetime.combine(today + timedelta(days=days_ahead), time.fromisoformat(starts))


def add_upcoming_events() -> list[Event]:
    """Publish the three events at Riverside and fill them with patients' replies."""
    practice = Practice.objects.get(slug=riverside.SLUG)
    editor = Membership.objects.select_related("user").get(practice=practice, role=Role.EDITOR).user
    demo_patient = riverside.LOGINS[-1].email
    # The demo patient is left free to reply to the clinic and the support evening.
    patients = list(
        User.objects.filter(memberships__practice=practice, memberships__role=Role.PATIENT)
        .exclude(email=demo_patient)
        .order_by("pk")
    )
    location = practice.locations.first()
    today = timezone.now().astimezone(ZoneInfo(practice.time_zone)).date()
    events = []
    for index, item in enumerate(EVENTS):
        starts_at = _wall_clock(today, item.days_ahead, item.starts)
        event = create_event(
            by=editor,
            practice=practice,
            text=PostText(topic=item.topic, title=item.title, body=item.body, visibility="public"),
            details=EventDetails(
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=item.hours),
                time_zone=practice.time_zone,
                location=location if item.at_location else None,
                address=item.address,
                online_url=item.online_url,
                capacity=item.capacity,
            ),
        )
        publish_post(by=editor, post=event.post)
        offset = index * 7
        repliers = (patients[offset:] + patients[:offset])[: item.going + item.waitlisted]
        for patient in repliers:
            rsvp(event=event, patient=patient, going=True)
        events.append(event)
    # The demo patient is going to the webinar, so they see its link to join.
    webinar = events[-1]
    rsvp(event=webinar, patient=User.objects.get(email=demo_patient), going=True)
    return events
