"""The studio's event form: the post's words and the event's details, parsed."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from bedside.core.errors import Invalid
from bedside.events.models import Event
from bedside.events.services import MAX_ADDRESS, MAX_URL, EventDetails, PostText, time_zone_names
from bedside.posts.models import Topic, Visibility
from bedside.posts.services import MAX_TITLE
from bedside.practices.models import Location, Practice

WHEN_HELP = "Date and time in the event's time zone, e.g. 2026-05-14 18:30."


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, kept naive: the event's own time zone gives it meaning
    (Django's DateTimeField would read it in the server's zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {
        "invalid": "Enter a date and time like 2026-05-14 18:30.",
    }

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip().replace(" ", "T", 1)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if parsed.tzinfo is not None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.replace(second=0, microsecond=0)


class EventForm(forms.Form):
    title = forms.CharField(max_length=MAX_TITLE)
    topic = forms.ChoiceField(
        choices=Topic.choices,
        widget=forms.RadioSelect,
        initial=Topic.NON_MEDICAL,
        error_messages={"required": "Say whether this event is medical or non-medical."},
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.PUBLIC
    )
    body = forms.CharField(
        label="About the event",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, [a link](https://example.org), lists with -.",
    )
    starts_at = LocalDateTimeField(
        label="Starts",
        help_text=WHEN_HELP,
        error_messages={"required": "Say when the event starts."},
    )
    ends_at = LocalDateTimeField(
        label="Ends", help_text=WHEN_HELP, error_messages={"required": "Say when it ends."}
    )
    time_zone = forms.ChoiceField(label="Time zone")
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        empty_label="None of our locations",
        label="At one of our locations",
    )
    address = forms.CharField(
        max_length=MAX_ADDRESS,
        required=False,
        label="Or at this address",
        help_text="For an event in person somewhere else.",
    )
    online_url = forms.URLField(
        max_length=MAX_URL,
        required=False,
        assume_scheme="https",
        label="Or online, at this link",
        help_text="The link to join (https://…); only people who are going see it.",
    )
    capacity = forms.IntegerField(
        required=False,
        min_value=1,
        label="Seats",
        help_text="Leave empty for no limit. When it is full, people join a waitlist.",
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = Location.objects.filter(practice=practice)
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = [(name, name.replace("_", " ")) for name in time_zone_names()]
        zone.initial = practice.time_zone

    def text(self) -> PostText:
        data = self.cleaned_data
        return PostText(
            topic=data["topic"], title=data["title"], body=data["body"],
            visibility=data["visibility"],
        )  # fmt: skip

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            location=data["location"],
            address=data["address"],
            online_url=data["online_url"],
            capacity=data["capacity"],
        )

    def add_invalid(self, error: Invalid) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def initial_for(event: Event) -> dict[str, Any]:
    """The form's starting values for ``event``, times on the event's own clock."""
    zone = ZoneInfo(event.time_zone)
    post = event.post
    return {
        "title": post.title,
        "topic": post.topic,
        "visibility": post.visibility,
        "body": post.body,
        "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
        "time_zone": event.time_zone,
        "location": event.location_id,
        "address": event.address,
        "online_url": event.online_url,
        "capacity": event.capacity,
    }
