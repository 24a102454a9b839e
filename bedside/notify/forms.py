"""Forms of the notify pages."""

from typing import Any

from django import forms

from bedside.notify.models import Mode, NotificationPreference
from bedside.notify.services import MUTABLE_KINDS
from bedside.posts.models import Kind


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Tell me about",
        choices=[(str(kind), Kind(kind).label) for kind in MUTABLE_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Untick the kinds of post you do not want to hear about.",
    )
    in_app = forms.BooleanField(label="In Bedside (the bell in the header)", required=False)
    email = forms.BooleanField(label="By email", required=False)
    push = forms.BooleanField(label="As a notification on this device (push)", required=False)
    mode = forms.ChoiceField(
        label="How often to email", choices=Mode.choices, widget=forms.RadioSelect
    )
    quiet_start = forms.TimeField(
        label="Quiet hours start",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="No email or push between these times; they wait until the end.",
    )
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    @classmethod
    def initial_from(cls, preference: NotificationPreference) -> dict[str, Any]:
        muted = set(preference.muted_kinds or ())
        return {
            "kinds": [str(kind) for kind in MUTABLE_KINDS if str(kind) not in muted],
            "in_app": preference.in_app,
            "email": preference.email and preference.email_opted_out_at is None,
            "push": preference.push,
            "mode": preference.mode,
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
        }

    def muted_kinds(self) -> list[str]:
        wanted = set(self.cleaned_data["kinds"])
        return [str(kind) for kind in MUTABLE_KINDS if str(kind) not in wanted]
