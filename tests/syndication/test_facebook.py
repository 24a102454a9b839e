"""Contract tests for the Facebook Page adapter against Graph API's documented shapes."""

import httpx
import pytest

from bedside.syndication.adapters.base import (
    Account,
    AuthExpired,
    NetworkError,
    Outgoing,
    RateLimited,
)
from bedside.syndication.adapters.facebook import FacebookPage
from tests.syndication.fakes import FakeApi, form, graph_error, jpeg, media, multipart

TOKEN = "EAAB-page-token-secret"
PAGE = "/v23.0/104912345"
ACCOUNT = Account(
    network="facebook",
    server_url="",
    account_id="104912345",
    handle="Riverside Family Health",
    credentials={"access_token": TOKEN},
)
URL = "https://bedside.example.org/p/riverside/posts/7/"
MARKED = f"{URL}?s=3lbxmpl2k2a2z"


def outgoing(**changes):
    values = {
        "key": "3lbxmpl2k2a2z",
        "title": "Flu clinic on Saturday",
        "text": "Walk in between 9 and 12, no booking needed.",
        "url": URL,
    }
    return Outgoing(**(values | changes))


adapter = FacebookPage()


def test_a_text_post_goes_to_the_page_feed_with_its_marked_link():
    api = FakeApi().on("POST", f"{PAGE}/feed", httpx.Response(200, json={"id": "104912345_771"}))
    published = adapter.publish(outgoing(), ACCOUNT, api.client())
    assert published.remote_id == "104912345_771"
    assert published.url == "https://www.facebook.com/104912345_771"
    [request] = api.requests
    assert request.url.host == "graph.facebook.com"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)
    sent = form(request)
    assert sent["link"] == MARKED
    assert sent["message"] == (
        f"Flu clinic on Saturday\n\nWalk in between 9 and 12, no booking needed.\n\n{MARKED}"
    )


def test_one_picture_is_uploaded_with_its_caption_and_alt_text(tmp_path):
    photo = jpeg(tmp_path)
    api = FakeApi().on(
        "POST",
        f"{PAGE}/photos",
        httpx.Response(200, json={"id": "881", "post_id": "104912345_882"}),
    )
    published = adapter.publish(outgoing(images=[media(photo)]), ACCOUNT, api.client())
    assert published.remote_id == "104912345_882"
    [request] = api.requests
    fields = multipart(request)
    assert fields["source"] == photo.read_bytes()
    assert fields["caption"].endswith(MARKED)
    assert fields["alt_text_custom"] == "Two nurses at the flu clinic desk"
    assert fields["published"] == "true"


def test_several_pictures_are_uploaded_unpublished_then_attached_to_one_post(tmp_path):
    images = [media(jpeg(tmp_path, f"p{i}.jpg"), alt_text=f"Picture {i}") for i in range(3)]
    api = FakeApi().on(
        "POST",
        f"{PAGE}/photos",
        *[httpx.Response(200, json={"id": f"90{i}"}) for i in range(3)],
    )
    api.on("POST", f"{PAGE}/feed", httpx.Response(200, json={"id": "104912345_990"}))
    published = adapter.publish(outgoing(images=images), ACCOUNT, api.client())
    assert published.remote_id == "104912345_990"
    uploads = api.sent("POST", f"{PAGE}/photos")
    assert [multipart(r)["published"] for r in uploads] == ["false"] * 3
    assert [multipart(r)["alt_text_custom"] for r in uploads] == [
        "Picture 0",
        "Picture 1",
        "Picture 2",
    ]
    [post] = api.sent("POST", f"{PAGE}/feed")
    sent = form(post)
    assert sent["attached_media[0]"] == '{"media_fbid": "900"}'
    assert sent["attached_media[2]"] == '{"media_fbid": "902"}'
    assert "link" not in sent
    assert sent["message"].endswith(MARKED)


def test_an_earlier_attempt_is_found_by_its_marker_among_the_newest_posts():
    feed = {
        "data": [
            {"id": "104912345_1", "message": f"Other news {URL}?s=otherkey00000"},
            {
                "id": "104912345_2",
                "message": f"Flu clinic\n\n{MARKED}",
                "permalink_url": "https://www.facebook.com/riverside/posts/2",
            },
        ]
    }
    api = FakeApi().on("GET", f"{PAGE}/feed", httpx.Response(200, json=feed))
    found = adapter.find_existing(outgoing(), ACCOUNT, api.client())
    assert found is not None and found.remote_id == "104912345_2"
    assert found.url == "https://www.facebook.com/riverside/posts/2"
    assert api.requests[0].url.params["fields"] == "id,message,permalink_url"
    api = FakeApi().on("GET", f"{PAGE}/feed", httpx.Response(200, json={"data": feed["data"][:1]}))
    assert adapter.find_existing(outgoing(), ACCOUNT, api.client()) is None


def test_a_timeout_after_the_write_leaves_one_post_that_the_retry_finds():
    page_posts: list[dict] = []

    def create_then_time_out(request):
        page_posts.append({"id": "104912345_5", "message": form(request)["message"]})
        raise httpx.ReadTimeout("timed out", request=request)

    api = FakeApi().on("POST", f"{PAGE}/feed", create_then_time_out)
    api.on("GET", f"{PAGE}/feed", lambda request: httpx.Response(200, json={"data": page_posts}))
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert not raised.value.permanent
    found = adapter.find_existing(outgoing(), ACCOUNT, api.client())
    assert found is not None and found.remote_id == "104912345_5"
    assert len(page_posts) == 1


def test_delete_is_idempotent():
    api = FakeApi().on("DELETE", "/v23.0/104912345_5", httpx.Response(200, json={"success": True}))
    adapter.delete("104912345_5", ACCOUNT, api.client())
    assert api.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"
    gone = graph_error(100, "Unsupported delete request. Object does not exist", subcode=33)
    api = FakeApi().on("DELETE", "/v23.0/104912345_5", gone)
    adapter.delete("104912345_5", ACCOUNT, api.client())
    api = FakeApi().on("DELETE", "/v23.0/104912345_5", httpx.Response(404))
    adapter.delete("104912345_5", ACCOUNT, api.client())


def test_an_expired_token_asks_the_practice_to_reconnect_without_showing_it():
    expired = graph_error(190, "Error validating access token: Session has expired", subcode=463)
    api = FakeApi().on("POST", f"{PAGE}/feed", expired)
    with pytest.raises(AuthExpired) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert raised.value.permanent
    assert "reconnect" in raised.value.reason
    assert TOKEN not in raised.value.reason
    assert raised.value.detail["fbtrace_id"] == "AbCdEfGh123"
    api = FakeApi().on("DELETE", "/v23.0/104912345_5", expired)
    with pytest.raises(AuthExpired):
        adapter.delete("104912345_5", ACCOUNT, api.client())


def test_a_rate_limit_waits_as_long_as_the_business_use_case_header_says():
    limited = graph_error(32, "Page request limit reached")
    limited.headers["X-Business-Use-Case-Usage"] = (
        '{"104912345": [{"type": "pages", "call_count": 100, "total_cputime": 40, '
        '"total_time": 35, "estimated_time_to_regain_access": 7}]}'
    )
    api = FakeApi().on("POST", f"{PAGE}/feed", limited)
    with pytest.raises(RateLimited) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert raised.value.retry_after == 7 * 60
    assert not raised.value.permanent


@pytest.mark.parametrize("code", [4, 17, 613])
def test_other_rate_limit_codes_wait_a_default_while(code):
    limited = graph_error(code, "Application request limit reached")
    limited.headers["X-App-Usage"] = '{"call_count": 100, "total_cputime": 10, "total_time": 12}'
    api = FakeApi().on("GET", "/v23.0/104912345_5", limited)
    with pytest.raises(RateLimited) as raised:
        adapter.fetch_counts("104912345_5", ACCOUNT, api.client())
    assert raised.value.retry_after == 900


def test_a_server_error_is_retried_and_a_refusal_is_not():
    api = FakeApi().on(
        "POST", f"{PAGE}/feed", graph_error(2, "Service temporarily unavailable", status=500)
    )
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert not raised.value.permanent
    api = FakeApi().on("POST", f"{PAGE}/feed", graph_error(100, "Invalid parameter"))
    with pytest.raises(NetworkError) as raised:
        adapter.publish(outgoing(), ACCOUNT, api.client())
    assert raised.value.permanent and "Invalid parameter" in raised.value.reason


def test_counts_read_reactions_shares_and_comments():
    counts = {
        "id": "104912345_5",
        "reactions": {"data": [], "summary": {"total_count": 12, "viewer_reaction": "NONE"}},
        "comments": {
            "data": [],
            "summary": {"order": "ranked", "total_count": 3, "can_comment": True},
        },
        "shares": {"count": 4},
    }
    api = FakeApi().on("GET", "/v23.0/104912345_5", httpx.Response(200, json=counts))
    result = adapter.fetch_counts("104912345_5", ACCOUNT, api.client())
    assert (result.likes, result.shares, result.replies) == (12, 4, 3)
    assert "reactions.summary(total_count)" in api.requests[0].url.params["fields"]
    api = FakeApi().on("GET", "/v23.0/104912345_5", httpx.Response(200, json={"id": "104912345_5"}))
    result = adapter.fetch_counts("104912345_5", ACCOUNT, api.client())
    assert (result.likes, result.shares, result.replies) == (0, 0, 0)


def test_replies_are_the_posts_comments():
    comments = {
        "data": [
            {
                "id": "771_1",
                "message": "Thank you, see you Saturday!",
                "from": {"name": "Sam Lee", "id": "55"},
                "created_time": "2026-11-20T14:03:11+0000",
                "permalink_url": "https://www.facebook.com/771_1",
            },
            {
                "id": "771_2",
                "message": "Is parking free?",
                "created_time": "2026-11-20T15:00:00+0000",
            },
        ],
        "paging": {"cursors": {"before": "x", "after": "y"}},
    }
    api = FakeApi().on("GET", "/v23.0/104912345_5/comments", httpx.Response(200, json=comments))
    replies = adapter.fetch_replies("104912345_5", ACCOUNT, api.client())
    assert [(r.author, r.text) for r in replies] == [
        ("Sam Lee", "Thank you, see you Saturday!"),
        ("A Facebook user", "Is parking free?"),
    ]
    assert replies[0].created_at.isoformat() == "2026-11-20T14:03:11+00:00"


def test_the_preview_catches_what_facebook_would_refuse(tmp_path):
    big = media(jpeg(tmp_path), size=5_000_000)
    no_alt = media(jpeg(tmp_path, "b.jpg"), alt_text="")
    preview = adapter.preview(outgoing(images=[big, no_alt]), ACCOUNT)
    messages = [problem.message for problem in preview.blocking]
    assert messages == [
        "Image 1 is 5.0 MB; Facebook takes pictures up to 4 MB.",
        "Image 2 has no alt text.",
    ]
    too_long = adapter.preview(outgoing(title="x" * 63_300), ACCOUNT)
    assert too_long.blocking and "Too long" in too_long.blocking[0].message
    eleven = [media(jpeg(tmp_path, f"{i}.jpg")) for i in range(11)]
    preview = adapter.preview(outgoing(images=eleven), ACCOUNT)
    assert not preview.blocking and len(preview.images) == 10
    with pytest.raises(NetworkError):
        adapter.publish(outgoing(images=[big]), ACCOUNT, FakeApi().client())


def test_a_long_body_is_shortened_and_keeps_the_link():
    preview = adapter.preview(outgoing(text="word " * 20_000), ACCOUNT)
    assert not preview.blocking and preview.length <= 63_206
    assert preview.text.endswith(MARKED)


def test_connecting_names_the_page_a_page_token_speaks_for():
    page = {"id": "104912345", "name": "Riverside Family Health", "category": "Medical Center"}
    api = FakeApi().on("GET", "/v23.0/me", httpx.Response(200, json=page))
    identity = FacebookPage.identify(TOKEN, api.client())
    assert identity == {"account_id": "104912345", "handle": "Riverside Family Health"}
    [request] = api.requests
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.url.params["fields"] == "id,name,category"


def test_connecting_refuses_a_persons_token():
    person = graph_error(
        100, "(#100) Tried accessing nonexisting field (category) on node type (User)"
    )
    api = FakeApi().on("GET", "/v23.0/me", person)
    with pytest.raises(NetworkError) as raised:
        FacebookPage.identify(TOKEN, api.client())
    assert raised.value.permanent and "Page access token" in raised.value.reason
    api = FakeApi().on("GET", "/v23.0/me", graph_error(190, "Invalid OAuth access token."))
    with pytest.raises(AuthExpired):
        FacebookPage.identify(TOKEN, api.client())
