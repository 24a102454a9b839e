"""Staff sign in with two factors: without an authenticator they can only set one up.

The test settings turn the requirement off for the rest of the suite (it signs staff in
with ``force_login``); here it is on, as in production.
"""

import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
)
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings as django_settings
from django.urls import reverse

from bedside import settings as bedside_settings
from bedside.practices.models import STAFF_ROLES, Role
from tests.factories import PracticeFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def staff_mfa_required(settings):
    settings.BEDSIDE_STAFF_MFA_REQUIRED = True


def just_reauthenticated(client, user) -> None:
    """What allauth's password confirmation leaves in the session: two-factor changes
    need a recent one, and ``force_login`` gives none."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_production_requires_two_factor_for_staff_by_default():
    assert bedside_settings.BEDSIDE_STAFF_MFA_REQUIRED is True
    assert "totp" in bedside_settings.MFA_SUPPORTED_TYPES
    assert "webauthn" in bedside_settings.MFA_SUPPORTED_TYPES


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, role):
    practice = PracticeFactory()
    client.force_login(member(practice, role))

    response = client.get(reverse("studio_posts", kwargs={"slug": practice.slug}))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_every_page_but_the_account_pages_waits_for_the_setup(client):
    practice = PracticeFactory()
    client.force_login(member(practice, Role.EDITOR))

    assert client.get(reverse("home")).status_code == 302
    assert client.get(practice.get_absolute_url()).status_code == 302
    assert client.post(reverse("home")).status_code == 302
    for name in ("mfa_index", "account_reauthenticate", "account_email", "account_change_password"):
        assert client.get(reverse(name)).status_code == 200, name


def test_staff_set_up_an_authenticator_app_and_go_on_to_the_studio(client):
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    client.force_login(editor)
    just_reauthenticated(client, editor)
    studio = reverse("studio_posts", kwargs={"slug": practice.slug})
    assert client.get(studio).status_code == 302

    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    assert client.get(studio).status_code == 200


def test_the_setup_page_says_why(client):
    practice = PracticeFactory()
    client.force_login(member(practice, Role.CLINICIAN))

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert "needs two-factor sign-in" in response.content.decode()


def test_an_htmx_request_is_sent_to_the_setup_page_as_a_whole(client):
    practice = PracticeFactory()
    client.force_login(member(practice, Role.MODERATOR))

    response = client.get(reverse("home"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_staff_may_still_sign_out(client):
    practice = PracticeFactory()
    client.force_login(member(practice, Role.OWNER))

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_patients_and_visitors_are_never_asked(client):
    practice = PracticeFactory()
    assert client.get(practice.get_absolute_url()).status_code == 200
    client.force_login(member(practice, Role.PATIENT))

    assert client.get(reverse("home")).status_code == 200


def test_site_admins_need_it_too(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_with_an_authenticator_app_work_as_usual(client):
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)

    response = client.get(reverse("studio_posts", kwargs={"slug": practice.slug}))

    assert response.status_code == 200


def test_staff_with_a_security_key_work_as_usual(client):
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.WEBAUTHN, data={})
    client.force_login(editor)

    assert client.get(reverse("studio_posts", kwargs={"slug": practice.slug})).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client):
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.RECOVERY_CODES, data={})
    client.force_login(editor)

    assert client.get(reverse("home")).status_code == 302


def test_the_requirement_can_be_turned_off(client, settings):
    settings.BEDSIDE_STAFF_MFA_REQUIRED = False
    practice = PracticeFactory()
    client.force_login(member(practice, Role.OWNER))

    assert client.get(reverse("home")).status_code == 200


def test_signing_in_asks_staff_for_the_code_and_lets_them_in_with_it(client):
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)

    response = client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert int(client.session["_auth_user_id"]) == editor.pk
    assert client.get(reverse("studio_posts", kwargs={"slug": practice.slug})).status_code == 200


def test_staff_cannot_switch_off_their_only_authenticator_app(client):
    practice = PracticeFactory()
    owner = member(practice, Role.OWNER)
    TOTP.activate(owner, generate_totp_secret())
    client.force_login(owner)
    just_reauthenticated(client, owner)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=owner, type=Authenticator.Type.TOTP).exists()


def test_a_patient_may_switch_off_their_authenticator_app(client):
    patient = member(PracticeFactory(), Role.PATIENT)
    TOTP.activate(patient, generate_totp_secret())
    client.force_login(patient)
    just_reauthenticated(client, patient)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=patient, type=Authenticator.Type.TOTP).exists()


def test_the_two_factor_page_offers_security_keys(client):
    practice = PracticeFactory()
    client.force_login(member(practice, Role.ADMIN))

    response = client.get(reverse("mfa_index"))

    assert "Security Keys" in response.content.decode()
    assert django_settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN is True  # not production


def test_the_admin_sign_in_goes_through_the_two_step_sign_in(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())

    page = client.get(reverse("admin:login"))
    posted = client.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session
