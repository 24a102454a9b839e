"""A new clinician signs in for the first time, is sent to set up two-factor sign-in, adds an
authenticator app from the secret on the page, and only then reaches the studio; a security
key could be added too, and the next sign-in asks for the app's code."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import Page, expect

from bedside.practices.models import Role
from tests.browser.conftest import PASSWORD
from tests.factories.practices import member


def code_for(secret: str) -> str:
    """What the clinician's phone shows for ``secret`` now (RFC 6238)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_a_new_clinician_sets_up_an_authenticator_app_before_opening_the_studio(
    page: Page, console, riverside
):
    clinician = member(riverside.practice, Role.CLINICIAN, display_name="Dr. Lee")
    EmailAddress.objects.create(user=clinician, email=clinician.email, verified=True, primary=True)
    studio = f"/p/{riverside.slug}/studio/"

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("needs two-factor sign-in")).to_be_visible()
    assert page.url.endswith("/accounts/2fa/")
    page.goto(studio)
    assert page.url.endswith("/accounts/2fa/"), "the studio waits for the second factor"

    page.get_by_role("link", name="Activate").click()
    page.get_by_placeholder("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(code_for(secret))
    page.get_by_role("button", name="Activate").click()

    assert Authenticator.objects.filter(user=clinician, type=Authenticator.Type.TOTP).exists()
    page.goto(studio)
    expect(page.get_by_role("heading", name=f"Posts of {riverside.practice.name}")).to_be_visible()
    # A security key is offered too; its page runs allauth's WebAuthn script under our CSP.
    page.goto("/accounts/2fa/webauthn/add/")
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("enter an authenticator code")).to_be_visible()
    console.assert_clean()
