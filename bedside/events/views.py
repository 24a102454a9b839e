"""Event pages for patients (the event, RSVP, .ics) and for staff (create, edit, attendees).

Views parse, call one service or query, and render. Studio pages answer 404 to anyone not
on the practice's staff, as the rest of the studio does.
"""

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.audit.services import record
from bedside.core.errors import Invalid, NotFound
from bedside.events.access import access_event, access_rsvp
from bedside.events.calendars import (
    entry_for,
    google_link,
    ics_bytes,
    map_link,
    outlook_link,
)
from bedside.events.forms import EventForm, initial_for
from bedside.events.models import Event, RsvpStatus
from bedside.events.queries import attendees, viewer_reply
from bedside.events.services import check_in, create_event, rsvp, update_event
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, require, role_in


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- patients ----------------------------------------------------------------------------


@require_GET
def event_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    event = access_event(request.user, practice, post_id)
    reply = viewer_reply(event, request.user)
    entry = entry_for(event, show_online_url=reply.is_going)
    ics_url = reverse("event_ics", kwargs={"slug": slug, "post_id": post_id})
    context = {
        "practice": practice,
        "event": event,
        "post": event.post,
        "reply": reply,
        "is_member": role_in(request.user, practice.pk) is not None,
        "can_follow": can(request.user, Action.FOLLOW_PRACTICE, practice),
        "can_rsvp": (
            event.post.is_published
            and not event.has_ended
            and can(request.user, Action.RSVP, event)
        ),
        "can_manage": can(request.user, Action.MANAGE_ATTENDEES, event),
        "starts_local": entry.starts_at,
        "ends_local": entry.ends_at,
        "same_day": entry.starts_at.date() == entry.ends_at.date(),
        "map_url": map_link(event) if not event.is_online else "",
        "google_url": google_link(entry),
        "outlook_url": outlook_link(entry),
        "ics_url": ics_url,
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_rsvp(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    event = access_event(request.user, practice, post_id)
    going = request.POST.get("going") == "yes"
    answer = rsvp(event=event, patient=_signed_in(request), going=going)
    if answer.status == RsvpStatus.GOING:
        messages.success(request, "You're going. See you there!")
    elif answer.status == RsvpStatus.WAITLISTED:
        messages.success(
            request, "The event is full: you are on the waitlist and get a seat if one frees up."
        )
    else:
        messages.success(request, "Thanks for letting us know you can't make it.")
    return redirect("event_detail", slug=slug, post_id=post_id)


@require_GET
def event_ics(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    event = access_event(request.user, practice, post_id)
    reply = viewer_reply(event, request.user)
    entry = entry_for(event, show_online_url=reply.is_going)
    response = HttpResponse(
        ics_bytes(entry, stamp=event.updated_at), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.post_id}.ics"'
    # What it holds depends on who asks (the online link is for people who are going).
    response["Cache-Control"] = "private, no-cache"
    return response


# --- studio ------------------------------------------------------------------------------


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


def _event_form_page(
    request: HttpRequest,
    practice: Practice,
    form: EventForm,
    event: Event | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"practice": practice, "form": form, "event": event}
    return render(request, "events/studio/event_form.html", context, status=status)


def _to_post_edit(request: HttpRequest, event: Event, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("studio_post_edit", slug=event.practice.slug, post_id=event.post_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_event_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.CREATE_POST, practice)
    if request.method != "POST":
        return _event_form_page(request, practice, EventForm(practice=practice))
    form = EventForm(request.POST, practice=practice)
    if form.is_valid():
        try:
            event = create_event(
                by=_signed_in(request), practice=practice, text=form.text(), details=form.details()
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            return _to_post_edit(request, event, "Event saved as a draft: publish or schedule it.")
    return _event_form_page(request, practice, form, status=422)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_event_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    event = access_event(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, event.post)
    if request.method != "POST":
        form = EventForm(initial=initial_for(event), practice=practice)
        return _event_form_page(request, practice, form, event)
    form = EventForm(request.POST, practice=practice)
    if form.is_valid():
        try:
            update_event(
                by=_signed_in(request), event=event, text=form.text(), details=form.details()
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            return _to_post_edit(request, event, "Event details saved.")
    return _event_form_page(request, practice, form, event, status=422)


def _attendee_event(request: HttpRequest, slug: str, post_id: int) -> Event:
    practice = _studio_practice(request, slug)
    event = access_event(request.user, practice, post_id)
    require(request.user, Action.MANAGE_ATTENDEES, event)
    return event


@login_required
@require_GET
def studio_event_attendees(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    event = _attendee_event(request, slug, post_id)
    rows = attendees(event)
    record(
        action="attendees.view",
        actor=request.user,
        practice=event.practice,
        target=event.post,
        detail={"rows": len(rows)},
    )
    context = {
        "practice": event.practice,
        "event": event,
        "post": event.post,
        "attendees": rows,
        "checked_in": sum(1 for row in rows if row.checked_in_at is not None),
        "can_edit": can(request.user, Action.EDIT_POST, event.post),
    }
    return render(request, "events/studio/attendees.html", context)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A spreadsheet must not run a display name as a formula (CSV injection)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@login_required
@require_GET
def studio_event_attendees_csv(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    event = _attendee_event(request, slug, post_id)
    zone = ZoneInfo(event.time_zone)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{event.practice.slug}-event-{event.post_id}-attendees.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(["Display name", "Status", "Waitlist position", "Answered at", "Checked in at"])

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = attendees(event)
    record(
        action="attendees.export",
        actor=request.user,
        practice=event.practice,
        target=event.post,
        detail={"rows": len(rows), "format": "csv"},
    )
    for row in rows:
        writer.writerow(
            [
                _cell(row.display_name),
                row.status_label,
                row.waitlist_position or "",
                when(row.responded_at),
                when(row.checked_in_at),
            ]
        )
    return response


@login_required
@require_POST
def studio_event_checkin(
    request: HttpRequest, slug: str, post_id: int, rsvp_id: int
) -> HttpResponse:
    event = _attendee_event(request, slug, post_id)
    answer = access_rsvp(event, rsvp_id)
    check_in(by=_signed_in(request), rsvp=answer)
    at = timezone.localtime(answer.checked_in_at, ZoneInfo(event.time_zone))
    messages.success(request, f"Checked in at {at:%H:%M}.")
    url = reverse("studio_event_attendees", kwargs={"slug": slug, "post_id": post_id})
    return redirect(f"{url}#attendee-{answer.pk}")
