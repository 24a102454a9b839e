"""An editor connects the practice's Mastodon account on a server of its own (a fake Mastodon
on this machine, answering as the documented API does), signs in there, comes back connected,
publishes a post, and the server receives it exactly once, with an ``Idempotency-Key``.

The CSP of every Bedside page has ``form-action 'self'``; Chromium applies it to the redirects
after a form is sent, so a form that redirected to the server would be blocked and reported
here as a CSP violation (the browser conftest fails the journey on any).
"""

import html
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from bedside.posts.models import Post
from bedside.syndication.models import Channel, Delivery, DeliveryStatus

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
TOKEN = "fake-mastodon-access-token-0123456789"
ACCOUNT_ID = "109"


@dataclass
class FakeMastodon:
    """What the server was asked and what it keeps: one app, codes, statuses by key."""

    url: str = ""
    redirect_uris: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri
    statuses: list[dict[str, Any]] = field(default_factory=list)
    status_requests: list[dict[str, str]] = field(default_factory=list)  # headers of each
    by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(fake: FakeMastodon) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
            pass

        def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
            data = (json.dumps(body) if content_type == "application/json" else body).encode()
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _form(self) -> dict[str, str]:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            return {key: values[-1] for key, values in parse_qs(raw).items()}

        def _query(self) -> dict[str, str]:
            query = parse_qs(urlsplit(self.path).query)
            return {key: values[-1] for key, values in query.items()}

        def _signed_in(self) -> bool:
            if self.headers.get("Authorization") == f"Bearer {TOKEN}":
                return True
            self._send(401, {"error": "The access token is invalid"})
            return False

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/oauth/authorize":
                self._authorize_page()
            elif path == "/favicon.ico":
                self._send(204, "", content_type="image/x-icon")
            elif path == "/api/v1/accounts/verify_credentials":
                if self._signed_in():
                    self._send(
                        200, {"id": ACCOUNT_ID, "username": "riverside", "acct": "riverside"}
                    )
            elif path == "/api/v2/instance":
                host = urlsplit(fake.url).netloc
                self._send(
                    200,
                    {"domain": host, "configuration": {"statuses": {"max_characters": 500}}},
                )
            elif path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
                if self._signed_in():
                    self._send(200, list(reversed(fake.statuses)))
            else:
                self._send(404, {"error": "Record not found"})

        def _authorize_page(self) -> None:
            query = self._query()
            if (
                query.get("client_id") != CLIENT_ID
                or query.get("response_type") != "code"
                or query.get("redirect_uri") not in fake.redirect_uris
                or query.get("scope") != "read write"
            ):
                self._send(400, {"error": "invalid_request"})
                return
            hidden = "".join(
                f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
                for name in ("redirect_uri", "state")
            )
            # As Mastodon's own page: a form the person sends to allow the app.
            self._send(
                200,
                "<!doctype html><html lang=en><title>Authorize</title>"
                "<h1>Bedside would like to use your account</h1>"
                f'<form method="post" action="/oauth/authorize">{hidden}'
                "<button>Authorize</button></form></html>",
                content_type="text/html",
            )

        def _allow(self, form: dict[str, str]) -> None:
            if form.get("redirect_uri") not in fake.redirect_uris:
                self._send(400, {"error": "invalid_request"})
                return
            code = secrets.token_urlsafe(12)
            fake.codes[code] = form["redirect_uri"]
            back = {"code": code, "state": form.get("state", "")}
            self._redirect(f"{form['redirect_uri']}?{urlencode(back)}")

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            form = self._form()
            if path == "/oauth/authorize":
                self._allow(form)
            elif path == "/api/v1/apps":
                fake.redirect_uris.append(form["redirect_uris"])
                self._send(200, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
            elif path == "/oauth/token":
                expected = fake.codes.pop(form.get("code", ""), None)
                if (
                    expected is None
                    or form.get("grant_type") != "authorization_code"
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != expected
                ):
                    self._send(400, {"error": "invalid_grant"})
                    return
                self._send(200, {"access_token": TOKEN, "token_type": "Bearer"})
            elif path == "/api/v1/statuses":
                if self._signed_in():
                    self._status(form)
            else:
                self._send(404, {"error": "Record not found"})

        def _status(self, form: dict[str, str]) -> None:
            key = self.headers.get("Idempotency-Key", "")
            with fake.lock:
                fake.status_requests.append({"Idempotency-Key": key})
                status = fake.by_key.get(key) if key else None
                if status is None:
                    number = str(len(fake.statuses) + 1)
                    status = {
                        "id": number,
                        "url": f"{fake.url}/@riverside/{number}",
                        "content": f"<p>{html.escape(form.get('status', ''))}</p>",
                        "spoiler_text": form.get("spoiler_text", ""),
                    }
                    fake.statuses.append(status)
                    if key:
                        fake.by_key[key] = status
            self._send(200, status)

    return Handler


@pytest.fixture
def fake_mastodon() -> Iterator[FakeMastodon]:
    fake = FakeMastodon()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_an_editor_connects_mastodon_and_a_post_goes_there_once(
    page: Page,
    console,
    riverside,
    sign_in,
    settings,
    live_server,
    fake_mastodon: FakeMastodon,
):
    settings.SITE_URL = live_server.url  # the callback address the server sends people to
    server = urlsplit(fake_mastodon.url).netloc
    title = f"Late clinic on Thursdays {uuid.uuid4().hex[:6]}"
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/channels/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")

    page.get_by_label("Mastodon server").fill(fake_mastodon.url)
    page.get_by_role("button", name="Connect Mastodon").click()
    expect(page.get_by_role("heading", level=2, name=f"Sign in on {server}")).to_be_visible()
    assert fake_mastodon.redirect_uris == [f"{live_server.url}/studio/mastodon/callback/"]
    page.set_viewport_size({"width": 320, "height": 640})  # the page works on a phone too
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=f"Continue to {server} to sign in").click()

    expect(
        page.get_by_role("heading", name="Bedside would like to use your account")
    ).to_be_visible()
    page.get_by_role("button", name="Authorize").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
    expect(page.get_by_text("Connected Mastodon @riverside@127.0.0.1")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="@riverside@127.0.0.1")).to_contain_text(
        "Connected"
    )
    assert TOKEN not in page.content()
    channel = Channel.objects.get()
    assert (channel.network, channel.account_id, channel.server_url) == (
        "mastodon",
        ACCOUNT_ID,
        fake_mastodon.url,
    )
    assert channel.credentials == {"access_token": TOKEN}
    assert fake_mastodon.statuses == []

    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="Write a post").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(label="Announcement")
    page.get_by_role("radio", name="Non-medical", exact=True).check()
    page.get_by_label("Body").fill("Open until 8 pm every Thursday from next week.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("region", name="On other networks")).to_contain_text("Mastodon")
    assert fake_mastodon.statuses == []  # nothing leaves before publishing

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published. Your patients can see it now.")).to_be_visible()
    post = Post.objects.get(title=title)
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == DeliveryStatus.DONE, delivery.last_error
    [status] = fake_mastodon.statuses
    assert title in status["content"]
    assert delivery.remote_id == status["id"]
    [sent] = fake_mastodon.status_requests
    assert sent["Idempotency-Key"] == delivery.key

    page.goto(f"/p/{riverside.slug}/studio/posts/{post.pk}/deliveries/")
    section = page.get_by_role("region", name="Mastodon @riverside@127.0.0.1")
    expect(section).to_contain_text("Published")
    console.assert_clean()
