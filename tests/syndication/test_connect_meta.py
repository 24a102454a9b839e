"""Connecting a Facebook Page and its Instagram account: Facebook Login and a pasted Page
access token, each checked with Meta (Graph API v23.0 answers as documented)."""

import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.practices.models import Role
from bedside.syndication import http
from bedside.syndication.models import Channel, ChannelStatus
from tests.factories import ChannelFactory, member
from tests.syndication.fakes import FakeApi

pytestmark = pytest.mark.django_db

SHORT = "EAAB-short-user-token-SECRET"
LONG = "EAAB-long-user-token-SECRET"
PAGE_TOKEN = "EAAB-page-token-SECRET"
PERSON_TOKEN = "EAAB-person-token-SECRET"
PAGE_ID = "104412345678901"
IG_ID = "17841400008460056"


@pytest.fixture
def meta_app(settings):
    settings.META_APP_ID = "meta-app-id"
    settings.META_APP_SECRET = "meta-app-secret"
    return settings


@pytest.fixture
def owner(practice):
    return member(practice, Role.OWNER)


def graph_error(status, message, code, subcode=None):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC1"}
    if subcode:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error})


def me(request):
    """``GET /me?fields=id,name,category``: a Page answers; a person has no ``category``."""
    token = request.headers["Authorization"].removeprefix("Bearer ")
    if token == PAGE_TOKEN:
        return httpx.Response(
            200, json={"id": PAGE_ID, "name": "Riverside Family Health", "category": "Doctor"}
        )
    if token == PERSON_TOKEN:
        return graph_error(
            400,
            "(#100) Tried accessing nonexisting field (category) on node type (User)",
            100,
        )
    return graph_error(400, "Invalid OAuth access token - Cannot parse access token", 190)


def page_with_instagram(request):
    return httpx.Response(
        200,
        json={
            "instagram_business_account": {"id": IG_ID, "username": "riversidefh"},
            "id": PAGE_ID,
        },
    )


@pytest.fixture
def graph():
    fake = FakeApi()
    fake.on(
        "GET",
        "/v23.0/oauth/access_token",
        httpx.Response(
            200, json={"access_token": SHORT, "token_type": "bearer", "expires_in": 5183}
        ),
        httpx.Response(
            200, json={"access_token": LONG, "token_type": "bearer", "expires_in": 5183944}
        ),
    )
    fake.on(
        "GET",
        "/v23.0/me/accounts",
        httpx.Response(
            200,
            json={
                "data": [
                    {
                        "access_token": PAGE_TOKEN,
                        "category": "Doctor",
                        "name": "Riverside Family Health",
                        "id": PAGE_ID,
                        "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
                        "instagram_business_account": {"id": IG_ID, "username": "riversidefh"},
                    },
                    {
                        "access_token": "EAAB-other-page-token",
                        "category": "Community",
                        "name": "Riverside Running Club",
                        "id": "209988776655",
                        "tasks": ["CREATE_CONTENT"],
                    },
                ],
                "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU2"}},
            },
        ),
    )
    fake.on("GET", "/v23.0/me", me)
    fake.on("GET", f"/v23.0/{PAGE_ID}", page_with_instagram)
    with http.using_transport(httpx.MockTransport(fake.handle)):
        yield fake


def connect_url(practice):
    return reverse("syndication_connect", kwargs={"slug": practice.slug, "provider": "meta"})


def pick_url(practice):
    return reverse("syndication_connect_pick", kwargs={"slug": practice.slug, "provider": "meta"})


def token_url(practice):
    return reverse("syndication_page_token", kwargs={"slug": practice.slug})


def test_facebook_login_connects_a_page_and_its_instagram_account(
    client, practice, owner, meta_app, graph, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(owner)
    start = client.get(
        reverse("syndication_connect_start", kwargs={"slug": practice.slug, "provider": "meta"})
    )
    location = urlsplit(start["Location"])
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert (location.netloc, location.path) == ("www.facebook.com", "/v23.0/dialog/oauth")
    assert query["client_id"] == "meta-app-id"
    assert {"pages_manage_posts", "instagram_content_publish"} <= set(query["scope"].split(","))

    callback = reverse("syndication_oauth_callback", kwargs={"provider": "meta"})
    response = client.get(callback, {"code": "fb-code-123", "state": query["state"]})
    assert response["Location"] == pick_url(practice)

    exchange, extend = graph.sent("GET", "/v23.0/oauth/access_token")
    assert dict(exchange.url.params) == {
        "client_id": "meta-app-id",
        "client_secret": "meta-app-secret",
        "redirect_uri": query["redirect_uri"],
        "code": "fb-code-123",
    }
    assert dict(extend.url.params) == {
        "grant_type": "fb_exchange_token",
        "client_id": "meta-app-id",
        "client_secret": "meta-app-secret",
        "fb_exchange_token": SHORT,
    }
    (accounts,) = graph.sent("GET", "/v23.0/me/accounts")
    assert accounts.headers["Authorization"] == f"Bearer {LONG}"
    assert LONG not in str(accounts.url)
    assert "instagram_business_account" in accounts.url.params["fields"]

    page = client.get(pick_url(practice)).text
    assert "Facebook Page Riverside Family Health" in page
    assert "Instagram @riversidefh (linked to Riverside Family Health)" in page
    assert "Riverside Running Club" in page
    for secret in (SHORT, LONG, PAGE_TOKEN, "EAAB-other-page-token"):
        assert secret not in page

    response = client.post(
        pick_url(practice), {"accounts": [f"facebook:{PAGE_ID}", f"instagram:{PAGE_ID}"]}
    )
    assert response.status_code == 302
    facebook = Channel.objects.get(network="facebook")
    instagram = Channel.objects.get(network="instagram")
    assert (facebook.account_id, facebook.handle) == (PAGE_ID, "Riverside Family Health")
    assert (instagram.account_id, instagram.handle) == (IG_ID, "@riversidefh")
    # Both post with the Page's token, checked with Meta before being kept.
    assert facebook.credentials["access_token"] == PAGE_TOKEN
    assert instagram.credentials == {"access_token": PAGE_TOKEN, "page_id": PAGE_ID}
    assert [r.headers["Authorization"] for r in graph.sent("GET", "/v23.0/me")] == [
        f"Bearer {PAGE_TOKEN}"
    ] * 2

    events = AuditEvent.objects.filter(action="channel.connect")
    assert sorted(event.detail["network"] for event in events) == ["facebook", "instagram"]
    logs = caplog.text
    channels = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    for secret in (SHORT, LONG, PAGE_TOKEN, "meta-app-secret", "fb-code-123"):
        assert secret not in channels
        assert all(secret not in str(event.detail) for event in events)
        assert secret not in logs


def test_a_used_code_is_refused_with_metas_reason(client, practice, owner, meta_app, graph):
    graph.routes[("GET", "/v23.0/oauth/access_token")] = [
        graph_error(400, "This authorization code has been used.", 100, 36009)
    ]
    client.force_login(owner)
    start = client.get(
        reverse("syndication_connect_start", kwargs={"slug": practice.slug, "provider": "meta"})
    )
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        reverse("syndication_oauth_callback", kwargs={"provider": "meta"}),
        {"code": "used", "state": state},
        follow=True,
    )
    assert "Facebook did not connect" in response.text
    assert "This authorization code has been used." in response.text
    assert graph.sent("GET", "/v23.0/me/accounts") == []
    assert not Channel.objects.exists()


def test_picking_something_not_offered_connects_nothing(client, practice, owner, meta_app, graph):
    client.force_login(owner)
    start = client.get(
        reverse("syndication_connect_start", kwargs={"slug": practice.slug, "provider": "meta"})
    )
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    client.get(
        reverse("syndication_oauth_callback", kwargs={"provider": "meta"}),
        {"code": "c", "state": state},
    )
    nothing = client.post(pick_url(practice), {})
    assert nothing.status_code == 422 and "This field is required." in nothing.text
    # The running club has no Instagram account linked, so there is nothing to pick there.
    response = client.post(pick_url(practice), {"accounts": ["instagram:209988776655"]})
    assert response.status_code == 422
    assert not Channel.objects.exists()


def test_a_pasted_page_token_is_checked_then_kept_sealed(client, practice, owner, graph):
    client.force_login(owner)
    response = client.post(
        token_url(practice),
        {"network": "facebook", "page_id": PAGE_ID, "access_token": f"  {PAGE_TOKEN} "},
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.network, channel.account_id, channel.handle) == (
        "facebook",
        PAGE_ID,
        "Riverside Family Health",
    )
    assert channel.credentials == {"access_token": PAGE_TOKEN}
    (check,) = graph.sent("GET", "/v23.0/me")
    assert check.url.params["fields"] == "id,name,category"
    assert PAGE_TOKEN not in str(check.url)
    event = AuditEvent.objects.get(action="channel.connect")
    assert event.actor_id == owner.pk and PAGE_TOKEN not in str(event.detail)


def test_a_persons_token_is_refused_with_the_adapters_reason(client, practice, owner, graph):
    client.force_login(owner)
    response = client.post(
        token_url(practice),
        {"network": "facebook", "page_id": PAGE_ID, "access_token": PERSON_TOKEN},
    )
    assert response.status_code == 422
    assert "This is a person&#x27;s token, not a Page&#x27;s" in response.text
    assert PERSON_TOKEN not in response.text
    assert not Channel.objects.exists()
    assert not AuditEvent.objects.filter(action="channel.connect").exists()


def test_a_dead_token_or_another_pages_token_is_refused(client, practice, owner, graph):
    client.force_login(owner)
    dead = client.post(
        token_url(practice),
        {"network": "facebook", "page_id": PAGE_ID, "access_token": "EAAB-expired"},
    )
    assert dead.status_code == 422 and "expired or was revoked" in dead.text
    other = client.post(
        token_url(practice),
        {"network": "facebook", "page_id": "999000111", "access_token": PAGE_TOKEN},
    )
    assert other.status_code == 422 and "another Page" in other.text
    not_a_number = client.post(
        token_url(practice), {"network": "facebook", "page_id": "riverside", "access_token": "t"}
    )
    assert not_a_number.status_code == 422 and "numeric id" in not_a_number.text
    assert not Channel.objects.exists()


def test_a_pasted_token_connects_the_pages_instagram_account(client, practice, owner, graph):
    client.force_login(owner)
    response = client.post(
        token_url(practice),
        {"network": "instagram", "page_id": PAGE_ID, "access_token": PAGE_TOKEN},
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.network, channel.account_id, channel.handle) == (
        "instagram",
        IG_ID,
        "@riversidefh",
    )
    (linked,) = graph.sent("GET", f"/v23.0/{PAGE_ID}")
    assert linked.url.params["fields"] == "instagram_business_account{id,username}"


def test_a_page_without_instagram_is_told_so(client, practice, owner, graph):
    graph.routes[("GET", f"/v23.0/{PAGE_ID}")] = [httpx.Response(200, json={"id": PAGE_ID})]
    client.force_login(owner)
    response = client.post(
        token_url(practice),
        {"network": "instagram", "page_id": PAGE_ID, "access_token": PAGE_TOKEN},
    )
    assert response.status_code == 422
    assert "no Instagram professional account linked" in response.text
    assert not Channel.objects.exists()


def test_only_managers_may_paste_a_token(client, practice, graph):
    client.force_login(member(practice, Role.CLINICIAN))
    response = client.post(
        token_url(practice),
        {"network": "facebook", "page_id": PAGE_ID, "access_token": PAGE_TOKEN},
    )
    assert response.status_code in (403, 404)
    assert graph.requests == [] and not Channel.objects.exists()


def test_without_an_app_the_token_form_still_works_and_the_page_says_what_to_set(
    client, practice, owner, settings
):
    settings.META_APP_ID = ""
    settings.META_APP_SECRET = ""
    client.force_login(owner)
    page = client.get(connect_url(practice)).text
    assert "BEDSIDE_META_APP_ID" in page and "BEDSIDE_META_APP_SECRET" in page
    assert "Sign in with Facebook" not in page
    assert "Page access token" in page


def test_reconnecting_a_page_goes_to_the_facebook_page(client, practice, owner, graph):
    channel = ChannelFactory(
        practice=practice,
        network="facebook",
        handle="Riverside Family Health",
        server_url="",
        account_id=PAGE_ID,
        status=ChannelStatus.NEEDS_RECONNECT,
        last_error="Facebook no longer accepts this channel's token",
        credentials={"access_token": "dead"},
    )
    client.force_login(owner)
    channels = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    assert f'href="{connect_url(practice)}"' in channels
    page = client.get(connect_url(practice)).text
    assert "no longer accepts our access" in page and "Riverside Family Health" in page
    client.post(
        token_url(practice),
        {"network": "facebook", "page_id": PAGE_ID, "access_token": PAGE_TOKEN},
    )
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE and channel.last_error == ""
    assert channel.credentials["access_token"] == PAGE_TOKEN
    assert Channel.objects.count() == 1
