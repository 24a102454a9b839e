import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index"])
def test_account_pages_open_in_bedsides_layout_with_the_account_menu(client, name):
    client.force_login(UserFactory())
    html = client.get(reverse(name)).content.decode()
    assert 'aria-label="Account"' in html
    assert reverse("mfa_index") in html
    assert 'class="skip-link"' in html  # Bedside's base layout, not allauth's bare one


def test_the_header_links_a_signed_in_user_to_their_account(client):
    client.force_login(UserFactory())
    assert reverse("account_email") in client.get(reverse("home")).content.decode()
