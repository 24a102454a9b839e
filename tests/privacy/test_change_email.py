"""Change my email: the new address becomes the sign-in address only once its owner follows
the link mailed to it, and the old address hears of the change."""

import re
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bedside.practices.models import User
from tests.factories import PracticeFactory, member

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
NEW = "sunny.new@example.org"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient() -> User:
    return member(PracticeFactory(), display_name="Sunny Walker")


@pytest.fixture
def signed_in(client: Client, patient: User) -> Client:
    # Through the real sign-in form: allauth asks to sign in again before an address change
    # unless the person signed in a moment ago.
    response = client.post(reverse("account_login"), {"login": patient.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _ask_for(client: Client, address: str) -> None:
    assert client.post(reverse("privacy_change_email")).url == reverse("account_email")
    response = client.post(reverse("account_email"), {"action_add": "", "email": address})
    assert response.status_code == 302


def _link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_privacy_page_leads_to_the_change(signed_in: Client):
    page = signed_in.get(reverse("privacy")).content.decode()
    assert "Change my email" in page
    assert f'action="{reverse("privacy_change_email")}"' in page


def test_the_change_page_is_in_the_site_layout_without_inline_style(
    signed_in: Client, patient: User
):
    signed_in.post(reverse("privacy_change_email"))
    response = signed_in.get(reverse("account_email"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="card narrow account-page"' in page
    assert "Privacy and your data" in page
    assert patient.email in page
    assert "style=" not in page
    assert re.search(r'<label for="id_email">[^<]*Change to', page)


def test_the_new_address_counts_only_once_verified(signed_in: Client, patient: User):
    old = patient.email
    _ask_for(signed_in, NEW)
    patient.refresh_from_db()
    assert patient.email == old  # nothing changes before the link is followed
    [letter] = [m for m in mail.outbox if m.to == [NEW]]
    link = _link_in(letter)

    assert signed_in.get(link).status_code == 200
    assert signed_in.post(link).status_code == 302
    patient.refresh_from_db()
    assert patient.email == NEW
    assert list(EmailAddress.objects.filter(user=patient).values_list("email", "primary")) == [
        (NEW, True)
    ]
    [notice] = [m for m in mail.outbox if m.to == [old]]
    assert NEW in notice.body
    fresh = Client()
    assert fresh.login(email=NEW, password=PASSWORD)
    assert not fresh.login(email=old, password=PASSWORD)


def test_an_address_someone_else_uses_never_becomes_mine(signed_in: Client, patient: User):
    other = member(PracticeFactory())
    EmailAddress.objects.create(user=other, email=other.email, primary=True, verified=True)
    old = patient.email
    _ask_for(signed_in, other.email)
    # allauth answers alike whether the address is taken (no account enumeration); the link
    # it mails cannot take the address from its owner.
    [letter] = [m for m in mail.outbox if m.to == [other.email]]
    link = _link_in(letter)
    assert "already confirmed by a different account" in signed_in.get(link).content.decode()
    signed_in.post(link)
    assert EmailAddress.objects.get(email=other.email, verified=True).user_id == other.pk
    patient.refresh_from_db()
    assert patient.email == old


def test_an_unverified_record_of_the_sign_in_address_is_kept_as_the_current_one(
    signed_in: Client, patient: User
):
    EmailAddress.objects.filter(user=patient).delete()
    EmailAddress.objects.create(user=patient, email=patient.email, primary=True, verified=False)
    old = patient.email
    _ask_for(signed_in, NEW)
    patient.refresh_from_db()
    assert patient.email == old
    assert EmailAddress.objects.get(user=patient, email=old).verified


def test_asking_twice_records_the_sign_in_address_once(signed_in: Client, patient: User):
    signed_in.post(reverse("privacy_change_email"))
    signed_in.post(reverse("privacy_change_email"))
    assert EmailAddress.objects.filter(user=patient).count() == 1
    assert EmailAddress.objects.get(user=patient).verified
