"""The Facebook, Instagram, X and LinkedIn adapters driven by the delivery engine.

The engine's promises hold for networks without an idempotency key: a timeout after the
remote write is found by its marker on the retry, a refreshed token is sealed back on the
channel, a refused token asks for a reconnect, a removal deletes the remote copy, and
Instagram's refusal to delete reaches the delivery log as an instruction to staff.
"""

import httpx
import pytest
from django.utils import timezone

from bedside.posts.models import Post, Status
from bedside.syndication import engine, http, services
from bedside.syndication.models import ChannelStatus, Delivery, DeliveryStatus
from tests.factories import ChannelFactory, PostFactory
from tests.syndication.fakes import FakeApi, body, graph_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    fake = FakeApi()
    with http.using_transport(httpx.MockTransport(fake.handle)):
        yield fake


def channel_on(practice, network, account_id, **credentials):
    return ChannelFactory(
        practice=practice,
        network=network,
        handle="RiversideFH",
        server_url="",
        account_id=account_id,
        credentials={"access_token": "token-1", **credentials},
    )


def delivered(post, channel):
    [delivery] = services.ensure_deliveries(post=post, channels=[channel])
    return delivery


def test_a_timeout_after_the_tweet_is_written_never_makes_a_second_tweet(practice, api):
    channel = channel_on(practice, "x", "2244994945")
    post = PostFactory(practice=practice)
    timeline: list[dict] = []

    def write(request):
        timeline.append(
            {
                "id": str(100 + len(timeline)),
                "entities": {"urls": [{"expanded_url": body(request)["text"].split()[-1]}]},
            }
        )
        if len(timeline) == 1:
            raise httpx.ReadTimeout("read timed out", request=request)
        return httpx.Response(201, json={"data": {"id": timeline[-1]["id"], "text": "…"}})

    api.on("POST", "/2/tweets", write)
    api.on(
        "GET", "/2/users/2244994945/tweets", lambda r: httpx.Response(200, json={"data": timeline})
    )
    delivery = delivered(post, channel)
    assert engine.run(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert "did not answer in time" in delivery.last_error and not delivery.remote_id
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert engine.run(delivery.pk) == DeliveryStatus.DONE
    delivery.refresh_from_db()
    assert delivery.remote_id == "100"
    assert delivery.remote_url == "https://x.com/RiversideFH/status/100"
    assert len(timeline) == 1
    assert len(api.sent("POST", "/2/tweets")) == 1


def test_a_refreshed_x_token_is_sealed_back_on_the_channel(practice, api):
    channel = channel_on(practice, "x", "2244994945", refresh_token="refresh-1", client_id="cid")
    api.on(
        "POST",
        "/2/tweets",
        httpx.Response(401, json={"title": "Unauthorized", "status": 401}),
        httpx.Response(201, json={"data": {"id": "200", "text": "…"}}),
    )
    api.on(
        "POST",
        "/2/oauth2/token",
        httpx.Response(
            200, json={"access_token": "token-2", "refresh_token": "refresh-2", "expires_in": 7200}
        ),
    )
    delivery = delivered(PostFactory(practice=practice), channel)
    assert engine.run(delivery.pk) == DeliveryStatus.DONE
    channel.refresh_from_db()
    assert channel.credentials["access_token"] == "token-2"
    assert channel.credentials["refresh_token"] == "refresh-2"
    assert "token-2" not in channel.sealed_credentials


def test_an_expired_page_token_asks_the_practice_to_reconnect(practice, api):
    channel = channel_on(practice, "facebook", "104912345")
    api.on(
        "POST",
        "/v23.0/104912345/feed",
        graph_error(190, "Error validating access token", subcode=463),
    )
    delivery = delivered(PostFactory(practice=practice), channel)
    assert engine.run(delivery.pk) == DeliveryStatus.FAILED
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "reconnect" in channel.last_error and "token-1" not in channel.last_error


def test_unpublishing_deletes_the_linkedin_copy(practice, api, django_capture_on_commit_callbacks):
    channel = channel_on(practice, "linkedin", "5515715")
    share = "urn:li:share:7254000000000000001"
    api.on("POST", "/rest/posts", httpx.Response(201, headers={"x-restli-id": share}))
    api.on("DELETE", f"/rest/posts/{share}", httpx.Response(204))
    post = PostFactory(practice=practice)
    delivery = delivered(post, channel)
    assert engine.run(delivery.pk) == DeliveryStatus.DONE
    Post.objects.filter(pk=post.pk).update(status=Status.ARCHIVED)  # unpublished in Bedside
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(post=post)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRACTED
    [deleted] = api.sent("DELETE", f"/rest/posts/{share}")
    assert deleted.url.raw_path.decode() == "/rest/posts/urn%3Ali%3Ashare%3A7254000000000000001"


def test_instagram_tells_staff_to_remove_its_copy_by_hand(
    practice, api, django_capture_on_commit_callbacks
):
    channel = channel_on(practice, "instagram", "17841400001")
    post = PostFactory(practice=practice)
    delivery = delivered(post, channel)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DONE, remote_id="1790009", attempts=1
    )
    Post.objects.filter(pk=post.pk).update(status=Status.ARCHIVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(post=post)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert "remove it by hand on Instagram" in delivery.last_error
    assert api.requests == []
