"""The demo's staff sign in with the documented authenticator secret; ``demo_code`` helps."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    validate_totp_code,
)
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from bedside.demo import riverside
from bedside.demo.two_factor import DEMO_TOTP_SECRET, add_staff_two_factor, demo_code
from bedside.practices.models import Membership, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.BEDSIDE_STAFF_MFA_REQUIRED = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_every_demo_staff_account_has_the_demo_authenticator_and_patients_none(seeded):
    staff = User.objects.filter(
        memberships__role__in=[r for r in Role if r != Role.PATIENT]
    ).distinct()
    assert staff.count() >= 7
    for user in staff:
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert TOTP(totp).validate_code(demo_code()[0]), user.email
    patient = User.objects.get(email=riverside.LOGINS[-1].email)
    assert not Authenticator.objects.filter(user=patient).exists()


def test_the_compliance_officer_is_a_demo_login(seeded):
    officer = Membership.objects.get(user__email=f"compliance@{riverside.DEMO_DOMAIN}")

    assert officer.role == Role.COMPLIANCE
    assert officer.practice.slug == riverside.SLUG
    assert f"compliance@{riverside.DEMO_DOMAIN}" in seeded


def test_seeding_prints_the_secret_and_how_to_get_a_code(seeded):
    assert DEMO_TOTP_SECRET in seeded
    assert "manage.py demo_code" in seeded


def test_adding_the_authenticators_again_adds_none(seeded):
    assert add_staff_two_factor() == 0


def test_demo_code_prints_the_code_allauth_accepts_now():
    out, err = StringIO(), StringIO()

    call_command("demo_code", stdout=out, stderr=err)

    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(DEMO_TOTP_SECRET, code)
    assert "valid for" in err.getvalue()


def test_demo_code_follows_rfc_6238():
    # RFC 6238's SHA-1 test vector, truncated to six digits: secret "12345678901234567890".
    rfc_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert format_hotp_value(hotp_value(rfc_secret, 59 // 30)) == "287082"
    assert demo_code(at=59)[1] == 1


def test_the_owner_signs_in_with_password_and_the_demo_code(seeded, client):
    cache.clear()
    owner = riverside.LOGINS[0].email
    response = client.post(
        reverse("account_login"), {"login": owner, "password": riverside.DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": demo_code()[0]})

    assert response.status_code == 302
    assert client.get(reverse("studio_posts", kwargs={"slug": riverside.SLUG})).status_code == 200
