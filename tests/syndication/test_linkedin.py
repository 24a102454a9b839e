"""Contract tests for the LinkedIn adapter against the versioned Posts API."""

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.syndication.adapters.base import (
    Account,
    AuthExpired,
    NetworkError,
    Outgoing,
    RateLimited,
)
from bedside.syndication.adapters.linkedin import VERSION, LinkedIn, escape
from tests.syndication.fakes import FakeApi, body, jpeg, media

TOKEN = "li-token-secret"
ORG = "urn:li:organization:5515715"
ENCODED_ORG = "urn%3Ali%3Aorganization%3A5515715"
SHARE = "urn:li:share:7254000000000000001"
ENCODED_SHARE = "urn%3Ali%3Ashare%3A7254000000000000001"
ACCOUNT = Account(
    network="linkedin",
    server_url="",
    account_id="5515715",
    handle="Riverside Family Health",
    credentials={"access_token": TOKEN},
)
URL = "https://bedside.example.org/p/riverside/posts/7/"
MARKED = f"{URL}?s=3lbxmpl2k2a2z"
adapter = LinkedIn()


def outgoing(**changes):
    values = {
        "key": "3lbxmpl2k2a2z",
        "title": "Flu clinic on Saturday",
        "text": "Walk in between 9 and 12 (no booking needed).",
        "url": URL,
    }
    return Outgoing(**(values | changes))


def created():
    return httpx.Response(201, headers={"x-restli-id": SHARE})


def assert_linkedin_headers(request):
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["LinkedIn-Version"] == VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"


def test_a_post_without_pictures_is_an_article_card_from_the_organization():
    api = FakeApi().on("POST", "/rest/posts", created())
    published = adapter.publish(outgoing(), ACCOUNT, api.client())
    assert published.remote_id == SHARE
    assert published.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    [request] = api.requests
    assert request.url.host == "api.linkedin.com"
    assert_linkedin_headers(request)
    assert body(request) == {
        "author": ORG,
        "commentary": (
            "Flu clinic on Saturday\n\nWalk in between 9 and 12 \\(no booking needed\\).\n\n"
            f"{MARKED}"
        ),
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        "content": {
            "article": {
                "source": MARKED,
                "title": "Flu clinic on Saturday",
                "description": "Walk in between 9 and 12 (no booking needed).",
            }
        },
    }


def initialized(n):
    return httpx.Response(
        200,
        json={
            "value": {
                "uploadUrlExpiresAt": 1765000000000,
                "uploadUrl": f"https://www.linkedin.com/dms-uploads/sp/D4E10AQ{n}/uploaded-image/0",
                "image": f"urn:li:image:D4E10AQ{n}",
            }
        },
    )


def test_pictures_are_initialized_put_and_attached(tmp_path):
    images = [media(jpeg(tmp_path, f"{i}.jpg"), alt_text=f"Picture {i}") for i in range(2)]
    api = FakeApi().on("POST", "/rest/images", initialized(0), initialized(1))
    for n in range(2):
        api.on("PUT", f"/dms-uploads/sp/D4E10AQ{n}/uploaded-image/0", httpx.Response(201))
    api.on("POST", "/rest/posts", created())
    adapter.publish(outgoing(images=images), ACCOUNT, api.client())
    init = api.sent("POST", "/rest/images")
    assert init[0].url.params["action"] == "initializeUpload"
    assert body(init[0]) == {"initializeUploadRequest": {"owner": ORG}}
    assert_linkedin_headers(init[0])
    put = api.sent("PUT", "/dms-uploads/sp/D4E10AQ0/uploaded-image/0")[0]
    assert put.content == images[0].path.read_bytes()
    assert put.headers["Authorization"] == f"Bearer {TOKEN}"
    post = body(api.sent("POST", "/rest/posts")[0])
    assert post["content"] == {
        "multiImage": {
            "images": [
                {"id": "urn:li:image:D4E10AQ0", "altText": "Picture 0"},
                {"id": "urn:li:image:D4E10AQ1", "altText": "Picture 1"},
            ]
        }
    }
    assert post["commentary"].endswith(MARKED)


def test_one_picture_is_a_media_post(tmp_path):
    api = FakeApi().on("POST", "/rest/images", initialized(7))
    api.on("PUT", "/dms-uploads/sp/D4E10AQ7/uploaded-image/0", httpx.Response(201))
    api.on("POST", "/rest/posts", created())
    adapter.publish(outgoing(images=[media(jpeg(tmp_path))]), ACCOUNT, api.client())
    content = body(api.sent("POST", "/rest/posts")[0])["content"]
    assert content == {
        "media": {"id": "urn:li:image:D4E10AQ7", "altText": "Two nurses at the flu clinic desk"}
    }


def test_the_token_never_goes_to_an_upload_address_outside_linkedin(tmp_path):
    elsewhere = httpx.Response(
        200,
        json={
            "value": {
                "uploadUrl": "https://uploads.example.net/steal",
                "image": "urn:li:image:X",
            }
        },
    )
    api = FakeApi().on("POST", "/rest/images", elsewhere)
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(images=[media(jpeg(tmp_path))]), ACCOUNT, api.client())
    assert raised.value.permanent
    assert [request.url.host for request in api.requests] == ["api.linkedin.com"]


def test_an_earlier_attempt_is_found_among_the_organizations_posts():
    posts = {
        "elements": [
            {
                "id": "urn:li:share:1",
                "commentary": "Older",
                "content": {"article": {"source": f"{URL}?s=zzz"}},
            },
            {"id": SHARE, "commentary": "Flu clinic", "content": {"article": {"source": MARKED}}},
        ],
        "paging": {"start": 0, "count": 20, "links": []},
    }
    api = FakeApi().on("GET", "/rest/posts", httpx.Response(200, json=posts))
    found = adapter.find_existing(outgoing(), ACCOUNT, api.client())
    assert found is not None and found.remote_id == SHARE
    [request] = api.requests
    assert_linkedin_headers(request)
    assert request.headers["X-RestLi-Method"] == "FINDER"
    assert f"author={ENCODED_ORG}" in request.url.query.decode()
    assert request.url.params["q"] == "author"
    api = FakeApi().on("GET", "/rest/posts", httpx.Response(200, json={"elements": []}))
    assert adapter.find_existing(outgoing(), ACCOUNT, api.client()) is None


def test_a_timeout_after_the_write_leaves_one_post_that_the_retry_finds():
    organization_posts: list[dict] = []

    def create_then_time_out(request):
        organization_posts.append({"id": SHARE, "commentary": body(request)["commentary"]})
        raise httpx.ReadTimeout("timed out", request=request)

    api = FakeApi().on("POST", "/rest/posts", create_then_time_out)
    api.on(
        "GET",
        "/rest/posts",
        lambda request: httpx.Response(200, json={"elements": organization_posts}),
    )
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert not raised.value.permanent
    found = adapter.find_existing(outgoing(), ACCOUNT, api.client())
    assert found is not None and found.remote_id == SHARE and len(organization_posts) == 1


def test_a_duplicate_refusal_names_the_post_already_there():
    duplicate = httpx.Response(
        422,
        json={
            "message": f"ERROR :: /commentary :: Content is a duplicate of {SHARE}",
            "status": 422,
        },
    )
    api = FakeApi().on("POST", "/rest/posts", duplicate)
    published = adapter.publish(outgoing(), ACCOUNT, api.client())
    assert published.remote_id == SHARE


def test_delete_is_idempotent():
    api = FakeApi().on("DELETE", f"/rest/posts/{SHARE}", httpx.Response(204))
    adapter.delete(SHARE, ACCOUNT, api.client())
    [request] = api.requests
    assert request.url.raw_path.decode() == f"/rest/posts/{ENCODED_SHARE}"
    assert request.headers["X-RestLi-Method"] == "DELETE"
    assert_linkedin_headers(request)
    api = FakeApi().on("DELETE", f"/rest/posts/{SHARE}", httpx.Response(404, json={"status": 404}))
    adapter.delete(SHARE, ACCOUNT, api.client())


def test_a_revoked_token_asks_to_reconnect():
    revoked = httpx.Response(
        401,
        json={
            "status": 401,
            "serviceErrorCode": 65601,
            "code": "REVOKED_ACCESS_TOKEN",
            "message": "The token used in the request has been revoked by the user",
        },
    )
    api = FakeApi().on("POST", "/rest/posts", revoked)
    with pytest.raises(AuthExpired) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert raised.value.permanent and raised.value.detail["code"] == "REVOKED_ACCESS_TOKEN"
    assert TOKEN not in raised.value.reason


def test_a_429_honours_retry_after_or_waits_for_the_daily_reset():
    limited = httpx.Response(
        429,
        headers={"Retry-After": "90"},
        json={"status": 429, "message": "Resource level throttle"},
    )
    api = FakeApi().on("POST", "/rest/posts", limited)
    with pytest.raises(RateLimited) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert raised.value.retry_after == 90
    api = FakeApi().on(
        "GET", f"/rest/socialActions/{SHARE}", httpx.Response(429, json={"status": 429})
    )
    with pytest.raises(RateLimited) as raised:
        adapter.fetch_counts(SHARE, ACCOUNT, api.client())
    assert 60 <= raised.value.retry_after <= 86_400


def test_a_refusal_is_permanent_and_a_server_error_is_not():
    api = FakeApi().on(
        "POST",
        "/rest/posts",
        httpx.Response(
            403,
            json={
                "status": 403,
                "serviceErrorCode": 100,
                "code": "ACCESS_DENIED",
                "message": "Not enough permissions to access: partnerApiPostsExternal.CREATE",
            },
        ),
    )
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert raised.value.permanent and "Not enough permissions" in raised.value.reason
    api = FakeApi().on("POST", "/rest/posts", httpx.Response(503))
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert not raised.value.permanent


def test_counts_and_comments_come_from_social_actions():
    actions = {
        "likesSummary": {"totalLikes": 14, "likedByCurrentUser": False},
        "commentsSummary": {"aggregatedTotalComments": 3, "totalFirstLevelComments": 2},
        "target": SHARE,
    }
    api = FakeApi().on("GET", f"/rest/socialActions/{SHARE}", httpx.Response(200, json=actions))
    counts = adapter.fetch_counts(SHARE, ACCOUNT, api.client())
    assert (counts.likes, counts.shares, counts.replies) == (14, 0, 3)
    assert api.requests[0].url.raw_path.decode() == f"/rest/socialActions/{ENCODED_SHARE}"
    comments = {
        "elements": [
            {
                "actor": "urn:li:person:abc",
                "created": {"actor": "urn:li:person:abc", "time": 1763719200000},
                "message": {"text": "Great initiative"},
                "id": "7255",
                "$URN": f"urn:li:comment:({SHARE},7255)",
            },
            {
                "actor": ORG,
                "created": {"time": 1763722800000},
                "message": {"text": "Thank you!"},
                "id": "7256",
            },
        ]
    }
    api = FakeApi().on(
        "GET", f"/rest/socialActions/{SHARE}/comments", httpx.Response(200, json=comments)
    )
    replies = adapter.fetch_replies(SHARE, ACCOUNT, api.client())
    assert [(r.author, r.text) for r in replies] == [
        ("A LinkedIn member", "Great initiative"),
        ("This organization", "Thank you!"),
    ]
    assert replies[0].remote_id == f"urn:li:comment:({SHARE},7255)"
    assert replies[0].created_at.year == 2025


def test_the_preview_catches_what_linkedin_would_refuse(tmp_path):
    path = jpeg(tmp_path)
    preview = adapter.preview(
        outgoing(
            images=[
                media(path, size=11_000_000),
                media(path, alt_text=""),
                media(path, width=8000, height=6000),
            ]
        ),
        ACCOUNT,
    )
    assert [p.message for p in preview.blocking] == [
        "Image 1 is 11.0 MB; LinkedIn gets pictures up to 10 MB from Bedside.",
        "Image 2 has no alt text.",
        "Image 3 has more pixels than LinkedIn takes (36 million).",
    ]
    assert "Too long" in adapter.preview(outgoing(title="x" * 3_100), ACCOUNT).blocking[0].message
    shortened = adapter.preview(outgoing(text="word " * 1_000), ACCOUNT)
    assert not shortened.blocking and shortened.length <= 3_000


RESERVED = set("\\|{}@[]()<>#*_~")


@given(st.text(max_size=200))
def test_escaping_puts_a_backslash_before_each_reserved_character_and_nothing_else(text):
    escaped = escape(text)
    out, i = [], 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in RESERVED
            out.append(escaped[i + 1])
            i += 2
        else:
            assert escaped[i] not in RESERVED
            out.append(escaped[i])
            i += 1
    assert "".join(out) == text


def acls(*pairs):
    elements = [
        {"organization": org, "role": role, "state": "APPROVED", "roleAssignee": "urn:li:person:me"}
        for org, role in pairs
    ]
    return httpx.Response(200, json={"elements": elements, "paging": {"count": 10, "start": 0}})


def test_connecting_checks_the_member_administers_the_organization():
    api = FakeApi().on("GET", "/rest/organizationAcls", acls((ORG, "ADMINISTRATOR")))
    api.on(
        "GET",
        "/rest/organizations/5515715",
        httpx.Response(200, json={"id": 5515715, "localizedName": "Riverside Family Health"}),
    )
    identity = LinkedIn.identify(TOKEN, "5515715", api.client())
    assert identity == {"account_id": ORG, "handle": "Riverside Family Health"}
    acl_request = api.requests[0]
    assert_linkedin_headers(acl_request)
    assert acl_request.url.params["q"] == "roleAssignee"
    assert acl_request.url.params["state"] == "APPROVED"


def test_connecting_refuses_a_member_who_cannot_post_for_the_page():
    api = FakeApi().on(
        "GET",
        "/rest/organizationAcls",
        acls((ORG, "ANALYST"), ("urn:li:organization:1", "ADMINISTRATOR")),
    )
    with pytest.raises(NetworkError) as raised:
        LinkedIn.identify(TOKEN, "5515715", api.client())
    assert raised.value.permanent and "not an administrator" in raised.value.reason
    assert len(api.requests) == 1
