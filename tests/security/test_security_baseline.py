"""The rest of the security baseline: a Permissions-Policy on every answer, the two-factor
pages under the same strict Content Security Policy as the others, and argon2 passwords."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from bedside import settings as bedside_settings
from bedside.practices.models import Role, User
from bedside.practices.security import permissions_policy_header
from tests.factories import PracticeFactory, UserFactory, member
from tests.security.test_headers import directives

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def assert_strict_policy(policy: str) -> None:
    parsed = directives(policy)
    values = [value for values in parsed.values() for value in values]
    assert "'unsafe-inline'" not in values
    assert "'unsafe-eval'" not in values
    assert not any(value.startswith("'unsafe-") for value in values)
    assert parsed["object-src"] == ["'none'"]
    assert any(value.startswith("'nonce-") for value in parsed["script-src"])


def test_the_permissions_policy_header_lists_each_feature_with_its_allowlist():
    header = permissions_policy_header({"camera": [], "fullscreen": ["self"]})

    assert header == "camera=(), fullscreen=(self)"


@pytest.mark.parametrize("name", ["home", "account_login", "account_signup"])
def test_pages_deny_camera_microphone_and_location(client, name):
    response = client.get(reverse(name))

    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_error_pages_carry_the_permissions_policy_too(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "camera=()" in response.headers["Permissions-Policy"]


def staff_with_an_authenticator() -> User:
    practice = PracticeFactory()
    editor = member(practice, Role.EDITOR)
    TOTP.activate(editor, generate_totp_secret())
    return editor


@override_settings(BEDSIDE_STAFF_MFA_REQUIRED=True)
def test_the_second_step_of_sign_in_has_a_strict_policy(client):
    editor = staff_with_an_authenticator()
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})

    response = client.get(reverse("mfa_authenticate"))

    assert response.status_code == 200
    assert "security key" in response.content.decode()
    assert_strict_policy(response.headers["Content-Security-Policy"])


@override_settings(BEDSIDE_STAFF_MFA_REQUIRED=True)
@pytest.mark.parametrize("name", ["mfa_index", "account_reauthenticate", "account_email"])
def test_the_account_pages_staff_are_sent_to_have_a_strict_policy(client, name):
    client.force_login(member(PracticeFactory(), Role.OWNER))

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_strict_policy(response.headers["Content-Security-Policy"])


def test_production_hashes_passwords_with_argon2_first():
    assert bedside_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_new_password_is_stored_as_argon2():
    with override_settings(PASSWORD_HASHERS=bedside_settings.PASSWORD_HASHERS):
        encoded = make_password("a long and unguessable phrase")

        assert identify_hasher(encoded).algorithm == "argon2"
        assert check_password("a long and unguessable phrase", encoded)


def test_an_older_hash_becomes_argon2_at_the_next_sign_in(client):
    with override_settings(PASSWORD_HASHERS=bedside_settings.PASSWORD_HASHERS):
        user = UserFactory()
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])

        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )

        assert response.status_code == 302
        user.refresh_from_db()
        assert identify_hasher(user.password).algorithm == "argon2"
