from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from bedside.events.models import Event
from bedside.events.services import EventDetails, PostText, create_event
from bedside.posts.services import publish_post
from bedside.practices.models import Practice, Role, User
from tests.factories import member

ZONE = "America/New_York"
ONLINE_URL = "https://meet.example.org/flu-q-and-a"


def soon(days: int = 3, hour: int = 18) -> datetime:
    """A naive wall-clock time ``days`` from now, as the studio form gives it."""
    day = timezone.now().date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def details(**overrides: object) -> EventDetails:
    fields: dict[str, object] = {
        "starts_at": soon(),
        "ends_at": soon() + timedelta(hours=1, minutes=30),
        "time_zone": ZONE,
        "online_url": ONLINE_URL,
    }
    fields.update(overrides)
    return EventDetails(**fields)  # type: ignore[arg-type]


def text(**overrides: str) -> PostText:
    fields = {
        "topic": "medical",
        "title": "Ask us about flu shots",
        "body": "Bring your **questions**.",
        "visibility": "public",
    }
    fields.update(overrides)
    return PostText(**fields)


def make_event(practice: Practice, by: User, *, publish: bool = True, **overrides: object) -> Event:
    event = create_event(by=by, practice=practice, text=text(), details=details(**overrides))
    if publish:
        publish_post(by=by, post=event.post)
    return event


@pytest.fixture
def editor(practice: Practice) -> User:
    return member(practice, Role.EDITOR, display_name="News desk")


@pytest.fixture
def patients(practice: Practice) -> list[User]:
    return [member(practice, display_name=f"Patient {i}") for i in range(5)]
