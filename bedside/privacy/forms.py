from django import forms

KEEP = "keep"
DELETE = "delete"


class DeleteAccountForm(forms.Form):
    """No choice is made for the person: they pick what happens to their posts."""

    posts = forms.ChoiceField(
        label="What happens to what I wrote",
        choices=[
            (KEEP, "Keep my comments and group posts, shown as “Former member”"),
            (DELETE, "Delete everything I wrote"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to what you wrote."},
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )

    @property
    def keeps_posts(self) -> bool:
        return bool(self.cleaned_data["posts"] == KEEP)
