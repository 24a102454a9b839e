"""Two announcements at Riverside scheduled for the coming days, through the studio's services.

They show on the content calendar and, in a running demo, the worker (or the clock's sweep)
publishes them when their time comes. Times are the practice's wall-clock times, a few days
after whenever the demo is seeded.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bedside.demo import riverside
from bedside.posts.models import AnnouncementType, Kind, Post
from bedside.posts.services import create_post
from bedside.practices.models import Practice, User
from bedside.studio.services import schedule


@dataclass(frozen=True)
class ScheduledAnnouncement:
    title: str
    announcement_type: str
    topic: str
    body: str
    days_ahead: int
    at: time


ANNOUNCEMENTS = (
    ScheduledAnnouncement(
        title="Riverside is now a certified Baby-Friendly practice",
        announcement_type=AnnouncementType.AWARD,
        topic="non_medical",
        body="""\
After a year of training, every one of our nurses and physicians is certified to support
breastfeeding families. Thank you to the parents who gave us their feedback along the way.""",
        days_ahead=2,
        at=time(9, 0),
    ),
    ScheduledAnnouncement(
        title="New: same-day telehealth visits",
        announcement_type=AnnouncementType.NEW_SERVICE,
        topic="medical",
        body="""\
From next week you can book a **same-day video visit** for colds, rashes, prescription
refills and follow-ups. Book from our website or call the front desk; your insurance
covers it like an office visit.""",
        days_ahead=5,
        at=time(8, 30),
    ),
)


def add_scheduled_announcements() -> list[Post]:
    """Write and schedule the announcements as Riverside's editor; the posts scheduled."""
    practice = Practice.objects.get(slug=riverside.SLUG)
    editor_email = next(x.email for x in riverside.LOGINS if x.role == "editor")
    editor = User.objects.get(email=editor_email)
    zone = ZoneInfo(practice.time_zone)
    today = timezone.localdate(timezone=zone)
    posts = []
    for item in ANNOUNCEMENTS:
        post = create_post(
            by=editor,
            practice=practice,
            kind=Kind.ANNOUNCEMENT,
            announcement_type=item.announcement_type,
            topic=item.topic,
            title=item.title,
            body=item.body,
            visibility="public",
        )
        day = today + timedelta(days=item.days_ahead)
        posts.append(schedule(by=editor, post=post, at=datetime.combine(day, item.at, zone)))
    return posts
