from typing import Any

from django import forms

from bedside.compliance.documents import max_document_bytes
from bedside.compliance.models import Cover
from bedside.compliance.services import DocumentUpload


class DateInput(forms.DateInput):
    input_type = "date"


class AuthorizationForm(forms.Form):
    subject_name = forms.CharField(
        label="Patient's name, as on the signed form",
        max_length=200,
        help_text="Seen only by staff who manage authorizations; never shown on a public page.",
    )
    covers = forms.MultipleChoiceField(
        label="What the patient agreed to",
        choices=Cover.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    signed_on = forms.DateField(label="Signed on", widget=DateInput)
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=DateInput,
        help_text="Leave empty: until revoked.",
    )
    document = forms.FileField(
        label="The signed form",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        megabytes = max_document_bytes() // (1024 * 1024)
        self.fields[
            "document"
        ].help_text = f"PDF, JPEG or PNG, up to {megabytes} MB. Kept privately."

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        upload = data["document"]
        return {
            "subject_name": data["subject_name"],
            "covers": data["covers"],
            "signed_on": data["signed_on"],
            "expires_on": data.get("expires_on"),
            "document": DocumentUpload(file=upload, size=upload.size),
        }

    def add_invalid(self, field: str | None, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept in the audit log)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
