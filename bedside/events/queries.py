"""Reads for the event pages, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, Subquery

from bedside.events.models import Event, Rsvp, RsvpStatus
from bedside.practices.models import Membership
from bedside.practices.permissions import AnyUser


@dataclass(frozen=True)
class ViewerReply:
    """The viewer's RSVP, if any, and their place in the queue when waitlisted."""

    rsvp: Rsvp | None
    waitlist_position: int | None

    @property
    def status(self) -> str | None:
        return self.rsvp.status if self.rsvp is not None else None

    @property
    def is_going(self) -> bool:
        return self.status == RsvpStatus.GOING


def viewer_reply(event: Event, viewer: AnyUser) -> ViewerReply:
    """At most two queries: the viewer's RSVP, then their waitlist position."""
    if not viewer.is_authenticated:
        return ViewerReply(rsvp=None, waitlist_position=None)
    rsvp = Rsvp.objects.filter(event=event, user=viewer).first()
    if rsvp is None or rsvp.status != RsvpStatus.WAITLISTED:
        return ViewerReply(rsvp=rsvp, waitlist_position=None)
    ahead = Rsvp.objects.filter(
        Q(responded_at__lt=rsvp.responded_at) | Q(responded_at=rsvp.responded_at, pk__lt=rsvp.pk),
        event=event,
        status=RsvpStatus.WAITLISTED,
    ).count()
    return ViewerReply(rsvp=rsvp, waitlist_position=ahead + 1)


@dataclass(frozen=True)
class Attendee:
    rsvp_id: int
    display_name: str
    status: str
    status_label: str
    responded_at: datetime
    promoted_at: datetime | None
    checked_in_at: datetime | None
    waitlist_position: int | None


_ORDER = {RsvpStatus.GOING: 0, RsvpStatus.WAITLISTED: 1, RsvpStatus.NOT_GOING: 2}


def attendees(event: Event) -> list[Attendee]:
    """Everyone who answered, going first, then the waitlist in its order, then the rest.

    One query: display names come from each person's membership of the event's practice
    (the name they chose; real names and emails are not shown to staff here).
    """
    names = Membership.objects.filter(
        user_id=OuterRef("user_id"), practice_id=event.practice_id
    ).values("display_name")[:1]
    rows = (
        Rsvp.objects.filter(event=event)
        .annotate(display_name=Subquery(names))
        .order_by("responded_at", "id")
        .values_list("pk", "display_name", "status", "responded_at", "promoted_at", "checked_in_at")
    )
    result: list[Attendee] = []
    position = 0
    labels = dict(RsvpStatus.choices)
    for pk, name, status, responded_at, promoted_at, checked_in_at in rows:
        if status == RsvpStatus.WAITLISTED:
            position += 1
        result.append(
            Attendee(
                rsvp_id=pk,
                display_name=name or "Former member",
                status=status,
                status_label=labels[status],
                responded_at=responded_at,
                promoted_at=promoted_at,
                checked_in_at=checked_in_at,
                waitlist_position=position if status == RsvpStatus.WAITLISTED else None,
            )
        )
    result.sort(key=lambda a: _ORDER[RsvpStatus(a.status)])
    return result
