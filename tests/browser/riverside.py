"""The practice the journeys visit, built through the services as staff would build it."""

from dataclasses import dataclass
from datetime import time

from bedside.posts.models import Kind, Post, Topic, Visibility
from bedside.posts.services import create_post, publish_post
from bedside.practices.models import OpeningHours, Practice, Role, StaffProfile, User
from bedside.practices.services import (
    HoursSpan,
    LocationDetails,
    PracticeDetails,
    StaffDetails,
    save_location,
    save_staff_profile,
    update_practice_profile,
)
from tests.factories import PracticeFactory, member


@dataclass(frozen=True)
class Riverside:
    practice: Practice
    owner: User
    editor: User
    doctor: StaffProfile
    pinned: Post
    news: Post
    patients_only: Post

    @property
    def slug(self) -> str:
        return self.practice.slug


def _published(by: User, practice: Practice, title: str, body: str, **options: object) -> Post:
    post = create_post(
        by=by,
        practice=practice,
        kind=options.pop("kind", Kind.ANNOUNCEMENT),
        topic=options.pop("topic", Topic.NON_MEDICAL),
        title=title,
        body=body,
        visibility=options.pop("visibility", Visibility.PUBLIC),
        **options,
    )
    return publish_post(by=by, post=post)


def build_riverside() -> Riverside:
    practice = PracticeFactory(slug="riverside", name="Riverside Family Practice")
    owner = member(practice, Role.OWNER, display_name="Riverside front desk")
    editor = member(practice, Role.EDITOR, display_name="Riverside news desk")
    update_practice_profile(
        by=owner,
        practice=practice,
        details=PracticeDetails(
            name="Riverside Family Practice",
            specialty="Family medicine",
            tagline="Care for every age, by the river since 1998.",
            about="We care for **families** across the valley, from newborns to grandparents.",
            phone="(555) 010-2000",
            booking_url="https://booking.example.org/riverside",
            welcome_message="Welcome to our community! We are glad you are here.",
            guidelines="Be kind. Share no one's private health details.",
        ),
    )
    weekdays = [OpeningHours.Weekday.MONDAY, OpeningHours.Weekday.TUESDAY]
    save_location(
        by=owner,
        practice=practice,
        details=LocationDetails(
            name="Main office", street="12 River Road", city="Springfield", region="IL"
        ),
        hours=[HoursSpan(weekday=day, opens_at=time(8), closes_at=time(17)) for day in weekdays],
    )
    doctor = save_staff_profile(
        by=owner,
        practice=practice,
        details=StaffDetails(
            name="Amelia Hart",
            role_title="Family physician",
            credentials="MD",
            languages="English, Spanish",
            bio="Dr. Hart has looked after families in the valley for twenty years.",
        ),
    )
    pinned = _published(
        editor, practice, "Flu shots are in", "Walk in any weekday morning.", is_pinned=True
    )
    news = _published(editor, practice, "Saturday mornings are back", "Open *9 to 12* again.")
    patients_only = _published(
        editor,
        practice,
        "Your new patient portal login",
        "Patients: your portal moved.",
        visibility=Visibility.PATIENTS,
    )
    return Riverside(practice, owner, editor, doctor, pinned, news, patients_only)
