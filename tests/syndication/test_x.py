"""Contract tests for the X adapter against API v2's documented requests and responses."""

import base64
import time

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
from bedside.syndication.adapters.x import X, weighted_length
from tests.syndication.fakes import FakeApi, body, form, jpeg, media, multipart

TOKEN = "x-user-token-secret"
URL = "https://bedside.example.org/p/riverside/posts/7/"
MARKED = f"{URL}?s=3lbxmpl2k2a2z"
adapter = X()


def account(**credentials):
    return Account(
        network="x",
        server_url="",
        account_id="2244994945",
        handle="@RiversideFH",
        credentials={"access_token": TOKEN, **credentials},
    )


def outgoing(**changes):
    values = {
        "key": "3lbxmpl2k2a2z",
        "title": "Flu clinic on Saturday",
        "text": "Walk in between 9 and 12, no booking needed.",
        "url": URL,
    }
    return Outgoing(**(values | changes))


def created(tweet_id="1861000000000000001"):
    return httpx.Response(201, json={"data": {"id": tweet_id, "text": "Flu clinic…"}})


def test_a_post_is_one_tweet_with_its_marked_link():
    api = FakeApi().on("POST", "/2/tweets", created())
    published = adapter.publish(outgoing(), account(), api.client())
    assert published.remote_id == "1861000000000000001"
    assert published.url == "https://x.com/RiversideFH/status/1861000000000000001"
    [request] = api.requests
    assert request.url.host == "api.x.com"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert body(request) == {
        "text": "Flu clinic on Saturday\n\nWalk in between 9 and 12, no booking needed.\n\n"
        + MARKED
    }


def test_pictures_are_uploaded_with_alt_text_then_attached(tmp_path):
    images = [media(jpeg(tmp_path, f"{i}.jpg"), alt_text=f"Picture {i}") for i in range(2)]
    api = FakeApi().on(
        "POST",
        "/2/media/upload",
        *[
            httpx.Response(
                200, json={"data": {"id": f"18600{i}", "media_key": f"3_18600{i}", "size": 100}}
            )
            for i in range(2)
        ],
    )
    api.on("POST", "/2/media/metadata", httpx.Response(200, json={"data": {"id": "x"}}))
    api.on("POST", "/2/tweets", created())
    adapter.publish(outgoing(images=images), account(), api.client())
    assert [path for _, path in api.calls()] == [
        "/2/media/upload",
        "/2/media/metadata",
        "/2/media/upload",
        "/2/media/metadata",
        "/2/tweets",
    ]
    upload = multipart(api.requests[0])
    assert upload["media"] == images[0].path.read_bytes()
    assert upload["media_category"] == "tweet_image"
    assert body(api.requests[1]) == {
        "id": "186000",
        "metadata": {"alt_text": {"text": "Picture 0"}},
    }
    assert body(api.requests[4])["media"] == {"media_ids": ["186000", "186001"]}


def test_an_earlier_attempt_is_found_by_its_expanded_link():
    timeline = {
        "data": [
            {
                "id": "1",
                "text": "Older https://t.co/abc",
                "entities": {"urls": [{"expanded_url": f"{URL}?s=other"}]},
            },
            {
                "id": "2",
                "text": "Flu clinic https://t.co/xyz",
                "entities": {"urls": [{"url": "https://t.co/xyz", "expanded_url": MARKED}]},
            },
        ],
        "meta": {"result_count": 2},
    }
    api = FakeApi().on("GET", "/2/users/2244994945/tweets", httpx.Response(200, json=timeline))
    found = adapter.find_existing(outgoing(), account(), api.client())
    assert found is not None and found.remote_id == "2"
    assert api.requests[0].url.params["tweet.fields"] == "entities,created_at"
    api = FakeApi().on(
        "GET", "/2/users/2244994945/tweets", httpx.Response(200, json={"meta": {"result_count": 0}})
    )
    assert adapter.find_existing(outgoing(), account(), api.client()) is None


def test_a_timeout_after_the_write_leaves_one_tweet_that_the_retry_finds():
    timeline: list[dict] = []

    def create_then_time_out(request):
        timeline.append({"id": "9", "text": "…", "entities": {"urls": [{"expanded_url": MARKED}]}})
        raise httpx.ReadTimeout("timed out", request=request)

    api = FakeApi().on("POST", "/2/tweets", create_then_time_out)
    api.on(
        "GET",
        "/2/users/2244994945/tweets",
        lambda request: httpx.Response(200, json={"data": timeline}),
    )
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), account(), api.client())
    assert not raised.value.permanent
    found = adapter.find_existing(outgoing(), account(), api.client())
    assert found is not None and found.remote_id == "9" and len(timeline) == 1


def test_a_429_waits_until_the_reset_time():
    reset = int(time.time()) + 120
    limited = httpx.Response(
        429,
        headers={
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
        json={
            "title": "Too Many Requests",
            "detail": "Too Many Requests",
            "type": "about:blank",
            "status": 429,
        },
    )
    api = FakeApi().on("POST", "/2/tweets", limited)
    with pytest.raises(RateLimited) as raised:
        adapter.publish(outgoing(), account(), api.client())
    assert 110 <= raised.value.retry_after <= 120
    assert not raised.value.permanent


UNAUTHORIZED = httpx.Response(
    401,
    json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
)


def test_a_401_without_a_refresh_token_asks_to_reconnect():
    api = FakeApi().on("POST", "/2/tweets", UNAUTHORIZED)
    with pytest.raises(AuthExpired) as raised:
        adapter.publish(outgoing(), account(), api.client())
    assert raised.value.permanent and TOKEN not in raised.value.reason
    assert len(api.requests) == 1


def test_a_401_refreshes_the_token_once_and_retries():
    api = FakeApi().on("POST", "/2/tweets", UNAUTHORIZED, created())
    api.on(
        "POST",
        "/2/oauth2/token",
        httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": "new-access",
                "scope": "tweet.write users.read tweet.read offline.access",
                "refresh_token": "new-refresh",
            },
        ),
    )
    channel = account(refresh_token="old-refresh", client_id="cid", client_secret="csecret")
    adapter.publish(outgoing(), channel, api.client())
    assert [path for _, path in api.calls()] == ["/2/tweets", "/2/oauth2/token", "/2/tweets"]
    token_request = api.requests[1]
    assert form(token_request) == {
        "grant_type": "refresh_token",
        "refresh_token": "old-refresh",
        "client_id": "cid",
    }
    assert (
        token_request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"cid:csecret").decode()
    )
    assert api.requests[2].headers["Authorization"] == "Bearer new-access"
    assert channel.credentials["access_token"] == "new-access"
    assert channel.credentials["refresh_token"] == "new-refresh"


def test_a_refused_refresh_asks_to_reconnect_and_a_second_401_is_not_refreshed_again():
    api = FakeApi().on("POST", "/2/tweets", UNAUTHORIZED)
    api.on("POST", "/2/oauth2/token", httpx.Response(400, json={"error": "invalid_request"}))
    with pytest.raises(AuthExpired):
        adapter.publish(outgoing(), account(refresh_token="r", client_id="cid"), api.client())
    api = FakeApi().on("POST", "/2/tweets", UNAUTHORIZED)
    api.on(
        "POST",
        "/2/oauth2/token",
        httpx.Response(200, json={"access_token": "a2", "refresh_token": "r2"}),
    )
    with pytest.raises(AuthExpired):
        adapter.publish(outgoing(), account(refresh_token="r", client_id="cid"), api.client())
    assert [path for _, path in api.calls()] == ["/2/tweets", "/2/oauth2/token", "/2/tweets"]


def test_a_duplicate_is_refused_permanently_with_xs_words():
    duplicate = httpx.Response(
        403,
        json={
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
    )
    api = FakeApi().on("POST", "/2/tweets", duplicate)
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), account(), api.client())
    assert raised.value.permanent and "duplicate content" in raised.value.reason


def test_delete_is_idempotent():
    api = FakeApi().on(
        "DELETE", "/2/tweets/9", httpx.Response(200, json={"data": {"deleted": True}})
    )
    adapter.delete("9", account(), api.client())
    assert api.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    api = FakeApi().on(
        "DELETE", "/2/tweets/9", httpx.Response(404, json={"title": "Not Found Error"})
    )
    adapter.delete("9", account(), api.client())
    api = FakeApi().on("DELETE", "/2/tweets/9", httpx.Response(503))
    with pytest.raises(NetworkError) as raised:
        adapter.delete("9", account(), api.client())
    assert not raised.value.permanent


def test_counts_come_from_public_metrics():
    metrics = {
        "data": {
            "id": "9",
            "text": "…",
            "public_metrics": {
                "retweet_count": 3,
                "reply_count": 2,
                "like_count": 40,
                "quote_count": 1,
                "bookmark_count": 5,
                "impression_count": 900,
            },
        }
    }
    api = FakeApi().on("GET", "/2/tweets/9", httpx.Response(200, json=metrics))
    counts = adapter.fetch_counts("9", account(), api.client())
    assert (counts.likes, counts.shares, counts.replies) == (40, 4, 2)
    assert api.requests[0].url.params["tweet.fields"] == "public_metrics"


def test_replies_come_from_a_conversation_search():
    found = {
        "data": [
            {
                "id": "11",
                "text": "@RiversideFH see you there",
                "author_id": "77",
                "created_at": "2026-11-21T10:00:00.000Z",
                "conversation_id": "9",
            },
            {
                "id": "12",
                "text": "Is it free?",
                "author_id": "78",
                "created_at": "2026-11-21T11:00:00.000Z",
                "conversation_id": "9",
            },
        ],
        "includes": {"users": [{"id": "77", "name": "Sam", "username": "samlee"}]},
        "meta": {"result_count": 2},
    }
    api = FakeApi().on("GET", "/2/tweets/search/recent", httpx.Response(200, json=found))
    replies = adapter.fetch_replies("9", account(), api.client())
    assert [(r.author, r.text) for r in replies] == [
        ("@samlee", "@RiversideFH see you there"),
        ("An X user", "Is it free?"),
    ]
    params = api.requests[0].url.params
    assert params["query"] == "conversation_id:9" and params["expansions"] == "author_id"


def test_the_preview_counts_as_x_counts(tmp_path):
    preview = adapter.preview(outgoing(text="word " * 200), account())
    assert not preview.blocking and preview.length <= 280
    assert preview.text.endswith(MARKED)
    assert adapter.preview(outgoing(title="健" * 150), account()).blocking
    assert not adapter.preview(outgoing(title="a" * 250), account()).blocking


def test_the_preview_catches_pictures_x_refuses(tmp_path):
    path = jpeg(tmp_path)
    problems = adapter.preview(
        outgoing(images=[media(path, size=6_000_000), media(path, alt_text="")]), account()
    )
    assert [p.message for p in problems.blocking] == [
        "Image 1 is 6.0 MB; X takes pictures up to 5 MB.",
        "Image 2 has no alt text.",
    ]
    five = adapter.preview(outgoing(images=[media(path)] * 5), account())
    assert not five.blocking and len(five.images) == 4


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("日本語", 6),
        ("café", 4),
        ("👍", 2),
        ("👨‍👩‍👧‍👦", 2),
        ("🇺🇸", 2),
        ("Visit https://bedside.example.org/p/riverside/posts/123456789/ now", 33),
        ("see riverside.health/flu.", 4 + 23 + 1),
        ("x" * 280, 280),
        ("€", 2),
        ("https://a.org/x…", 25),  # U+2026 lies outside the light ranges
        ('"https://a.org/x"', 25),
        ("—", 1),
    ],
)
def test_weighted_length_follows_twitter_text(text, length):
    assert weighted_length(text) == length


@given(st.text(alphabet="abcdefghij ", max_size=300))
def test_plain_latin_text_counts_one_per_character(text):
    assert weighted_length(text) == len(text)


@given(st.text(alphabet="健康診療所", max_size=200))
def test_cjk_counts_two_per_character(text):
    assert weighted_length(text) == 2 * len(text)


@given(st.from_regex(r"https://[a-z]{1,30}\.org/[a-z0-9/]{0,200}", fullmatch=True))
def test_any_link_counts_23(url):
    assert weighted_length(url) == 23
    assert weighted_length(f"ab {url} cd") == 29


def test_connecting_names_the_tokens_account():
    me = {
        "data": {"id": "2244994945", "name": "Riverside Family Health", "username": "RiversideFH"}
    }
    api = FakeApi().on("GET", "/2/users/me", httpx.Response(200, json=me))
    identity = X.identify({"access_token": TOKEN}, api.client())
    assert identity == {"account_id": "2244994945", "handle": "@RiversideFH"}
    assert api.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    api = FakeApi().on("GET", "/2/users/me", UNAUTHORIZED)
    with pytest.raises(AuthExpired):
        X.identify({"access_token": TOKEN}, api.client())
