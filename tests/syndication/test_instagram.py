"""Contract tests for the Instagram adapter against the Graph API's content publishing."""

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
from bedside.syndication.adapters.instagram import Instagram, hashtag_count, is_public_https
from tests.syndication.fakes import FakeApi, form, graph_error, jpeg, media

TOKEN = "EAAB-ig-token-secret"
USER = "/v23.0/17841400001"
ACCOUNT = Account(
    network="instagram",
    server_url="",
    account_id="17841400001",
    handle="riversidehealth",
    credentials={"access_token": TOKEN},
)
URL = "https://bedside.example.org/p/riverside/posts/7/"
MARKED = f"{URL}?s=3lbxmpl2k2a2z"
adapter = Instagram()


def outgoing(**changes):
    values = {
        "key": "3lbxmpl2k2a2z",
        "title": "Flu clinic on Saturday",
        "text": "Walk in between 9 and 12, no booking needed.",
        "url": URL,
    }
    return Outgoing(**(values | changes))


def test_one_picture_is_a_container_then_a_publish(tmp_path):
    image = media(jpeg(tmp_path))
    api = FakeApi().on("POST", f"{USER}/media", httpx.Response(200, json={"id": "1790001"}))
    api.on("POST", f"{USER}/media_publish", httpx.Response(200, json={"id": "1790009"}))
    api.on(
        "GET",
        "/v23.0/1790009",
        httpx.Response(
            200, json={"permalink": "https://www.instagram.com/p/Cx1/", "id": "1790009"}
        ),
    )
    published = adapter.publish(outgoing(images=[image]), ACCOUNT, api.client())
    assert (published.remote_id, published.url) == ("1790009", "https://www.instagram.com/p/Cx1/")
    assert api.calls() == [
        ("POST", f"{USER}/media"),
        ("POST", f"{USER}/media_publish"),
        ("GET", "/v23.0/1790009"),
    ]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in api.requests)
    container = form(api.requests[0])
    assert container["image_url"] == image.url
    assert container["alt_text"] == "Two nurses at the flu clinic desk"
    assert container["caption"].endswith(f"Read it all at {MARKED}")
    assert form(api.requests[1]) == {"creation_id": "1790001"}


def test_several_pictures_make_a_carousel(tmp_path):
    images = [media(jpeg(tmp_path, f"{i}.jpg"), alt_text=f"Picture {i}") for i in range(3)]
    api = FakeApi().on(
        "POST",
        f"{USER}/media",
        *[httpx.Response(200, json={"id": f"c{i}"}) for i in range(4)],
    )
    api.on("POST", f"{USER}/media_publish", httpx.Response(200, json={"id": "1790010"}))
    api.on(
        "GET",
        "/v23.0/1790010",
        httpx.Response(200, json={"permalink": "https://www.instagram.com/p/Cx2/"}),
    )
    adapter.publish(outgoing(images=images), ACCOUNT, api.client())
    containers = [form(r) for r in api.sent("POST", f"{USER}/media")]
    assert [c.get("is_carousel_item") for c in containers[:3]] == ["true"] * 3
    assert [c["alt_text"] for c in containers[:3]] == ["Picture 0", "Picture 1", "Picture 2"]
    assert containers[3]["media_type"] == "CAROUSEL"
    assert containers[3]["children"] == "c0,c1,c2"
    assert form(api.sent("POST", f"{USER}/media_publish")[0]) == {"creation_id": "c3"}


def test_an_unreadable_permalink_does_not_fail_a_published_post(tmp_path):
    api = FakeApi().on("POST", f"{USER}/media", httpx.Response(200, json={"id": "1"}))
    api.on("POST", f"{USER}/media_publish", httpx.Response(200, json={"id": "2"}))
    api.on("GET", "/v23.0/2", graph_error(2, "Service temporarily unavailable", status=500))
    published = adapter.publish(outgoing(images=[media(jpeg(tmp_path))]), ACCOUNT, api.client())
    assert (published.remote_id, published.url) == ("2", "")


def test_an_earlier_attempt_is_found_by_the_marker_in_its_caption():
    listing = {
        "data": [
            {"id": "10", "caption": "Older post", "permalink": "https://www.instagram.com/p/A/"},
            {
                "id": "11",
                "caption": f"Flu clinic\n\nRead it all at {MARKED}",
                "permalink": "https://www.instagram.com/p/B/",
            },
        ]
    }
    api = FakeApi().on("GET", f"{USER}/media", httpx.Response(200, json=listing))
    found = adapter.find_existing(outgoing(), ACCOUNT, api.client())
    assert found is not None and (found.remote_id, found.url) == (
        "11",
        "https://www.instagram.com/p/B/",
    )
    assert api.requests[0].url.params["fields"] == "id,caption,permalink,timestamp"


def test_a_timeout_at_publish_leaves_one_post_that_the_retry_finds(tmp_path):
    account_media: list[dict] = []

    def publish_then_time_out(request):
        account_media.append({"id": "77", "caption": captions[-1]})
        raise httpx.ReadTimeout("timed out", request=request)

    captions: list[str] = []

    def container(request):
        captions.append(form(request)["caption"])
        return httpx.Response(200, json={"id": "c1"})

    api = FakeApi().on("POST", f"{USER}/media", container)
    api.on("POST", f"{USER}/media_publish", publish_then_time_out)
    api.on(
        "GET", f"{USER}/media", lambda request: httpx.Response(200, json={"data": account_media})
    )
    post = outgoing(images=[media(jpeg(tmp_path))])
    with pytest.raises(NetworkError) as raised:
        adapter.publish(post, ACCOUNT, api.client())
    assert not raised.value.permanent
    found = adapter.find_existing(post, ACCOUNT, api.client())
    assert found is not None and found.remote_id == "77" and len(account_media) == 1


def test_delete_says_honestly_that_staff_must_remove_it_by_hand():
    api = FakeApi()
    with pytest.raises(NetworkError) as raised:
        adapter.delete("1790009", ACCOUNT, api.client())
    assert raised.value.permanent
    assert "remove it by hand on Instagram" in raised.value.reason
    assert api.requests == []


def test_errors_map_to_reconnect_rate_limit_and_not_ready(tmp_path):
    post = outgoing(images=[media(jpeg(tmp_path))])
    api = FakeApi().on("POST", f"{USER}/media", graph_error(190, "Error validating access token"))
    with pytest.raises(AuthExpired):
        adapter.publish(post, ACCOUNT, api.client())
    limited = graph_error(4, "Application request limit reached")
    limited.headers["X-Business-Use-Case-Usage"] = (
        '{"17841400001": [{"type": "instagram", "call_count": 100, '
        '"estimated_time_to_regain_access": 12}]}'
    )
    api = FakeApi().on("POST", f"{USER}/media", limited)
    with pytest.raises(RateLimited) as raised:
        adapter.publish(post, ACCOUNT, api.client())
    assert raised.value.retry_after == 720
    api = FakeApi().on("POST", f"{USER}/media", httpx.Response(200, json={"id": "c1"}))
    api.on(
        "POST",
        f"{USER}/media_publish",
        graph_error(9007, "Media ID is not available", subcode=2207027),
    )
    with pytest.raises(NetworkError) as raised:
        adapter.publish(post, ACCOUNT, api.client())
    assert not raised.value.permanent and "still processing" in raised.value.reason
    api.routes[("POST", f"{USER}/media_publish")] = [
        graph_error(9, "Application request limit reached", subcode=2207042)
    ]
    with pytest.raises(RateLimited) as raised:
        adapter.publish(post, ACCOUNT, api.client())
    assert raised.value.retry_after == 3600


def test_counts_and_replies():
    api = FakeApi().on(
        "GET",
        "/v23.0/1790009",
        httpx.Response(200, json={"like_count": 31, "comments_count": 2, "id": "1790009"}),
    )
    counts = adapter.fetch_counts("1790009", ACCOUNT, api.client())
    assert (counts.likes, counts.shares, counts.replies) == (31, 0, 2)
    assert api.requests[0].url.params["fields"] == "like_count,comments_count"
    comments = {
        "data": [
            {
                "id": "c9",
                "text": "Great news!",
                "username": "sunny.w",
                "timestamp": "2026-11-21T09:30:00+0000",
            }
        ]
    }
    api = FakeApi().on("GET", "/v23.0/1790009/comments", httpx.Response(200, json=comments))
    [reply] = adapter.fetch_replies("1790009", ACCOUNT, api.client())
    assert (reply.author, reply.text, reply.created_at.hour) == ("sunny.w", "Great news!", 9)


def blocking(post):
    return [problem.message for problem in adapter.preview(post, ACCOUNT).blocking]


def test_the_preview_requires_a_picture():
    assert blocking(outgoing()) == [
        "Instagram needs a picture: add at least one image to this post."
    ]


def test_the_preview_catches_pictures_instagram_refuses(tmp_path):
    path = jpeg(tmp_path)
    assert blocking(outgoing(images=[media(path, size=9_000_000)])) == [
        "Image 1 is 9.0 MB; Instagram takes pictures up to 8 MB."
    ]
    assert blocking(outgoing(images=[media(path, content_type="image/png")])) == [
        "Image 1 is not a JPEG; Instagram takes JPEG pictures only."
    ]
    assert blocking(outgoing(images=[media(path, alt_text="")])) == ["Image 1 has no alt text."]
    [message] = blocking(outgoing(images=[media(path, width=1000, height=200)]))
    assert "between 4:5 portrait and 1.91:1 landscape" in message
    eleven = [media(path) for _ in range(11)]
    preview = adapter.preview(outgoing(images=eleven), ACCOUNT)
    assert not preview.blocking and len(preview.images) == 10


def test_the_preview_needs_a_public_https_site(tmp_path):
    local = media(jpeg(tmp_path))
    local = type(local)(**{**local.__dict__, "url": "http://127.0.0.1:8000/media/posts/photo.jpg"})
    [message] = blocking(outgoing(images=[local]))
    assert "not public https" in message


def test_the_preview_says_links_are_not_clickable_and_counts_hashtags(tmp_path):
    image = media(jpeg(tmp_path))
    preview = adapter.preview(outgoing(images=[image]), ACCOUNT)
    assert any("not make links in captions clickable" in p.message for p in preview.problems)
    assert preview.text.endswith(f"Read it all at {MARKED}")
    tags = " ".join(f"#tag{i}" for i in range(31))
    assert blocking(outgoing(images=[image], text=tags)) == [
        "Instagram allows 30 hashtags; this caption has 31."
    ]
    too_long = adapter.preview(outgoing(images=[image], title="x" * 2_300), ACCOUNT)
    assert "Too long" in too_long.blocking[0].message
    shortened = adapter.preview(outgoing(images=[image], text="word " * 1_000), ACCOUNT)
    assert not shortened.blocking and shortened.length <= 2_200


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://bedside.example.org/media/a.jpg", True),
        ("https://cdn.riverside-health.com/a.jpg", True),
        ("http://bedside.example.org/media/a.jpg", False),
        ("https://localhost/media/a.jpg", False),
        ("https://127.0.0.1/a.jpg", False),
        ("https://10.0.0.4/a.jpg", False),
        ("https://bedside.local/a.jpg", False),
        ("https://93.184.216.34/a.jpg", True),
        ("", False),
    ],
)
def test_public_https_addresses(url, public):
    assert is_public_https(url) is public


@given(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=40))
def test_hashtags_are_counted_one_per_tag(words):
    assert hashtag_count(" ".join(f"#{w}" for w in words)) == len(words)
    assert hashtag_count(" ".join(f"a#{w}" for w in words)) == 0


def test_connecting_finds_the_instagram_account_linked_to_the_page():
    linked = {
        "instagram_business_account": {"id": "17841400001", "username": "riversidehealth"},
        "id": "104912345",
    }
    api = FakeApi().on("GET", "/v23.0/104912345", httpx.Response(200, json=linked))
    identity = Instagram.identify(TOKEN, "104912345", api.client())
    assert identity == {"account_id": "17841400001", "handle": "riversidehealth"}
    assert api.requests[0].url.params["fields"] == "instagram_business_account{id,username}"
    api = FakeApi().on("GET", "/v23.0/104912345", httpx.Response(200, json={"id": "104912345"}))
    with pytest.raises(NetworkError) as raised:
        Instagram.identify(TOKEN, "104912345", api.client())
    assert "no Instagram professional account" in raised.value.reason
