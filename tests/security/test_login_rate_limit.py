"""Guessing passwords is slowed down by allauth's rate limits, as production configures them.

The test settings switch rate limits off so that other tests may sign in freely; here the
production values are switched back on, over a fresh cache.
"""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from bedside import settings as bedside_settings
from bedside.practices.models import Role
from tests.factories import PracticeFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def production_rate_limits():
    assert bedside_settings.ACCOUNT_RATE_LIMITS, "production must rate limit sign-in"
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=bedside_settings.ACCOUNT_RATE_LIMITS):
        yield
    cache.clear()


def sign_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(client):
    patient = UserFactory()
    for _ in range(5):
        assert TOO_MANY not in sign_in(client, patient.email, "wrong guess").content.decode()

    response = sign_in(client, patient.email, PASSWORD)

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_account_under_attack_does_not_lock_out_another(client):
    target = UserFactory()
    bystander = UserFactory()
    for _ in range(5):
        sign_in(client, target.email, "wrong guess")

    response = sign_in(client, bystander.email, PASSWORD)

    assert response.status_code == 302


def test_a_guesser_is_stopped_from_one_address_whatever_accounts_they_try(client):
    accounts = UserFactory.create_batch(11)
    for account in accounts[:10]:
        sign_in(client, account.email, "wrong guess")

    response = sign_in(client, accounts[10].email, PASSWORD)

    assert TOO_MANY in response.content.decode()


def test_guessing_the_second_step_code_is_stopped_too(client):
    editor = member(PracticeFactory(), Role.EDITOR)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    sign_in(client, editor.email, PASSWORD)
    for guess in range(5):
        client.post(reverse("mfa_authenticate"), {"code": f"{guess:06d}"})

    right = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_authenticate"), {"code": right})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
