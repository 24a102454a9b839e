"""Every change to events and RSVPs.

An event is a post of kind ``event`` plus its details; ``create_event`` writes both in one
transaction through ``posts.services``. RSVPs hold the event row's lock while they move a
seat, so two people taking the last seat at once queue up: one gets it, the other the
waitlist. A seat that frees up goes to the oldest waitlisted person in the same
transaction (``promoted_at`` records it; ``notify.reminders.announce_promotions`` tells them).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.posts.models import Kind
from bedside.posts.services import create_post, update_post
from bedside.practices.models import Location, Practice, User
from bedside.practices.permissions import Action, require

MAX_ADDRESS = 300
MAX_URL = 500
MAX_CAPACITY = 100_000
MAX_LENGTH = timedelta(days=14)


@dataclass(frozen=True)
class EventDetails:
    """When and where. Naive datetimes are wall-clock times in ``time_zone``."""

    starts_at: datetime
    ends_at: datetime
    time_zone: str
    location: Location | None = None
    address: str = ""
    online_url: str = ""
    capacity: int | None = None


@dataclass(frozen=True)
class PostText:
    """What the event's post says, as ``posts.services.create_post`` takes it."""

    topic: str
    title: str
    body: str
    visibility: str


def time_zone_names() -> list[str]:
    return sorted(available_timezones())


def _zone(name: str) -> ZoneInfo:
    if name not in available_timezones():
        raise Invalid("Choose a time zone from the list, e.g. America/New_York.", field="time_zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("Choose a time zone from the list.", field="time_zone") from None


def _aware(value: datetime, zone: ZoneInfo, field: str, what: str) -> datetime:
    """``value`` as an aware datetime; a wall-clock time the clocks skip is refused."""
    if timezone.is_aware(value):
        return value
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        raise Invalid(
            f"The {what} {value:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks "
            "change then. Choose another time.",
            field=field,
        )
    return aware


def _validated(
    details: EventDetails, practice: Practice, *, starts_at_may_be_past: datetime | None
) -> dict[str, object]:
    zone = _zone(details.time_zone)
    starts_at = _aware(details.starts_at, zone, "starts_at", "start")
    ends_at = _aware(details.ends_at, zone, "ends_at", "end")
    if starts_at <= timezone.now() and starts_at != starts_at_may_be_past:
        raise Invalid("The event must start in the future.", field="starts_at")
    if ends_at <= starts_at:
        raise Invalid("The event must end after it starts.", field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise Invalid("An event lasts at most 14 days.", field="ends_at")
    address = " ".join(details.address.split())
    online_url = details.online_url.strip()
    location = details.location
    if location is not None and location.practice_id != practice.pk:
        raise Invalid("Choose one of this practice's locations.", field="location")
    if len(address) > MAX_ADDRESS:
        raise Invalid(f"Keep the address under {MAX_ADDRESS} characters.", field="address")
    if location is not None and address:
        raise Invalid("Choose a location or type an address, not both.", field="address")
    if online_url:
        parts = urlsplit(online_url)
        if parts.scheme != "https" or not parts.netloc or len(online_url) > MAX_URL:
            raise Invalid("Give the full https:// link to join online.", field="online_url")
        if location is not None or address:
            raise Invalid(
                "An event is either in person or online: clear the place or the link.",
                field="online_url",
            )
    elif location is None and not address:
        raise Invalid(
            "Say where it happens: a location, an address, or a link to join online.",
            field="location",
        )
    capacity = details.capacity
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise Invalid(
            f"Capacity is a number of seats from 1 to {MAX_CAPACITY:,}, or empty for no limit.",
            field="capacity",
        )
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "time_zone": zone.key,
        "location": location,
        "address": address,
        "online_url": online_url,
        "capacity": capacity,
    }


def create_event(*, by: User, practice: Practice, text: PostText, details: EventDetails) -> Event:
    """A draft event post with its details; publishing is the post's business."""
    fields = _validated(details, practice, starts_at_may_be_past=None)
    require(by, Action.CREATE_POST, practice)
    with transaction.atomic():
        post = create_post(
            by=by,
            practice=practice,
            kind=Kind.EVENT,
            topic=text.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        event = Event.objects.create(post=post, practice=practice, **fields)
    return event


def update_event(*, by: User, event: Event, text: PostText, details: EventDetails) -> Event:
    """Change the event and its post. More seats promote the waitlist; fewer seats than
    people already going is refused (nobody loses a seat they were given)."""
    fields = _validated(details, event.practice, starts_at_may_be_past=event.starts_at)
    require(by, Action.EDIT_POST, event.post)
    with transaction.atomic():
        update_post(
            by=by,
            post=event.post,
            kind=Kind.EVENT,
            topic=text.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        locked = Event.objects.select_for_update().get(pk=event.pk)
        capacity = fields["capacity"]
        if isinstance(capacity, int) and capacity < locked.going_count:
            raise Invalid(
                f"{locked.going_count} people are already going: the capacity cannot be "
                "lower than that.",
                field="capacity",
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        _promote_waitlisted(locked)
        locked.save()
    _copy_state(locked, event)
    return event


# --- RSVPs -------------------------------------------------------------------------------


def rsvp(*, event: Event, patient: User, going: bool) -> Rsvp:
    """``patient`` answers going (a seat, else the waitlist) or not going (which frees
    their seat for the oldest waitlisted person). Answering the same twice changes nothing."""
    require(patient, Action.RSVP, event)
    post = event.post
    if not post.is_published:
        raise Conflict("This event is not open for replies yet.")
    if event.has_ended:
        raise Conflict("This event is over.")
    now = timezone.now()
    with transaction.atomic():
        # The lock serialises every seat change of this event.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        answer = Rsvp.objects.filter(event=locked, user=patient).first()
        previous = answer.status if answer is not None else None
        if going and previous in {RsvpStatus.GOING, RsvpStatus.WAITLISTED}:
            assert answer is not None
            return answer
        if not going and previous == RsvpStatus.NOT_GOING:
            assert answer is not None
            return answer
        if answer is not None and answer.checked_in_at is not None:
            raise Conflict("You are checked in already: ask at the front desk.")
        _leave(locked, previous)
        if going:
            status = RsvpStatus.GOING if locked.has_free_seat else RsvpStatus.WAITLISTED
        else:
            status = RsvpStatus.NOT_GOING
        _join(locked, status)
        if answer is None:
            answer = Rsvp.objects.create(
                event=locked, user=patient, status=status, created_at=now, responded_at=now
            )
        else:
            answer.status = status
            answer.responded_at = now
            answer.promoted_at = None
            answer.save(update_fields=["status", "responded_at", "promoted_at"])
        if previous == RsvpStatus.GOING:
            _promote_waitlisted(locked)
        locked.save(update_fields=["going_count", "waitlist_count", "updated_at"])
    _copy_state(locked, event)
    return answer


def _leave(event: Event, status: str | None) -> None:
    if status == RsvpStatus.GOING:
        event.going_count -= 1
    elif status == RsvpStatus.WAITLISTED:
        event.waitlist_count -= 1


def _join(event: Event, status: str) -> None:
    if status == RsvpStatus.GOING:
        event.going_count += 1
    elif status == RsvpStatus.WAITLISTED:
        event.waitlist_count += 1


def _promote_waitlisted(event: Event) -> list[int]:
    """Seat the oldest waitlisted people while there are free seats (event row locked)."""
    if event.waitlist_count == 0 or not event.has_free_seat:
        return []
    waiting = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).order_by(
        "responded_at", "id"
    )
    if event.seats_left is not None:
        waiting = waiting[: event.seats_left]
    promoted = list(waiting.values_list("pk", flat=True))
    if promoted:
        Rsvp.objects.filter(pk__in=promoted).update(
            status=RsvpStatus.GOING, promoted_at=timezone.now()
        )
        event.going_count += len(promoted)
        event.waitlist_count -= len(promoted)
    return promoted


def _copy_state(source: Event, target: Event) -> None:
    if source is target:
        return
    for field in Event._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# --- at the door -------------------------------------------------------------------------


def check_in(*, by: User, rsvp: Rsvp) -> Rsvp:
    """Mark a going attendee as arrived; checking in twice keeps the first time."""
    require(by, Action.MANAGE_ATTENDEES, rsvp.event)
    if rsvp.status != RsvpStatus.GOING:
        raise Conflict("Only people with a seat can be checked in.")
    if rsvp.checked_in_at is not None:
        return rsvp
    now = timezone.now()
    with transaction.atomic():
        updated = Rsvp.objects.filter(
            pk=rsvp.pk, status=RsvpStatus.GOING, checked_in_at__isnull=True
        ).update(checked_in_at=now)
        if updated:
            record(
                action="attendee.check_in",
                actor=by,
                practice=rsvp.event.practice_id,
                target=rsvp,
                target_label=f"RSVP #{rsvp.pk}",
                detail={"event": rsvp.event.post_id},
            )
    if updated:
        rsvp.checked_in_at = now
    else:
        rsvp.refresh_from_db(fields=["status", "checked_in_at"])
        if rsvp.status != RsvpStatus.GOING:
            raise Conflict("Only people with a seat can be checked in.")
    return rsvp
