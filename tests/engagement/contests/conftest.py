from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from bedside.engagement.contests.models import Contest
from bedside.engagement.contests.services import ContestRules, PostText, create_contest
from bedside.posts.services import publish_post
from bedside.practices.models import Practice, Role, User
from tests.factories import member

ZONE = "America/New_York"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def wall_clock(days: float) -> datetime:
    """A naive wall-clock time ``days`` from now in New York, as the studio form gives it."""
    from zoneinfo import ZoneInfo

    local = (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(ZONE))
    return local.replace(tzinfo=None, second=0, microsecond=0)


def rules(**overrides: object) -> ContestRules:
    fields: dict[str, object] = {
        "sponsor": "Riverside Family Practice",
        "min_age": 18,
        "region": "Residents of Oregon, USA",
        "opens_at": wall_clock(-1),
        "closes_at": wall_clock(7),
        "draw_by": wall_clock(8),
        "time_zone": ZONE,
        "entry_type": "simple",
        "prize": "A picnic basket from the farmers' market",
        "prize_value": Decimal("75.00"),
        "winners_count": 1,
        "alternates_count": 2,
    }
    fields.update(overrides)
    return ContestRules(**fields)  # type: ignore[arg-type]


def text(**overrides: str) -> PostText:
    fields = {
        "title": "Win a picnic basket",
        "body": "Enter our **summer** giveaway.",
        "visibility": "public",
    }
    fields.update(overrides)
    return PostText(**fields)


def make_contest(
    practice: Practice, by: User, *, publish: bool = True, **overrides: object
) -> Contest:
    contest = create_contest(by=by, practice=practice, text=text(), rules=rules(**overrides))
    if publish:
        publish_post(by=by, post=contest.post)
    return contest


def after_close(contest: Contest) -> "time_machine.travel":
    return time_machine.travel(contest.closes_at + timedelta(minutes=1), tick=False)


@pytest.fixture
def editor(practice: Practice) -> User:
    return member(practice, Role.EDITOR, display_name="News desk")


@pytest.fixture
def patients(practice: Practice) -> list[User]:
    return [member(practice, display_name=f"Patient {i}") for i in range(5)]
