"""An event in other people's calendars: the .ics file and "add to calendar" links.

What goes out depends on the viewer: the link to join an online event is only for people
who are going, in the file as on the page.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse

from bedside.core.sanitizer import plain_text
from bedside.events.models import Event

DESCRIPTION_LIMIT = 1500


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    starts_at: datetime  # in the event's time zone
    ends_at: datetime
    location: str
    url: str
    description: str


def event_url(event: Event) -> str:
    path = reverse("event_detail", kwargs={"slug": event.practice.slug, "post_id": event.post_id})
    return f"{settings.SITE_URL}{path}"


def entry_for(event: Event, *, show_online_url: bool) -> CalendarEntry:
    zone = ZoneInfo(event.time_zone)
    url = event_url(event)
    lines = [plain_text(event.post.body, limit=DESCRIPTION_LIMIT)]
    if event.is_online and show_online_url:
        lines.append(f"Join online: {event.online_url}")
    lines.append(f"Details: {url}")
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return CalendarEntry(
        uid=f"event-{event.pk}@{host}",
        title=event.post.title,
        starts_at=event.starts_at.astimezone(zone),
        ends_at=event.ends_at.astimezone(zone),
        location=event.place or ("Online" if event.is_online else ""),
        url=url,
        description="\n\n".join(line for line in lines if line),
    )


def ics_bytes(entry: CalendarEntry, *, stamp: datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Bedside//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = icalendar.Event()
    item.add("uid", entry.uid)
    item.add("dtstamp", stamp.astimezone(UTC))
    item.add("dtstart", entry.starts_at)
    item.add("dtend", entry.ends_at)
    item.add("summary", entry.title)
    item.add("location", entry.location)
    item.add("url", entry.url)
    item.add("description", entry.description)
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(entry: CalendarEntry) -> str:
    query = {
        "action": "TEMPLATE",
        "text": entry.title,
        "dates": f"{_utc_stamp(entry.starts_at)}/{_utc_stamp(entry.ends_at)}",
        "details": entry.description,
        "location": entry.location,
        "ctz": str(entry.starts_at.tzinfo),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(entry: CalendarEntry) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.title,
        "startdt": entry.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": entry.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": entry.description,
        "location": entry.location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def map_link(event: Event) -> str:
    """OpenStreetMap's search for the place (no tracking, no account)."""
    address = event.location.one_line_address if event.location is not None else event.address
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address})
