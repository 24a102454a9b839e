import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from bedside.practices.accounts import AccountAdapter, pending_join_url

pytestmark = pytest.mark.django_db


def request_with(session_data):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session.update(session_data)
    return request


def test_an_invitation_in_the_session_leads_back_to_its_join_page():
    assert pending_join_url(request_with({"invitation_token": "abc_-1"})) == "/join/abc_-1/"


def test_a_follow_path_in_the_session_leads_back_to_it():
    assert pending_join_url(request_with({"next_join": "/p/riverside/follow/"})) == (
        "/p/riverside/follow/"
    )


@pytest.mark.parametrize("path", ["//evil.example.com/", "https://evil.example.com/", "p/x/"])
def test_a_follow_path_to_elsewhere_is_ignored(path):
    assert pending_join_url(request_with({"next_join": path})) is None


def test_an_invitation_opens_sign_up_even_when_open_sign_up_is_off(settings):
    settings.ACCOUNT_ALLOW_REGISTRATION = False
    adapter = AccountAdapter()
    assert adapter.is_open_for_signup(request_with({"invitation_token": "abc"}))
    assert not adapter.is_open_for_signup(request_with({"next_join": "/p/x/follow/"}))
    assert not adapter.is_open_for_signup(request_with({}))
