"""Visitors see friendly error pages, never a stack trace or a detail of the failure."""

import pytest
from django.test import Client, override_settings

from tests.security.urls import SECRET_DETAIL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.security.urls"),
]

TECHNICAL_WORDS = ["Traceback", "RuntimeError", "Using the URLconf", "DEBUG = True", SECRET_DETAIL]


@pytest.fixture
def visitor() -> Client:
    # A real server answers a crash with a page; the test client would re-raise it.
    return Client(raise_request_exception=False)


def assert_nothing_technical(html: str) -> None:
    for word in TECHNICAL_WORDS:
        assert word not in html


@override_settings(DEBUG=False)
def test_an_unknown_page_shows_the_friendly_not_found_page(visitor):
    response = visitor.get("/this/page/does-not-exist/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We cannot find that page" in html
    assert 'href="/"' in html
    assert_nothing_technical(html)


@override_settings(DEBUG=False)
def test_an_exception_in_a_view_shows_the_friendly_server_error_page(visitor):
    response = visitor.get("/test-errors/crash/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "Content-Security-Policy" in response.headers
    assert_nothing_technical(html)


@override_settings(DEBUG=False)
def test_a_refused_request_shows_the_friendly_forbidden_page(visitor):
    response = visitor.get("/test-errors/refuse/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have permission to see this page" in html
    assert_nothing_technical(html)


@override_settings(DEBUG=False)
def test_a_domain_rule_refusal_explains_itself_in_plain_words(visitor):
    response = visitor.get("/test-errors/refuse-by-rule/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Only the practice&#x27;s staff may do that." in html
    assert_nothing_technical(html)
