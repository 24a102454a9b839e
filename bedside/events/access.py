"""Loaders for events and RSVPs: 404 for missing, foreign and invisible rows alike."""

from bedside.core.errors import NotFound
from bedside.events.models import Event, Rsvp
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, AnyUser, can


def access_event(viewer: AnyUser, practice: Practice, post_id: int) -> Event:
    """The event whose post is ``post_id`` in ``practice``, if ``viewer`` may see the post."""
    try:
        event = Event.objects.select_related(
            "post__practice", "post__author", "practice", "location"
        ).get(post_id=post_id, practice=practice, post__practice=practice)
    except Event.DoesNotExist:
        raise NotFound("No such event.") from None
    if not can(viewer, Action.VIEW_POST, event.post):
        raise NotFound("No such event.")
    return event


def access_rsvp(event: Event, rsvp_id: int) -> Rsvp:
    """An RSVP by id, only within ``event``."""
    try:
        return Rsvp.objects.select_related("event__practice", "user").get(pk=rsvp_id, event=event)
    except Rsvp.DoesNotExist:
        raise NotFound("No such reply.") from None
