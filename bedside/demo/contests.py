"""Two contests at Riverside, made through the services: one open, one drawn.

The open one is a photo contest the demo patient has not entered yet, so they can. The
drawn one ran last month: its entries went in through ``enter_contest`` while it was open,
then its entry period is moved into the past with ``QuerySet.update`` (as the demo moves
its timestamps) and staff draw it through ``draw_contest``, so its draw verifies like any
other. The notify sweep tells its winners when the clock runs.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from bedside.demo import riverside
from bedside.engagement.contests.models import Contest, Entry
from bedside.engagement.contests.services import (
    ContestRules,
    PostText,
    create_contest,
    draw_contest,
    enter_contest,
)
from bedside.posts.models import Post
from bedside.posts.services import publish_post
from bedside.practices.models import Membership, Practice, Role, User

SPONSOR = "Riverside Family Health"
REGION = "Residents of Oregon, USA"


def _local(practice: Practice, days: float) -> datetime:
    """A naive wall-clock time ``days`` from now on the practice's clock, to the minute."""
    local = (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(practice.time_zone))
    return local.replace(tzinfo=None, second=0, microsecond=0)


def add_contests() -> list[Contest]:
    practice = Practice.objects.get(slug=riverside.SLUG)
    editor = Membership.objects.select_related("user").get(practice=practice, role=Role.EDITOR).user
    demo_patient = riverside.LOGINS[-1].email
    patients = list(
        User.objects.filter(memberships__practice=practice, memberships__role=Role.PATIENT)
        .exclude(email=demo_patient)
        .order_by("pk")
    )
    open_contest = create_contest(
        by=editor,
        practice=practice,
        text=PostText(
            title="Photo contest: your favourite walk by the river",
            body=(
                "Share a photo from your favourite walk and win a **pair of walking shoes** "
                "fitted at Millbrook Outdoor. Getting outside is good for body and mind!"
            ),
            visibility="public",
        ),
        rules=ContestRules(
            sponsor=SPONSOR,
            min_age=18,
            region=REGION,
            opens_at=_local(practice, -2),
            closes_at=_local(practice, 12),
            draw_by=_local(practice, 14),
            time_zone=practice.time_zone,
            entry_type="photo",
            prize="A pair of walking shoes, fitted at Millbrook Outdoor",
            prize_value=Decimal("120.00"),
            winners_count=1,
            alternates_count=2,
        ),
    )
    publish_post(by=editor, post=open_contest.post)
    return [open_contest, _drawn_contest(practice, editor, patients)]


def _drawn_contest(practice: Practice, editor: User, patients: list[User]) -> Contest:
    contest = create_contest(
        by=editor,
        practice=practice,
        text=PostText(
            title="Giveaway: a farmers' market basket",
            body="Tell us your favourite healthy snack to enter. Three baskets to win!",
            visibility="public",
        ),
        rules=ContestRules(
            sponsor=SPONSOR,
            min_age=18,
            region=REGION,
            opens_at=_local(practice, -1),
            closes_at=_local(practice, 1),
            draw_by=_local(practice, 2),
            time_zone=practice.time_zone,
            entry_type="answer",
            question="What is your favourite healthy snack?",
            prize="A basket from the Riverside farmers' market",
            prize_value=Decimal("60.00"),
            winners_count=3,
            alternates_count=2,
        ),
    )
    publish_post(by=editor, post=contest.post)
    snacks = ("Apple slices with peanut butter", "Carrot sticks and hummus", "Greek yogurt")
    for index, patient in enumerate(patients[:24]):
        enter_contest(
            user=patient,
            contest=contest,
            answer=snacks[index % len(snacks)],
            name_consent=index % 2 == 0,
        )
    # The contest ran last month: move its entry period, its entries and its post back.
    now = timezone.now()
    opened, closed = now - timedelta(days=30), now - timedelta(days=2)
    Contest.objects.filter(pk=contest.pk).update(
        opens_at=opened, closes_at=closed, draw_by=now + timedelta(days=1)
    )
    Entry.objects.filter(contest=contest).update(created_at=opened + timedelta(days=3))
    Post.objects.filter(pk=contest.post_id).update(published_at=opened)
    contest.refresh_from_db()
    return draw_contest(by=editor, contest=contest)
