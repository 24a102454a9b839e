"""Contract tests of the Mastodon adapter against a fake that answers as Mastodon documents.

Requests: ``POST /api/v1/statuses`` (form, ``Idempotency-Key``), ``POST /api/v2/media`` with
``description``, ``DELETE /api/v1/statuses/:id``, ``GET /api/v1/statuses/:id`` and
``/context``, ``GET /api/v2/instance``. Errors: 401 ``{"error": "The access token is
invalid"}``, 422 ``{"error": "Validation failed: …"}``, 429 with ``Retry-After`` /
``X-RateLimit-Reset``.
"""

from datetime import timedelta
from urllib.parse import parse_qs

import httpx
import pytest
from django.utils import timezone

from bedside.syndication import engine, http
from bedside.syndication.adapters.base import (
    Account,
    AuthExpired,
    NetworkError,
    Outgoing,
    RateLimited,
)
from bedside.syndication.adapters.mastodon import Mastodon, instance_limit, length
from bedside.syndication.models import ChannelStatus, DeliveryStatus
from tests.factories import DeliveryFactory, PostFactory, PostImageFactory
from tests.syndication.fake_networks import FakeMastodon

TOKEN = "mastodon-secret-token-123"
URL = "https://riverside.example/p/riverside/posts/7/"


def account(server, limit=500):
    return Account(
        network="mastodon",
        server_url=server.base,
        account_id="109",
        handle="@riverside@social.example",
        credentials={"access_token": TOKEN},
        char_limit=limit,
    )


def outgoing(**overrides):
    values = {
        "key": "3lbkv2xyzab22",
        "title": "Flu shots on Saturday",
        "text": "Walk in between 9 and 12, no booking needed.",
        "url": URL,
    }
    return Outgoing(**(values | overrides))


@pytest.fixture
def server():
    return FakeMastodon(token=TOKEN)


def client_for(server):
    return httpx.Client(transport=server.transport())


def form(request):
    return parse_qs(request.content.decode())


def test_publish_sends_the_idempotency_key_the_text_and_the_warning(server):
    published = Mastodon().publish(
        outgoing(content_warning="Needles"), account(server), client_for(server)
    )
    [request] = server.requests
    assert request.url.path == "/api/v1/statuses"
    assert request.headers["Idempotency-Key"] == "3lbkv2xyzab22"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    sent = form(request)
    assert sent["status"] == [
        f"Flu shots on Saturday\n\nWalk in between 9 and 12, no booking needed.\n\n{URL}"
    ]
    assert sent["spoiler_text"] == ["Needles"]
    assert sent["visibility"] == ["public"]
    assert published.remote_id in server.statuses
    assert published.url.startswith("https://social.example/@riverside/")


def test_a_repeated_request_with_the_same_key_makes_no_second_status(server):
    first = Mastodon().publish(outgoing(), account(server), client_for(server))
    second = Mastodon().publish(outgoing(), account(server), client_for(server))
    assert first == second
    assert len(server.statuses) == 1


def test_images_are_uploaded_with_their_alt_text(server, tmp_path):
    from tests.syndication.test_bluesky import media

    images = (
        media(tmp_path, "a.jpg", alt="Nurse giving a flu shot"),
        media(tmp_path, "b.jpg", alt="The waiting room"),
    )
    Mastodon().publish(outgoing(images=images), account(server), client_for(server))
    uploads = [r for r in server.requests if r.url.path == "/api/v2/media"]
    assert len(uploads) == 2
    assert b'name="description"\r\n\r\nNurse giving a flu shot' in uploads[0].content
    statuses = [r for r in server.requests if r.url.path == "/api/v1/statuses"]
    assert form(statuses[0])["media_ids[]"] == ["1", "2"]


def test_urls_count_23_and_the_servers_own_limit_applies(server):
    assert length(f"Hello {URL}") == 6 + 23
    long_text = "word " * 200
    preview = Mastodon().preview(outgoing(text=long_text), account(server, limit=500))
    assert preview.length <= 500
    assert not preview.blocking
    assert preview.text.endswith(URL) and "…" in preview.text
    tiny = Mastodon().preview(outgoing(), account(server, limit=30))
    assert tiny.blocking and "Too long" in tiny.blocking[0].message


def test_the_instance_limit_is_read_from_api_v2_instance(server):
    server.max_characters = 5000
    assert instance_limit(server.base, client_for(server)) == 5000
    broken = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404)))
    assert instance_limit(server.base, broken) == 500


def test_429_honours_retry_after(server):
    server.hooks.append(
        lambda request: httpx.Response(
            429, headers={"Retry-After": "120"}, json={"error": "Too many requests"}
        )
    )
    with pytest.raises(RateLimited) as caught:
        Mastodon().publish(outgoing(), account(server), client_for(server))
    assert caught.value.retry_after == 120


def test_429_with_only_the_reset_time(server):
    reset = (timezone.now() + timedelta(seconds=300)).isoformat()
    server.hooks.append(
        lambda request: httpx.Response(
            429, headers={"X-RateLimit-Reset": reset}, json={"error": "Too many requests"}
        )
    )
    with pytest.raises(RateLimited) as caught:
        Mastodon().publish(outgoing(), account(server), client_for(server))
    assert 290 <= caught.value.retry_after <= 300


def test_401_invalid_token_is_auth_expired(server):
    bad = Account(**(account(server).__dict__ | {"credentials": {"access_token": "revoked"}}))
    with pytest.raises(AuthExpired) as caught:
        Mastodon().publish(outgoing(), bad, client_for(server))
    assert "reconnect" in str(caught.value)
    assert "revoked" not in str(caught.value)


def test_422_is_a_permanent_refusal_with_the_servers_reason(server):
    server.hooks.append(
        lambda request: (
            httpx.Response(
                422, json={"error": "Validation failed: Text character limit of 500 exceeded"}
            )
            if request.url.path == "/api/v1/statuses"
            else None
        )
    )
    with pytest.raises(NetworkError) as caught:
        Mastodon().publish(outgoing(), account(server), client_for(server))
    assert caught.value.permanent
    assert "Text character limit of 500 exceeded" in caught.value.reason


def test_find_existing_spots_the_post_by_its_link(server):
    published = Mastodon().publish(outgoing(), account(server), client_for(server))
    assert (
        Mastodon().find_existing(outgoing(key="other"), account(server), client_for(server))
        == published
    )
    assert (
        Mastodon().find_existing(
            outgoing(url="https://elsewhere.example/"), account(server), client_for(server)
        )
        is None
    )


def test_delete_counts_and_replies(server):
    published = Mastodon().publish(outgoing(), account(server), client_for(server))
    server.statuses[published.remote_id].update(
        favourites_count=5, reblogs_count=2, replies_count=1
    )
    server.replies[published.remote_id] = [
        {
            "id": "2001",
            "account": {"acct": "fan@elsewhere.example"},
            "content": "<p>See you <b>there</b> &amp; thanks</p>",
            "created_at": "2026-11-25T10:00:00.000Z",
            "url": "https://elsewhere.example/@fan/2001",
        }
    ]
    counts = Mastodon().fetch_counts(published.remote_id, account(server), client_for(server))
    assert (counts.likes, counts.shares, counts.replies) == (5, 2, 1)
    [reply] = Mastodon().fetch_replies(published.remote_id, account(server), client_for(server))
    assert (reply.author, reply.text) == ("fan@elsewhere.example", "See you there & thanks")
    Mastodon().delete(published.remote_id, account(server), client_for(server))
    assert server.statuses == {}
    Mastodon().delete(published.remote_id, account(server), client_for(server))  # gone is fine


@pytest.mark.django_db
def test_the_engine_waits_out_retry_after_and_gives_up_on_422(
    practice, mastodon_channel, mastodon_server
):
    delivery = DeliveryFactory(channel=mastodon_channel)
    mastodon_server.hooks.append(
        lambda request: httpx.Response(
            429, headers={"Retry-After": "900"}, json={"error": "Too many requests"}
        )
    )
    before = timezone.now()
    assert engine.run(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at >= before + timedelta(seconds=900)
    assert "slow down" in delivery.last_error
    mastodon_server.hooks[:] = [
        lambda request: (
            httpx.Response(422, json={"error": "Validation failed: Text can't be blank"})
            if request.url.path == "/api/v1/statuses"
            else None
        )
    ]
    delivery.next_attempt_at = timezone.now()
    delivery.save()
    assert engine.run(delivery.pk) == DeliveryStatus.GAVE_UP
    delivery.refresh_from_db()
    assert (
        delivery.last_error == "Mastodon refused publishing: Validation failed: Text can't be blank"
    )


@pytest.mark.django_db
def test_the_engine_pulls_counts_and_replies(practice, mastodon_channel, mastodon_server):
    post = PostFactory(practice=practice)
    PostImageFactory(post=post)
    delivery = DeliveryFactory(channel=mastodon_channel, post=post)
    assert engine.run(delivery.pk) == DeliveryStatus.DONE
    delivery.refresh_from_db()
    mastodon_server.statuses[delivery.remote_id]["favourites_count"] = 7
    mastodon_server.replies[delivery.remote_id] = [
        {
            "id": "9",
            "account": {"acct": "fan"},
            "content": "<p>Great</p>",
            "created_at": "2026-11-25T10:00:00Z",
            "url": "",
        }
    ]
    assert engine.pull(delivery.pk)
    assert engine.pull(delivery.pk)  # a second pull updates, never duplicates
    delivery.refresh_from_db()
    assert delivery.likes == 7
    assert [r.text for r in delivery.remote_replies.all()] == ["Great"]


@pytest.mark.django_db
def test_a_revoked_token_marks_the_channel_for_reconnecting(
    practice, mastodon_channel, mastodon_server
):
    mastodon_server.token = "a-new-token-the-channel-does-not-have"
    delivery = DeliveryFactory(channel=mastodon_channel)
    engine.run(delivery.pk)
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.status == ChannelStatus.NEEDS_RECONNECT
    assert http.transport is not None


def test_a_video_waits_for_processing_before_the_status(server, tmp_path, monkeypatch):
    from bedside.syndication.adapters import mastodon as module
    from bedside.syndication.adapters.base import Media

    monkeypatch.setattr(module, "_MEDIA_WAITS", (0, 0, 0))
    video_path = tmp_path / "tour.mp4"
    video_path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    video = Media(
        path=video_path, content_type="video/mp4", size=80, alt_text="A tour of the office"
    )
    polls = []

    def processing(request):
        if request.url.path == "/api/v2/media":
            return httpx.Response(202, json={"id": "77", "url": None})
        if request.url.path == "/api/v1/media/77":
            polls.append(request)
            url = "https://social.example/m/77" if len(polls) > 1 else None
            return httpx.Response(200 if url else 206, json={"id": "77", "url": url})
        return None

    server.hooks.append(processing)
    preview = Mastodon().preview(outgoing(video=video), account(server))
    assert list(preview.images) == [video]
    Mastodon().publish(outgoing(video=video), account(server), client_for(server))
    assert len(polls) == 2
    [status] = [r for r in server.requests if r.url.path == "/api/v1/statuses"]
    assert form(status)["media_ids[]"] == ["77"]
