from typing import Any

from django import forms

DEFAULT_PDS = "https://bsky.social"


class BlueskyForm(forms.Form):
    handle = forms.CharField(
        max_length=200,
        help_text="The account's handle, such as riverside.bsky.social.",
    )
    app_password = forms.CharField(
        max_length=200,
        label="App password",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Make one in Bluesky's settings under “App passwords”; never the account's "
        "own password. It is stored encrypted and only used to post for you.",
    )
    server_url = forms.CharField(
        max_length=300,
        label="Server (PDS)",
        initial=DEFAULT_PDS,
        help_text="Leave as it is unless the account lives on its own server.",
    )


class MastodonForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its field shares a name with the Bluesky form's on the same page: ids of their own,
        # or the label "Mastodon server" would name the Bluesky field.
        kwargs.setdefault("auto_id", "id_mastodon_%s")
        super().__init__(*args, **kwargs)

    server_url = forms.CharField(
        max_length=300,
        label="Mastodon server",
        help_text="The address of the server the account is on, such as mastodon.social.",
    )
