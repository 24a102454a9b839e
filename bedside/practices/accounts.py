"""django-allauth adapter: whether open sign-up is allowed, and where people land."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # An invitation link opens sign-up even where open sign-up is off.
        if request.session.get("invitation_token"):
            return True
        return bool(settings.ACCOUNT_ALLOW_REGISTRATION)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        token = request.session.get("invitation_token")
        if token:
            return f"/join/{token}/"
        return str(super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self.get_login_redirect_url(request)
