"""The studio's contest form and the patient's entry form, parsed."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms

from bedside.core.errors import Invalid
from bedside.engagement.contests.models import Contest, EntryType, Frequency
from bedside.engagement.contests.services import (
    MAX_ALT,
    MAX_ANSWER,
    MAX_QUESTION,
    MAX_TEXT,
    ContestRules,
    PhotoUpload,
    PostText,
)
from bedside.posts.models import Visibility
from bedside.posts.services import MAX_TITLE
from bedside.practices.models import Practice

WHEN_HELP = "Date and time in the contest's time zone, e.g. 2026-05-14 18:30."


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, kept naive: the contest's own time zone gives it meaning."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": "Enter a date and time like 2026-05-14 18:30."}

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if parsed.tzinfo is not None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.replace(second=0, microsecond=0)


class ContestForm(forms.Form):
    title = forms.CharField(max_length=MAX_TITLE)
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.PUBLIC
    )
    body = forms.CharField(
        label="About the contest",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, *italic*, [a link](https://example.org), lists with -.",
    )
    sponsor = forms.CharField(max_length=MAX_TEXT, help_text="Who runs it and gives the prize.")
    prize = forms.CharField(max_length=MAX_TEXT, label="Prize")
    prize_value = forms.DecimalField(
        label="Prize value", min_value=Decimal(0), max_digits=9, decimal_places=2
    )
    currency = forms.CharField(max_length=3, initial="USD", help_text="e.g. USD.")
    min_age = forms.IntegerField(label="Minimum age", min_value=13, max_value=120, initial=18)
    region = forms.CharField(
        max_length=MAX_TEXT,
        label="Who may enter (region)",
        help_text="e.g. Residents of Oregon, USA.",
    )
    entry_type = forms.ChoiceField(
        label="How to enter", choices=EntryType.choices, widget=forms.RadioSelect
    )
    question = forms.CharField(
        max_length=MAX_QUESTION,
        required=False,
        label="Question to answer",
        help_text="Only for “Answer a question” contests.",
    )
    frequency = forms.ChoiceField(
        label="Entries", choices=Frequency.choices, widget=forms.RadioSelect, initial=Frequency.ONCE
    )
    opens_at = LocalDateTimeField(label="Entries open", help_text=WHEN_HELP)
    closes_at = LocalDateTimeField(label="Entries close", help_text=WHEN_HELP)
    draw_by = LocalDateTimeField(label="Winners drawn by", help_text=WHEN_HELP)
    time_zone = forms.ChoiceField(label="Time zone")
    winners_count = forms.IntegerField(label="Winners", min_value=1, max_value=100, initial=1)
    alternates_count = forms.IntegerField(
        label="Alternates",
        min_value=0,
        max_value=100,
        initial=2,
        help_text="Drawn in order, in case a winner does not claim in time.",
    )
    claim_days = forms.IntegerField(label="Days to claim", min_value=1, max_value=90, initial=14)
    staff_may_enter = forms.BooleanField(
        required=False, label="Staff may enter too", help_text="Usually not: leave unticked."
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = [(name, name.replace("_", " ")) for name in sorted(available_timezones())]
        zone.initial = practice.time_zone

    def text(self) -> PostText:
        data = self.cleaned_data
        return PostText(title=data["title"], body=data["body"], visibility=data["visibility"])

    def rules(self) -> ContestRules:
        data = self.cleaned_data
        return ContestRules(
            sponsor=data["sponsor"],
            min_age=data["min_age"],
            region=data["region"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            draw_by=data["draw_by"],
            time_zone=data["time_zone"],
            entry_type=data["entry_type"],
            question=data["question"],
            frequency=data["frequency"],
            prize=data["prize"],
            prize_value=data["prize_value"],
            currency=data["currency"],
            winners_count=data["winners_count"],
            alternates_count=data["alternates_count"],
            claim_days=data["claim_days"],
            staff_may_enter=data["staff_may_enter"],
        )

    def add_invalid(self, error: Invalid) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def initial_for(contest: Contest) -> dict[str, Any]:
    """The form's starting values for ``contest``, times on the contest's own clock."""
    zone = ZoneInfo(contest.time_zone)
    post = contest.post

    def local(value: datetime) -> datetime:
        return value.astimezone(zone).replace(tzinfo=None)

    return {
        "title": post.title,
        "visibility": post.visibility,
        "body": post.body,
        "sponsor": contest.sponsor,
        "prize": contest.prize,
        "prize_value": contest.prize_value,
        "currency": contest.currency,
        "min_age": contest.min_age,
        "region": contest.region,
        "entry_type": contest.entry_type,
        "question": contest.question,
        "frequency": contest.frequency,
        "opens_at": local(contest.opens_at),
        "closes_at": local(contest.closes_at),
        "draw_by": local(contest.draw_by),
        "time_zone": contest.time_zone,
        "winners_count": contest.winners_count,
        "alternates_count": contest.alternates_count,
        "claim_days": contest.claim_days,
        "staff_may_enter": contest.staff_may_enter,
    }


class EntryForm(forms.Form):
    """What a patient sends to enter; the fields shown depend on the contest's entry type."""

    answer = forms.CharField(
        required=False, max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(required=False, label="Your photo")
    photo_alt = forms.CharField(
        required=False,
        max_length=MAX_ALT,
        label="Describe your photo",
        help_text="For people who cannot see it, e.g. “My dog Rex asleep on the porch”.",
    )
    photo_consent = forms.BooleanField(
        required=False,
        label="I agree that the practice may publish my photo with this contest",
    )
    name_consent = forms.BooleanField(
        required=False,
        label="If I win, show my display name with the results",
        help_text="Otherwise only your anonymous entry number is shown.",
    )
    eligible = forms.BooleanField(
        label="I meet the eligibility rules",
        error_messages={"required": "Please confirm that you meet the eligibility rules."},
    )

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answer = self.fields["answer"]
        answer.label = contest.question or "Your answer"
        answer.widget.attrs["rows"] = 3
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"
        if contest.entry_type != EntryType.ANSWER:
            del self.fields["answer"]
        if contest.entry_type != EntryType.PHOTO:
            for name in ("photo", "photo_alt", "photo_consent"):
                del self.fields[name]

    def photo_upload(self) -> PhotoUpload | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return PhotoUpload(
            file=upload, size=upload.size, alt_text=self.cleaned_data.get("photo_alt", "")
        )

    def add_invalid(self, error: Invalid) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)
