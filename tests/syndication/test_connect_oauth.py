"""Connecting X and LinkedIn through OAuth 2.0: the state, PKCE, the documented token
endpoints and their errors, picking a LinkedIn page, and who may do it."""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.practices.models import Role
from bedside.syndication import http, oauth
from bedside.syndication.models import Channel, ChannelStatus
from tests.factories import ChannelFactory, member
from tests.syndication.fakes import FakeApi, form

pytestmark = pytest.mark.django_db

ACCESS = "x-access-token-SECRET-1"
REFRESH = "x-refresh-token-SECRET-2"
LI_ACCESS = "li-access-token-SECRET-3"
LI_REFRESH = "li-refresh-token-SECRET-4"
ORG = "urn:li:organization:2414183"


@pytest.fixture
def apps(settings):
    settings.X_CLIENT_ID = "x-client-id"
    settings.X_CLIENT_SECRET = "x-client-secret"
    settings.LINKEDIN_CLIENT_ID = "li-client-id"
    settings.LINKEDIN_CLIENT_SECRET = "li-client-secret"
    return settings


@pytest.fixture
def api():
    fake = FakeApi()
    with http.using_transport(httpx.MockTransport(fake.handle)):
        yield fake


@pytest.fixture
def owner(practice):
    return member(practice, Role.OWNER)


def x_tokens():
    # developer.x.com: OAuth 2.0 Authorization Code Flow with PKCE, step 3's answer.
    return httpx.Response(
        200,
        json={
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": ACCESS,
            "scope": "tweet.write users.read tweet.read media.write offline.access",
            "refresh_token": REFRESH,
        },
    )


def x_user():
    return httpx.Response(
        200, json={"data": {"id": "2244994945", "name": "Riverside", "username": "riversidefh"}}
    )


def start(client, practice, provider):
    url = reverse("syndication_connect_start", kwargs={"slug": practice.slug, "provider": provider})
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    return location, {name: values[0] for name, values in parse_qs(location.query).items()}


def callback(provider):
    return reverse("syndication_oauth_callback", kwargs={"provider": provider})


def test_x_connects_with_pkce_and_keeps_the_tokens_sealed(client, practice, owner, apps, api):
    api.on("POST", "/2/oauth2/token", x_tokens()).on("GET", "/2/users/me", x_user())
    client.force_login(owner)
    location, query = start(client, practice, "x")

    assert (location.netloc, location.path) == ("x.com", "/i/oauth2/authorize")
    assert query["response_type"] == "code" and query["client_id"] == "x-client-id"
    assert query["redirect_uri"].endswith(callback("x"))
    assert set(query["scope"].split(" ")) >= {"tweet.write", "users.read", "offline.access"}
    assert query["code_challenge_method"] == "S256"
    assert api.requests == []  # nothing leaves for X before the person comes back

    response = client.get(callback("x"), {"code": "the-code", "state": query["state"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("syndication_channels", kwargs={"slug": practice.slug})

    (token_request,) = api.sent("POST", "/2/oauth2/token")
    sent = form(token_request)
    assert sent["grant_type"] == "authorization_code" and sent["code"] == "the-code"
    assert sent["redirect_uri"] == query["redirect_uri"] and sent["client_id"] == "x-client-id"
    # The verifier never left the server before; its S256 hash is the challenge sent earlier.
    digest = hashlib.sha256(sent["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == query["code_challenge"]
    assert 43 <= len(sent["code_verifier"]) <= 128
    assert (
        token_request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"x-client-id:x-client-secret").decode()
    )
    (me,) = api.sent("GET", "/2/users/me")
    assert me.headers["Authorization"] == f"Bearer {ACCESS}"

    channel = Channel.objects.get()
    assert (channel.network, channel.account_id, channel.handle) == (
        "x",
        "2244994945",
        "@riversidefh",
    )
    assert channel.server_url == "" and channel.connected_by == owner
    credentials = channel.credentials
    assert (credentials["access_token"], credentials["refresh_token"]) == (ACCESS, REFRESH)
    assert credentials["expires_at"] > 0 and credentials["client_id"] == "x-client-id"
    assert ACCESS not in channel.sealed_credentials

    event = AuditEvent.objects.get(action="channel.connect")
    assert event.detail == {"network": "x", "handle": "@riversidefh", "reconnect": False}
    page = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    assert "@riversidefh" in page
    for secret in (ACCESS, REFRESH, "x-client-secret", sent["code_verifier"]):
        assert secret not in page and secret not in str(event.detail)

    # The state is single use: replaying the callback finds nothing waiting.
    again = client.get(callback("x"), {"code": "the-code", "state": query["state"]})
    assert again.status_code == 404
    assert len(api.sent("POST", "/2/oauth2/token")) == 1


def test_an_invalid_grant_is_told_and_connects_nothing(client, practice, owner, apps, api):
    api.on(
        "POST",
        "/2/oauth2/token",
        httpx.Response(
            400,
            json={
                "error": "invalid_grant",
                "error_description": "Value passed for the authorization code was invalid.",
            },
        ),
    )
    client.force_login(owner)
    _, query = start(client, practice, "x")
    response = client.get(callback("x"), {"code": "stale", "state": query["state"]}, follow=True)
    assert response.status_code == 200
    assert "X did not connect" in response.text and "invalid_grant" in response.text
    assert "stale" not in response.text
    assert not Channel.objects.exists()
    assert not AuditEvent.objects.filter(action="channel.connect").exists()
    assert api.sent("GET", "/2/users/me") == []


def test_a_forged_or_foreign_state_is_refused_before_any_exchange(
    client, practice, other_practice, owner, apps, api
):
    api.on("POST", "/2/oauth2/token", x_tokens()).on("GET", "/2/users/me", x_user())
    member(other_practice, Role.OWNER, user=owner)
    client.force_login(owner)

    _, query = start(client, practice, "x")
    assert client.get(callback("x"), {"code": "c", "state": "forged"}).status_code == 404

    # A state signed for another practice does not match what this session started.
    _, query = start(client, practice, "x")
    signed = signing.loads(query["state"], salt=oauth.SALT)
    swapped = signing.dumps({**signed, "p": other_practice.pk}, salt=oauth.SALT)
    assert client.get(callback("x"), {"code": "c", "state": swapped}).status_code == 404

    # A state for LinkedIn is not one for X, and one person's is not another's.
    _, query = start(client, practice, "x")
    as_linkedin = signing.dumps(
        {**signing.loads(query["state"], salt=oauth.SALT), "k": "linkedin"}, salt=oauth.SALT
    )
    assert client.get(callback("x"), {"code": "c", "state": as_linkedin}).status_code == 404
    _, query = start(client, practice, "x")
    intruder = member(practice, Role.ADMIN)
    client.force_login(intruder)  # a new session: nothing of the owner's sign-in is in it
    assert client.get(callback("x"), {"code": "c", "state": query["state"]}).status_code == 404

    assert api.requests == []
    assert not Channel.objects.exists()


def test_an_expired_state_sends_back_to_start_again(client, practice, owner, apps, api):
    client.force_login(owner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _, query = start(client, practice, "x")
        traveller.shift(oauth.STATE_MAX_AGE + 1)
        response = client.get(callback("x"), {"code": "c", "state": query["state"]})
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "syndication_connect", kwargs={"slug": practice.slug, "provider": "x"}
        )
        page = client.get(response["Location"]).text
    assert "took too long" in page
    assert api.requests == []


def test_a_cancelled_sign_in_connects_nothing(client, practice, owner, apps, api):
    client.force_login(owner)
    _, query = start(client, practice, "x")
    response = client.get(
        callback("x"), {"error": "access_denied", "state": query["state"]}, follow=True
    )
    assert "cancelled" in response.text
    assert api.requests == [] and not Channel.objects.exists()


def test_losing_the_role_between_leaving_and_coming_back_is_refused(
    client, practice, owner, apps, api
):
    api.on("POST", "/2/oauth2/token", x_tokens()).on("GET", "/2/users/me", x_user())
    admin = member(practice, Role.ADMIN)
    client.force_login(admin)
    _, query = start(client, practice, "x")
    admin.memberships.filter(practice=practice).update(role=Role.CLINICIAN)
    response = client.get(callback("x"), {"code": "c", "state": query["state"]})
    assert response.status_code == 403
    assert api.requests == [] and not Channel.objects.exists()


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.MODERATOR, Role.PATIENT])
def test_roles_that_do_not_manage_channels_cannot_start(client, practice, apps, api, role):
    client.force_login(member(practice, role))
    for provider in ("x", "linkedin", "meta"):
        kwargs = {"slug": practice.slug, "provider": provider}
        assert client.get(reverse("syndication_connect", kwargs=kwargs)).status_code in (403, 404)
        response = client.get(reverse("syndication_connect_start", kwargs=kwargs))
        assert response.status_code in (403, 404)
    assert not any(key.startswith("syndication.oauth") for key, _ in client.session.items())


def test_another_practice_cannot_start_a_sign_in_for_ours(
    client, practice, other_practice, apps, api
):
    client.force_login(member(other_practice, Role.OWNER))
    url = reverse("syndication_connect_start", kwargs={"slug": practice.slug, "provider": "x"})
    assert client.get(url).status_code == 404


def test_without_an_app_the_page_says_what_the_operator_must_set(client, practice, owner, settings):
    settings.X_CLIENT_ID = ""
    settings.X_CLIENT_SECRET = ""
    client.force_login(owner)
    page = client.get(
        reverse("syndication_connect", kwargs={"slug": practice.slug, "provider": "x"})
    )
    assert page.status_code == 200
    assert "BEDSIDE_X_CLIENT_ID" in page.text and "BEDSIDE_X_CLIENT_SECRET" in page.text
    assert "/studio/oauth/x/callback/" in page.text
    assert "Sign in with X" not in page.text
    response = client.get(
        reverse("syndication_connect_start", kwargs={"slug": practice.slug, "provider": "x"}),
        follow=True,
    )
    assert (
        "until the operator sets BEDSIDE_X_CLIENT_ID and BEDSIDE_X_CLIENT_SECRET" in response.text
    )
    settings.X_CLIENT_ID = "x-client-id"
    settings.X_CLIENT_SECRET = "x-client-secret"
    page = client.get(
        reverse("syndication_connect", kwargs={"slug": practice.slug, "provider": "x"})
    )
    assert "Sign in with X" in page.text and "BEDSIDE_X_CLIENT_ID" not in page.text


def test_an_unknown_network_is_not_found(client, practice, owner, apps):
    client.force_login(owner)
    url = reverse("syndication_connect", kwargs={"slug": practice.slug, "provider": "myspace"})
    assert client.get(url).status_code == 404
    assert client.get(callback("myspace"), {"state": "s"}).status_code == 404


# --- LinkedIn ------------------------------------------------------------------------------


def linkedin_tokens():
    # learn.microsoft.com/linkedin: Authorization Code Flow, step 3's answer.
    return httpx.Response(
        200,
        json={
            "access_token": LI_ACCESS,
            "expires_in": 5183999,
            "refresh_token": LI_REFRESH,
            "refresh_token_expires_in": 31535999,
            "scope": "r_organization_social,rw_organization_admin,w_organization_social",
        },
    )


def linkedin_acls():
    return httpx.Response(
        200,
        json={
            "paging": {"count": 10, "start": 0},
            "elements": [
                {
                    "roleAssignee": "urn:li:person:Xy12",
                    "state": "APPROVED",
                    "role": "ADMINISTRATOR",
                    "organization": ORG,
                },
                {
                    "roleAssignee": "urn:li:person:Xy12",
                    "state": "APPROVED",
                    "role": "ANALYST",
                    "organization": "urn:li:organization:999",
                },
            ],
        },
    )


def org_page():
    return httpx.Response(
        200, json={"id": 2414183, "localizedName": "Riverside Family Health", "vanityName": "rfh"}
    )


def test_linkedin_connects_the_page_the_member_picks(client, practice, owner, apps, api):
    api.on("POST", "/oauth/v2/accessToken", linkedin_tokens())
    api.on("GET", "/rest/organizationAcls", linkedin_acls())
    api.on("GET", "/rest/organizations/2414183", org_page())
    client.force_login(owner)
    location, query = start(client, practice, "linkedin")
    assert (location.netloc, location.path) == ("www.linkedin.com", "/oauth/v2/authorization")
    assert query["scope"] == "w_organization_social r_organization_social rw_organization_admin"
    assert "code_challenge" not in query and query["client_id"] == "li-client-id"

    response = client.get(callback("linkedin"), {"code": "li-code", "state": query["state"]})
    pick_url = reverse(
        "syndication_connect_pick", kwargs={"slug": practice.slug, "provider": "linkedin"}
    )
    assert response["Location"] == pick_url
    (token_request,) = api.sent("POST", "/oauth/v2/accessToken")
    assert token_request.url.host == "www.linkedin.com"
    assert form(token_request) == {
        "grant_type": "authorization_code",
        "code": "li-code",
        "client_id": "li-client-id",
        "client_secret": "li-client-secret",
        "redirect_uri": query["redirect_uri"],
    }
    (acl_request,) = api.sent("GET", "/rest/organizationAcls")
    assert acl_request.headers["LinkedIn-Version"] and acl_request.headers["Authorization"] == (
        f"Bearer {LI_ACCESS}"
    )
    assert not Channel.objects.exists()

    page = client.get(pick_url).text
    assert "Riverside Family Health" in page
    assert "urn:li:organization:999" not in page  # an analyst cannot post for that one
    assert LI_ACCESS not in page and LI_REFRESH not in page

    refused = client.post(pick_url, {"organization": "urn:li:organization:999"})
    assert refused.status_code == 422 and not Channel.objects.exists()

    response = client.post(pick_url, {"organization": ORG})
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.network, channel.account_id, channel.handle) == (
        "linkedin",
        ORG,
        "Riverside Family Health",
    )
    assert channel.credentials["access_token"] == LI_ACCESS
    assert channel.credentials["refresh_token"] == LI_REFRESH
    assert channel.credentials["expires_at"] > 0
    # ``identify`` asked LinkedIn again before the channel was kept.
    assert len(api.sent("GET", "/rest/organizationAcls")) == 2
    event = AuditEvent.objects.get(action="channel.connect")
    assert LI_ACCESS not in str(event.detail)
    # The pick is used up.
    assert client.get(pick_url)["Location"].endswith("/channels/connect/linkedin/")


def test_linkedin_refusing_the_code_is_told(client, practice, owner, apps, api):
    api.on(
        "POST",
        "/oauth/v2/accessToken",
        httpx.Response(
            400,
            json={
                "error": "invalid_request",
                "error_description": "Unable to retrieve access token: authorization code not "
                "found",
            },
        ),
    )
    client.force_login(owner)
    _, query = start(client, practice, "linkedin")
    response = client.get(
        callback("linkedin"), {"code": "old", "state": query["state"]}, follow=True
    )
    assert "LinkedIn did not connect" in response.text and "invalid_request" in response.text
    assert api.sent("GET", "/rest/organizationAcls") == []


def test_linkedin_without_an_administered_page_says_so(client, practice, owner, apps, api):
    api.on("POST", "/oauth/v2/accessToken", linkedin_tokens())
    api.on("GET", "/rest/organizationAcls", httpx.Response(200, json={"elements": []}))
    client.force_login(owner)
    _, query = start(client, practice, "linkedin")
    response = client.get(callback("linkedin"), {"code": "c", "state": query["state"]}, follow=True)
    assert "administers no organization page" in response.text
    assert not Channel.objects.exists()


def test_the_pick_belongs_to_the_practice_that_signed_in(
    client, practice, other_practice, owner, apps, api
):
    api.on("POST", "/oauth/v2/accessToken", linkedin_tokens())
    api.on("GET", "/rest/organizationAcls", linkedin_acls())
    api.on("GET", "/rest/organizations/2414183", org_page())
    member(other_practice, Role.OWNER, user=owner)
    client.force_login(owner)
    _, query = start(client, practice, "linkedin")
    client.get(callback("linkedin"), {"code": "c", "state": query["state"]})
    other_pick = reverse(
        "syndication_connect_pick", kwargs={"slug": other_practice.slug, "provider": "linkedin"}
    )
    response = client.post(other_pick, {"organization": ORG})
    assert response.status_code == 302 and "/channels/connect/linkedin/" in response["Location"]
    assert not Channel.objects.exists()


def test_a_channel_linkedin_stopped_accepting_is_reconnected_through_the_same_flow(
    client, practice, owner, apps, api
):
    channel = ChannelFactory(
        practice=practice,
        network="linkedin",
        handle="Riverside Family Health",
        server_url="",
        account_id=ORG,
        status=ChannelStatus.NEEDS_RECONNECT,
        credentials={"access_token": "dead"},
    )
    x_channel = ChannelFactory(
        practice=practice,
        network="x",
        handle="@riversidefh",
        server_url="",
        account_id="2244994945",
        status=ChannelStatus.NEEDS_RECONNECT,
        credentials={"access_token": "dead"},
    )
    client.force_login(owner)
    page = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    connect_linkedin = reverse(
        "syndication_connect", kwargs={"slug": practice.slug, "provider": "linkedin"}
    )
    connect_x = reverse("syndication_connect", kwargs={"slug": practice.slug, "provider": "x"})
    assert f'href="{connect_linkedin}"' in page and f'href="{connect_x}"' in page
    assert "Riverside Family Health" in client.get(connect_linkedin).text

    api.on("POST", "/oauth/v2/accessToken", linkedin_tokens())
    api.on("GET", "/rest/organizationAcls", linkedin_acls())
    api.on("GET", "/rest/organizations/2414183", org_page())
    _, query = start(client, practice, "linkedin")
    client.get(callback("linkedin"), {"code": "c", "state": query["state"]})
    client.post(
        reverse("syndication_connect_pick", kwargs={"slug": practice.slug, "provider": "linkedin"}),
        {"organization": ORG},
    )
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.credentials["access_token"] == LI_ACCESS
    assert Channel.objects.count() == 2
    assert AuditEvent.objects.get(action="channel.connect").detail["reconnect"] is True
    x_channel.refresh_from_db()
    assert x_channel.status == ChannelStatus.NEEDS_RECONNECT


@pytest.mark.parametrize(
    ("network", "target"),
    [
        ("x", "/channels/connect/x/"),
        ("linkedin", "/channels/connect/linkedin/"),
        ("facebook", "/channels/connect/meta/"),
        ("instagram", "/channels/connect/meta/"),
        ("mastodon", '/channels/mastodon/" class="inline-form">'),  # a form sending its server
        ("bluesky", "#connect-bluesky"),
    ],
)
def test_each_channel_to_reconnect_links_to_its_networks_flow(
    client, practice, owner, network, target
):
    ChannelFactory(
        practice=practice,
        network=network,
        handle="riverside",
        status=ChannelStatus.NEEDS_RECONNECT,
        credentials={"access_token": "dead"},
    )
    ChannelFactory(practice=practice, network=network, handle="fine", account_id="other")
    client.force_login(owner)
    page = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    reconnects = [line for line in page.splitlines() if ">Reconnect<" in line]
    assert len(reconnects) == 1  # only the channel the network stopped accepting
    assert target in reconnects[0]
    # Those who may only read the page see no button.
    client.force_login(member(practice, Role.CLINICIAN))
    page = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    assert ">Reconnect<" not in page


def test_signed_out_visitors_are_sent_to_sign_in(client, practice, apps, api):
    kwargs = {"slug": practice.slug, "provider": "x"}
    for url in (
        reverse("syndication_connect", kwargs=kwargs),
        reverse("syndication_connect_start", kwargs=kwargs),
        reverse("syndication_connect_pick", kwargs={**kwargs, "provider": "linkedin"}),
        callback("x") + "?code=c&state=s",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api.requests == []
