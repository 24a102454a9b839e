"""The practice's public profile, its locations and their opening hours."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from bedside.audit.services import record
from bedside.core.errors import Invalid, NotFound
from bedside.core.images import clean_image
from bedside.core.sanitizer import render_markdown
from bedside.practices.models import Location, OpeningHours, Practice, User
from bedside.practices.permissions import Action, require

# Patient material should read at grade 6-8; the bounds match the database constraint.
TARGET_GRADE_MIN = 3
TARGET_GRADE_MAX = 16


@dataclass(frozen=True)
class PracticeDetails:
    name: str
    tagline: str = ""
    specialty: str = ""
    about: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    booking_url: str = ""
    portal_url: str = ""
    welcome_message: str = ""
    guidelines: str = ""
    is_open_signup: bool = True
    logo_alt: str = ""
    target_grade: int | None = None  # None leaves the practice's target as it is


def update_practice_profile(
    *,
    by: User,
    practice: Practice,
    details: PracticeDetails,
    logo: "UploadedFile[bytes] | None" = None,
    remove_logo: bool = False,
) -> Practice:
    """Save the practice's public profile; a logo needs alt text describing it."""
    name = details.name.strip()
    if not name:
        raise Invalid("The practice needs a name.", field="name")
    will_have_logo = logo is not None or (bool(practice.logo) and not remove_logo)
    logo_alt = details.logo_alt.strip()
    if will_have_logo and not logo_alt:
        raise Invalid("Please describe the logo for people who cannot see it.", field="logo_alt")
    grade = practice.target_grade if details.target_grade is None else details.target_grade
    if not TARGET_GRADE_MIN <= grade <= TARGET_GRADE_MAX:
        raise Invalid(
            f"Choose a reading grade from {TARGET_GRADE_MIN} to {TARGET_GRADE_MAX}.",
            field="target_grade",
        )
    cleaned = clean_image(logo, size=logo.size or 0, field="logo") if logo else None
    require(by, Action.EDIT_PRACTICE, practice)
    for field in ("tagline", "specialty", "phone", "email", "website", "booking_url"):
        setattr(practice, field, getattr(details, field).strip())
    practice.portal_url = details.portal_url.strip()
    practice.name = name
    practice.about = details.about
    practice.about_html = render_markdown(details.about)
    practice.welcome_message = details.welcome_message
    practice.welcome_html = render_markdown(details.welcome_message)
    practice.guidelines = details.guidelines
    practice.guidelines_html = render_markdown(details.guidelines)
    practice.is_open_signup = details.is_open_signup
    practice.target_grade = grade
    practice.logo_alt = logo_alt if will_have_logo else ""
    with transaction.atomic():
        if cleaned is not None:
            practice.logo.save(cleaned.file.name or "logo", cleaned.file, save=False)
        elif remove_logo:
            practice.logo.delete(save=False)
        practice.save()
        record(
            action="practice.settings",
            actor=by,
            practice=practice,
            target=practice,
            detail={
                "is_open_signup": practice.is_open_signup,
                "target_grade": practice.target_grade,
                "logo": "new" if cleaned is not None else "removed" if remove_logo else "kept",
            },
        )
    return practice


# --- locations and opening hours -------------------------------------------------------


@dataclass(frozen=True)
class LocationDetails:
    name: str
    street: str
    city: str
    region: str = ""
    postal_code: str = ""
    country: str = "US"
    phone: str = ""
    position: int = 0


@dataclass(frozen=True)
class HoursSpan:
    """One opening span; ``index`` is its row in the form, to show errors next to it."""

    weekday: int
    opens_at: time
    closes_at: time
    index: int = 0


def save_location(
    *,
    by: User,
    practice: Practice,
    details: LocationDetails,
    hours: Sequence[HoursSpan],
    location: Location | None = None,
) -> Location:
    """Create or update a location and replace its opening hours with ``hours``."""
    cleaned = _clean_location(details)
    _validate_hours(hours)
    if location is not None and location.practice_id != practice.pk:
        raise NotFound("No such location.")
    require(by, Action.EDIT_PRACTICE, practice)
    is_new = location is None
    location = location or Location(practice=practice)
    for field, value in cleaned.__dict__.items():
        setattr(location, field, value)
    with transaction.atomic():
        location.save()
        record(
            action="location.create" if is_new else "location.update",
            actor=by,
            practice=practice,
            target=location,
            detail={"opening_hours": len(hours)},
        )
        location.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(
                location=location, weekday=s.weekday, opens_at=s.opens_at, closes_at=s.closes_at
            )
            for s in sorted(hours, key=lambda s: (s.weekday, s.opens_at))
        )
    return location


def _clean_location(details: LocationDetails) -> LocationDetails:
    values = {
        field: value.strip() if isinstance(value, str) else value
        for field, value in details.__dict__.items()
    }
    for field, what in (("name", "a name"), ("street", "a street address"), ("city", "a city")):
        if not values[field]:
            raise Invalid(f"Please give the location {what}.", field=field)
    country = str(values["country"]).upper()
    if len(country) != 2 or not country.isalpha():
        raise Invalid("Use the two-letter country code, e.g. US.", field="country")
    values["country"] = country
    return LocationDetails(**values)  # type: ignore[arg-type]


def _validate_hours(hours: Sequence[HoursSpan]) -> None:
    """Each span closes after it opens, and spans of one weekday do not overlap."""
    for span in hours:
        if span.weekday not in OpeningHours.Weekday.values:
            raise Invalid("Please choose a day of the week.", field=f"hours-{span.index}-weekday")
        if span.closes_at <= span.opens_at:
            raise Invalid(
                "The closing time must be after the opening time.",
                field=f"hours-{span.index}-closes_at",
            )
    ordered = sorted(hours, key=lambda s: (s.weekday, s.opens_at))
    for earlier, later in pairwise(ordered):
        if earlier.weekday == later.weekday and later.opens_at < earlier.closes_at:
            day = OpeningHours.Weekday(later.weekday).label
            raise Invalid(
                f"This overlaps another opening time on {day}.",
                field=f"hours-{later.index}-opens_at",
            )


def delete_location(*, by: User, location: Location) -> None:
    require(by, Action.EDIT_PRACTICE, location.practice)
    with transaction.atomic():
        record(
            action="location.delete",
            actor=by,
            practice=location.practice_id,
            target=location,
        )
        location.delete()
