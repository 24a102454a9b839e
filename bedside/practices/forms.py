"""Forms parse what people type; the services decide whether it is acceptable."""

from typing import Any

from django import forms
from django.forms import BaseFormSet

from bedside.core.errors import Invalid
from bedside.practices.models import STAFF_ROLES, Membership, OpeningHours, Role
from bedside.practices.services import (
    HoursSpan,
    LocationDetails,
    PracticeDetails,
    StaffDetails,
    TeamPlacement,
)


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=80,
        help_text="The name others in this practice will see — it need not be your real name.",
    )
    accepted_guidelines = forms.BooleanField(
        label="I have read and accept the community guidelines", required=False
    )


class PracticeProfileForm(forms.Form):
    name = forms.CharField(max_length=120)
    tagline = forms.CharField(max_length=160, required=False)
    specialty = forms.CharField(max_length=120, required=False)
    about = forms.CharField(widget=forms.Textarea, required=False, help_text="Markdown.")
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    booking_url = forms.URLField(
        label="Booking link",
        required=False,
        assume_scheme="https",
        help_text="Where patients book appointments.",
    )
    portal_url = forms.URLField(
        label="Patient portal link",
        required=False,
        assume_scheme="https",
        help_text="Where patients ask private questions about their care.",
    )
    welcome_message = forms.CharField(
        widget=forms.Textarea, required=False, help_text="Markdown, shown to new members."
    )
    guidelines = forms.CharField(
        label="Community guidelines",
        widget=forms.Textarea,
        required=False,
        help_text="Markdown; everyone accepts them when joining.",
    )
    is_open_signup = forms.BooleanField(
        label="Anyone may follow from the public page, without an invitation", required=False
    )
    logo = forms.FileField(required=False, help_text="JPEG, PNG, GIF or WebP, up to 10 MB.")
    logo_alt = forms.CharField(
        label="Logo description (alt text)",
        max_length=200,
        required=False,
        help_text="Required with a logo, e.g. “Riverside Clinic logo: a blue river”.",
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    target_grade = forms.IntegerField(
        label="Target reading grade",
        min_value=3,
        max_value=16,
        initial=8,
        help_text="The composer scores writing against it; patient material reads best at 6–8.",
    )

    def details(self) -> PracticeDetails:
        data = self.cleaned_data
        return PracticeDetails(
            **{field: data[field] for field in PracticeDetails.__dataclass_fields__}
        )


class LocationForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="e.g. Main office")
    street = forms.CharField(max_length=200)
    city = forms.CharField(max_length=100)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=2, initial="US", help_text="Two letters, e.g. US.")
    phone = forms.CharField(max_length=40, required=False)
    position = forms.IntegerField(min_value=0, max_value=32767, initial=0)

    def details(self) -> LocationDetails:
        data = self.cleaned_data
        return LocationDetails(
            **{field: data[field] for field in LocationDetails.__dataclass_fields__}
        )


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=OpeningHours.Weekday.choices, coerce=int)
    opens_at = forms.TimeField(label="Opens", widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label="Closes", widget=forms.TimeInput(attrs={"type": "time"}))


HoursFormSet = forms.formset_factory(HoursForm, extra=2, can_delete=True, max_num=50)


def hours_spans(formset: BaseFormSet[HoursForm]) -> list[HoursSpan]:
    """The spans a valid hours formset holds, skipping blank and deleted rows."""
    spans = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        spans.append(
            HoursSpan(
                weekday=data["weekday"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                index=index,
            )
        )
    return spans


class StaffProfileForm(forms.Form):
    name = forms.CharField(max_length=120)
    role_title = forms.CharField(label="Role", max_length=120, help_text="e.g. Family physician")
    credentials = forms.CharField(max_length=120, required=False, help_text="e.g. MD, FAAFP")
    specialties = forms.CharField(max_length=250, required=False)
    languages = forms.CharField(max_length=200, required=False, help_text="e.g. English, Spanish")
    bio = forms.CharField(widget=forms.Textarea, required=False, help_text="Markdown.")
    life_outside = forms.CharField(
        label="Life outside the office", widget=forms.Textarea, required=False
    )
    fun_fact = forms.CharField(max_length=250, required=False)
    photo = forms.FileField(required=False, help_text="JPEG, PNG, GIF or WebP, up to 10 MB.")
    photo_alt = forms.CharField(
        label="Photo description (alt text)",
        max_length=200,
        required=False,
        help_text="Required with a photo, e.g. “Dr. Lee smiling in the waiting room”.",
    )
    remove_photo = forms.BooleanField(label="Remove the current photo", required=False)

    def details(self) -> StaffDetails:
        data = self.cleaned_data
        return StaffDetails(**{field: data[field] for field in StaffDetails.__dataclass_fields__})


class TeamPlacementForm(forms.Form):
    """Only for those who manage the team."""

    membership = forms.ModelChoiceField(
        label="Linked staff account",
        queryset=Membership.objects.none(),
        required=False,
        help_text="The account that may edit this profile.",
    )
    position = forms.IntegerField(
        label="Order on the team page", min_value=0, max_value=32767, initial=0
    )
    is_visible = forms.BooleanField(label="Show on the team page", required=False, initial=True)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = staff  # type: ignore[attr-defined]

    def placement(self) -> TeamPlacement:
        data = self.cleaned_data
        return TeamPlacement(
            membership=data["membership"], position=data["position"], is_visible=data["is_visible"]
        )


class InvitationForm(forms.Form):
    label = forms.CharField(max_length=100, help_text="Where it is used, e.g. “Front desk”.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.PATIENT)
    email = forms.EmailField(
        required=False, help_text="Optional: we send the invitation to this address."
    )
    expires_at = forms.DateTimeField(
        label="Expires",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Optional. Leave empty for a link that does not expire.",
    )
    max_uses = forms.IntegerField(
        label="Maximum uses",
        min_value=1,
        required=False,
        help_text="Optional. Leave empty for unlimited uses.",
    )

    def __init__(self, *args: Any, may_invite_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_invite_staff:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Role.choices if value not in STAFF_ROLES
            ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


def show_error(form: forms.Form, error: Invalid) -> None:
    """Put a service's ``Invalid`` next to the field it names, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def show_formset_error(formset: BaseFormSet[Any], error: Invalid) -> bool:
    """Put an error named ``<prefix>-<row>-<field>`` next to that row's field."""
    prefix, _, rest = (error.field or "").partition("-")
    row, _, field = rest.partition("-")
    if prefix != formset.prefix or not row.isdigit() or int(row) >= len(formset.forms):
        return False
    form = formset.forms[int(row)]
    form.add_error(field if field in form.fields else None, error.message)
    return True
