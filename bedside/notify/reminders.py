"""Event reminders and waitlist promotions: two sweeps the clock runs every minute.

Both are reconciling sweeps. They find who is owed a notice and has not had it — the
``Notification`` row with the notice's key is the proof of delivery — and tell them
through ``notify_users``, which is idempotent by key. So they may run twice, late, or on
two clocks at once, and each person hears of each thing once.

The events layer cannot call notify (it sits below it): the RSVP service only records
``promoted_at`` when a freed seat moves someone off the waitlist, and this sweep tells them.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.notify.models import Notification
from bedside.notify.services import notify_users
from bedside.posts.models import Status
from bedside.practices.models import User

REMINDER_KIND = "event_reminder"
PROMOTION_KIND = "rsvp_promoted"
# The reminder windows, nearest last: once an event is within a window, that window's
# reminder is due, and a missed earlier one is skipped (no "coming up" an hour before).
WINDOWS: tuple[tuple[str, timedelta], ...] = (
    ("24h", timedelta(hours=24)),
    ("1h", timedelta(hours=1)),
)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind every going RSVP 24 hours and 1 hour before their event. Returns how many
    people were newly reminded."""
    now = now or timezone.now()
    upcoming = Event.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + WINDOWS[0][1],
        post__status=Status.PUBLISHED,
    ).select_related("post", "practice", "location")
    return sum(_remind(event, now=now) for event in upcoming)


def _remind(event: Event, *, now: datetime) -> int:
    window = _due_window(event, now=now)
    key = f"event:{event.pk}:reminder:{window}"
    owed = User.objects.filter(
        Exists(Rsvp.objects.filter(event=event, user=OuterRef("pk"), status=RsvpStatus.GOING)),
        ~Exists(Notification.objects.filter(user=OuterRef("pk"), key=key)),
    )
    soon = window == WINDOWS[-1][0]
    return notify_users(
        users=owed,
        practice=event.practice,
        kind=REMINDER_KIND,
        title=f"{'Starting soon' if soon else 'Coming up'}: {event.post.title}",
        body=f"Starts {when(event)}. {_where(event)}",
        url=_url(event),
        key=key,
    )


def _due_window(event: Event, *, now: datetime) -> str:
    due = [name for name, before in WINDOWS if event.starts_at - before <= now]
    return due[-1]


def announce_promotions(*, now: datetime | None = None) -> int:
    """Tell each person a freed seat went to that they have it, once per promotion.
    Returns how many were told."""
    now = now or timezone.now()
    promoted = list(
        Rsvp.objects.filter(
            status=RsvpStatus.GOING,
            promoted_at__isnull=False,
            event__starts_at__gt=now,
            event__post__status=Status.PUBLISHED,
        ).select_related("user", "event__post", "event__practice", "event__location")
    )
    keys = {rsvp.pk: promotion_key(rsvp) for rsvp in promoted}
    told = set(
        Notification.objects.filter(
            user_id__in={rsvp.user_id for rsvp in promoted}, key__in=keys.values()
        ).values_list("user_id", "key")
    )
    return sum(
        _announce(rsvp, key=keys[rsvp.pk])
        for rsvp in promoted
        if (rsvp.user_id, keys[rsvp.pk]) not in told
    )


def promotion_key(rsvp: Rsvp) -> str:
    """One key per promotion: someone promoted, who cancels and is promoted again later,
    hears of their seat again."""
    assert rsvp.promoted_at is not None
    return f"rsvp:{rsvp.pk}:promoted:{int(rsvp.promoted_at.timestamp())}"


def _announce(rsvp: Rsvp, *, key: str) -> int:
    event = rsvp.event
    return notify_users(
        users=[rsvp.user],
        practice=event.practice,
        kind=PROMOTION_KIND,
        title=f"You have a seat: {event.post.title}",
        body=(
            f"A seat opened up and it is yours. Starts {when(event)}. "
            "If you cannot come after all, change your reply so the next person gets it."
        ),
        url=_url(event),
        key=key,
    )


def when(event: Event) -> str:
    """The start in the event's own time zone, e.g. "Tuesday, May 14 at 9:00 AM (EDT)"."""
    local = event.starts_at.astimezone(ZoneInfo(event.time_zone))
    hour = local.hour % 12 or 12
    return f"{local:%A, %B} {local.day} at {hour}:{local:%M %p} ({local:%Z})"


def _where(event: Event) -> str:
    if event.is_online:
        return "Online: the link is on the event page."
    return f"At {event.place}." if event.place else ""


def _url(event: Event) -> str:
    return reverse("event_detail", kwargs={"slug": event.practice.slug, "post_id": event.post_id})
