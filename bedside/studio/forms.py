"""The studio's forms: the composer with its schedule field, and the calendar's place."""

from typing import Any

from django import forms

from bedside.posts.forms import PostForm


class ComposerForm(PostForm):
    """A post's fields and, for the Schedule button, when to publish it."""

    scheduled_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Give a date and time such as 2030-05-01 09:00."},
    )

    def __init__(self, *args: Any, time_zone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "scheduled_at"
        ].help_text = (
            f"In the practice's time zone ({time_zone_name}). Used by the Schedule button."
        )
