"""Two-factor sign-in for staff: everyone who can see patients' data proves it twice.

allauth asks for the second step at sign-in of anyone who has an authenticator (an
authenticator app, TOTP; or a security key or passkey, WebAuthn). What allauth leaves to
us is *requiring* one: ``StaffTwoFactor`` sends a signed-in user who holds a staff role in
any practice (or a Django admin account) and has none yet to the two-factor page, and
lets them reach only their account pages and static files until they have set one up.
``TwoFactorAdapter`` then keeps them from removing their last one.

``BEDSIDE_STAFF_MFA_REQUIRED`` turns the requirement off (the unit tests do, because they
sign staff in with ``force_login``; ``tests/security/test_staff_mfa.py`` and the browser
journeys keep it on).
"""

from collections.abc import Callable

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from bedside.practices.models import STAFF_ROLES, User
from bedside.practices.permissions import AnyUser, roles_by_practice

# Recovery codes only back up a real authenticator; they never count as one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
SET_UP_FIRST = (
    "Your account can open patients' data, so it needs two-factor sign-in. "
    "Set up an authenticator app or a security key to continue."
)


def needs_second_factor(user: AnyUser) -> bool:
    """Whether ``user`` must have two-factor sign-in: staff of a practice, or site admins."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(role in STAFF_ROLES for role in roles_by_practice(user).values())


def has_second_factor(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists())


class StaffTwoFactor:
    """Sends staff without an authenticator to set one up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.BEDSIDE_STAFF_MFA_REQUIRED
            and not _always_open(request.path)
            and needs_second_factor(request.user)
            and not has_second_factor(request.user)  # type: ignore[arg-type]
        ):
            return _to_setup(request)
        return self.get_response(request)


def _always_open(path: str) -> bool:
    """allauth's own pages (sign out, email, password, two-factor) and static files."""
    account_pages = reverse("account_login").removesuffix("login/")
    return path.startswith((account_pages, settings.STATIC_URL)) or path == "/favicon.ico"


def _to_setup(request: HttpRequest) -> HttpResponse:
    setup = reverse("mfa_index")
    if request.headers.get("HX-Request") == "true":
        # htmx would swap the setup page into a fragment: make the browser go there instead.
        return HttpResponse(status=204, headers={"HX-Redirect": setup})
    messages.warning(request, SET_UP_FIRST)
    return HttpResponseRedirect(setup)


class TwoFactorAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff may replace an authenticator, never remove their last one."""
        user = authenticator.user
        if not settings.BEDSIDE_STAFF_MFA_REQUIRED or not needs_second_factor(user):
            return True
        others = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return authenticator.type not in SECOND_FACTORS or others.exists()
