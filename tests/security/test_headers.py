"""Every page carries a strict Content Security Policy and the standard protective headers."""

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from bedside.practices.models import Role
from tests.factories import (
    PostFactory,
    PracticeFactory,
    StaffProfileFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

PROTECTIVE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class InlineCodeFinder(HTMLParser):
    """Collects the nonce of every script, and any inline handler or style attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.script_nonces: list[str | None] = []
        self.inline_attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            self.script_nonces.append(names.get("nonce"))
        for name in names:
            if name == "style" or name.startswith("on"):
                self.inline_attributes.append(f"<{tag} {name}=…>")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def open_page(client: Client) -> Callable[[str], HttpResponse]:
    """Opens one of PAGES as a visitor, or as the practice's owner for the signed-in ones."""
    practice = PracticeFactory()
    owner = member(practice, Role.OWNER)
    post = PostFactory(practice=practice)
    profile = StaffProfileFactory(practice=practice)
    slug = {"slug": practice.slug}
    public = {
        "home": reverse("home"),
        "sign in": reverse("account_login"),
        "sign up": reverse("account_signup"),
        "practice": practice.get_absolute_url(),
        "post": post.get_absolute_url(),
        "team": reverse("practice_team", kwargs=slug),
        "team member": profile.get_absolute_url(),
        "join": reverse("follow", kwargs=slug),
        "not found": "/no/such/page/",
    }
    signed_in = {
        "my feed": reverse("home"),
        "welcome": reverse("welcome", kwargs=slug),
        "studio": reverse("studio_posts", kwargs=slug),
        "composer": reverse("studio_compose", kwargs=slug),
        "practice profile editor": reverse("studio_practice", kwargs=slug),
        "invitations": reverse("studio_invitations", kwargs=slug),
    }

    def open_page(name: str) -> HttpResponse:
        if name in signed_in:
            client.force_login(owner)
            return client.get(signed_in[name])
        return client.get(public[name])

    return open_page


PAGES = [
    *["home", "sign in", "sign up", "practice", "post", "team", "team member", "join"],
    *["not found", "my feed", "welcome", "studio", "composer", "practice profile editor"],
    "invitations",
]


@pytest.mark.parametrize("page", PAGES)
def test_pages_send_a_content_security_policy_without_unsafe_inline(open_page, page):
    response = open_page(page)

    policy = directives(response.headers["Content-Security-Policy"])
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert any(value.startswith("'nonce-") for value in policy["script-src"])


@pytest.mark.parametrize("page", PAGES)
def test_every_script_carries_the_nonce_and_no_code_is_inline(open_page, page):
    response = open_page(page)

    assert response.status_code in {200, 404}
    script_src = directives(response.headers["Content-Security-Policy"])["script-src"]
    nonce = next(v for v in script_src if v.startswith("'nonce-"))[len("'nonce-") : -1]
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    assert finder.script_nonces, "the page loads no script at all"
    assert finder.script_nonces == [nonce] * len(finder.script_nonces)
    assert finder.inline_attributes == []


def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(reverse("account_login")).headers["Content-Security-Policy"]
    second = client.get(reverse("account_login")).headers["Content-Security-Policy"]

    assert directives(first)["script-src"] != directives(second)["script-src"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_send_the_protective_headers(open_page, page):
    response = open_page(page)

    for header, value in PROTECTIVE_HEADERS.items():
        assert response.headers.get(header) == value, header


def test_the_session_cookie_is_out_of_reach_of_scripts(client):
    patient = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": patient.email, "password": "correct horse battery"}
    )

    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_not_sent_along_with_cross_site_posts(client):
    response = client.get(reverse("account_login"))

    assert response.cookies["csrftoken"]["samesite"] == "Lax"
