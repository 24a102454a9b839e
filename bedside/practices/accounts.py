"""django-allauth adapter: whether open sign-up is allowed, and where people land.

A visitor who opens a join link before having an account is sent to sign up or sign in;
the join views leave a note in the session and this adapter brings them back to the join
form afterwards.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Session keys, not secrets.
INVITATION_TOKEN_KEY = "invitation_token"  # noqa: S105
NEXT_JOIN_KEY = "next_join"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # An invitation link opens sign-up even where open sign-up is off.
        if request.session.get(INVITATION_TOKEN_KEY):
            return True
        return bool(settings.ACCOUNT_ALLOW_REGISTRATION)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return pending_join_url(request) or str(super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return pending_join_url(request) or str(super().get_signup_redirect_url(request))


def pending_join_url(request: HttpRequest) -> str | None:
    """The join form the visitor was on before signing up or in, if any."""
    token = request.session.get(INVITATION_TOKEN_KEY)
    if isinstance(token, str) and token:
        return reverse("join", kwargs={"token": token})
    path = request.session.get(NEXT_JOIN_KEY)
    if (
        isinstance(path, str)
        and path.startswith("/")
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    ):
        return path
    return None
