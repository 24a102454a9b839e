"""Events: a post of kind ``event`` with a time, a place or a link, seats and RSVPs.

``going_count`` and ``waitlist_count`` are counters on the event row, moved by the RSVP
service while it holds the row's lock; a check constraint makes overbooking impossible
even for code that forgets the lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from bedside.core.models import TimeStampedModel
from bedside.posts.models import Post
from bedside.practices.models import Location, Practice


class Event(TimeStampedModel):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="event")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="events")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, help_text="IANA name, e.g. America/New_York.")
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.CharField(max_length=300, blank=True, help_text="When not at a location.")
    online_url = models.URLField(
        max_length=500, blank=True, help_text="Shown only to people who are going."
    )
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    going_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["practice", "starts_at"], name="event_upcoming")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(going_count__lte=F("capacity")),
                name="event_never_over_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"Event {self.pk} ({self.post_id})"

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def place(self) -> str:
        """Where to go, in one line; empty for an online event."""
        if self.location is not None:
            return f"{self.location.name}, {self.location.one_line_address}"
        return self.address

    @property
    def seats_left(self) -> int | None:
        """Free seats, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.going_count)

    @property
    def has_free_seat(self) -> bool:
        return self.capacity is None or self.going_count < self.capacity

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    WAITLISTED = "waitlisted", "On the waitlist"
    NOT_GOING = "not_going", "Not going"


class Rsvp(models.Model):
    """One member's answer to one event. The waitlist is ordered by ``responded_at``."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(max_length=16, choices=RsvpStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(
        default=timezone.now, help_text="The latest answer; orders the waitlist."
    )
    promoted_at = models.DateTimeField(
        null=True, blank=True, help_text="When a freed seat moved this person off the waitlist."
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_event"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="going"),
                name="only_going_rsvps_check_in",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "responded_at", "id"], name="rsvp_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.status} for event {self.event_id}"
