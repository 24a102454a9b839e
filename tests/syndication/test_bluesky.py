"""The Bluesky adapter against a fake PDS that answers as the XRPC lexicons document."""

import json
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.syndication.adapters.base import Account, AuthExpired, Media, Outgoing, RateLimited
from bedside.syndication.adapters.bluesky import Bluesky, graphemes, link_facets, mention_spans
from bedside.syndication.keys import TID, new_key, record_key
from tests.factories import image_bytes
from tests.syndication.fake_networks import FakePds

URL = "https://riverside.example/p/riverside/posts/7/"


def media(tmp_path: Path, name: str, alt: str = "A nurse", size: int | None = None) -> Media:
    path = tmp_path / name
    data = image_bytes()
    path.write_bytes(data)
    return Media(
        path=path,
        content_type="image/jpeg",
        size=size or len(data),
        alt_text=alt,
        width=64,
        height=48,
    )


def account(pds: FakePds) -> Account:
    return Account(
        network="bluesky",
        server_url=pds.base,
        account_id=pds.did,
        handle=pds.handle,
        credentials={
            "app_password": pds.app_password,
            "access_jwt": pds.access,
            "refresh_jwt": pds.refresh,
        },
    )


def outgoing(**overrides):
    values = {
        "key": new_key(),
        "title": "Flu shots on Saturday",
        "text": "Walk in, no booking.",
        "url": URL,
    }
    return Outgoing(**(values | overrides))


@pytest.fixture
def fake():
    return FakePds()


def client(fake):
    return httpx.Client(transport=fake.transport())


def created(fake):
    [request] = [r for r in fake.requests if r.url.path.endswith("createRecord")]
    return json.loads(request.content)


def test_graphemes_count_what_a_reader_sees():
    assert graphemes("café") == 4
    assert graphemes("👩‍⚕️ nurse") == 7  # one grapheme for the whole emoji sequence
    assert len("👩‍⚕️ nurse") > 7


def test_link_facets_use_utf8_byte_offsets():
    text = f"Café ☕ news: {URL} and more"
    [facet] = link_facets(text)
    start = facet["index"]["byteStart"]
    end = facet["index"]["byteEnd"]
    assert text.encode()[start:end].decode() == URL
    assert facet["features"][0] == {"$type": "app.bsky.richtext.facet#link", "uri": URL}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_facet_offsets_always_slice_the_url_out_of_the_bytes(prefix):
    text = f"{prefix} {URL}"
    for facet in link_facets(text):
        sliced = text.encode()[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
        assert sliced == facet["features"][0]["uri"]


@given(st.integers(min_value=0, max_value=2**64))
def test_record_keys_are_valid_tids(value):
    assert TID.match(record_key(str(value)))


def test_a_delivery_key_is_its_own_record_key():
    key = new_key()
    assert TID.match(key) and record_key(key) == key


def test_mentions_resolve_to_dids_and_unknown_handles_stay_text(fake):
    fake.handles["dr-lee.bsky.social"] = "did:plc:drlee"
    Bluesky().publish(
        outgoing(text="Ask @dr-lee.bsky.social or @nobody.example about it."),
        account(fake),
        client(fake),
    )
    record = created(fake)["record"]
    mentions = [f for f in record["facets"] if f["features"][0]["$type"].endswith("#mention")]
    assert len(mentions) == 1
    index = mentions[0]["index"]
    assert record["text"].encode()[index["byteStart"] : index["byteEnd"]] == b"@dr-lee.bsky.social"
    assert mentions[0]["features"][0]["did"] == "did:plc:drlee"
    assert mention_spans("mail me at a@b.example") == []


def test_publish_uses_the_delivery_key_as_rkey_and_a_link_card(fake):
    post = outgoing()
    published = Bluesky().publish(post, account(fake), client(fake))
    body = created(fake)
    assert body["rkey"] == post.key and body["repo"] == fake.did
    assert body["collection"] == "app.bsky.feed.post"
    assert body["record"]["embed"]["$type"] == "app.bsky.embed.external"
    assert body["record"]["embed"]["external"]["uri"] == URL
    assert published.remote_id == fake.uri(post.key)
    # Writing the same delivery again conflicts on the PDS and returns the first record.
    assert Bluesky().publish(post, account(fake), client(fake)) == published
    assert len(fake.records) == 1


def test_images_go_with_alt_text_and_too_large_ones_are_caught_in_the_preview(fake, tmp_path):
    images = (media(tmp_path, "a.jpg", alt="Nurse giving a flu shot"),)
    Bluesky().publish(outgoing(images=images), account(fake), client(fake))
    embed = created(fake)["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Nurse giving a flu shot"
    assert embed["images"][0]["aspectRatio"] == {"width": 64, "height": 48}
    big = (media(tmp_path, "big.jpg", size=1_500_000),)
    preview = Bluesky().preview(outgoing(images=big), account(fake))
    assert [p.message for p in preview.blocking] == [
        "Image 1 is 1.5 MB; Bluesky takes images up to 1 MB."
    ]
    five = tuple(media(tmp_path, f"{n}.jpg") for n in range(5))
    preview = Bluesky().preview(outgoing(images=five), account(fake))
    assert len(preview.images) == 4 and not preview.blocking


def test_no_video_and_no_content_warnings_are_said_in_the_preview(fake, tmp_path):
    video = Media(path=tmp_path / "v.mp4", content_type="video/mp4", size=10)
    preview = Bluesky().preview(outgoing(video=video, content_warning="Needles"), account(fake))
    messages = " ".join(p.message for p in preview.problems)
    assert "no video" in messages and "no content warnings" in messages
    assert preview.text.startswith("Content warning: Needles")


def test_a_long_post_is_shortened_to_300_graphemes_with_its_link(fake):
    preview = Bluesky().preview(outgoing(text="Walk in. " * 100), account(fake))
    assert preview.length <= 300 and graphemes(preview.text) == preview.length
    assert preview.text.endswith(URL)
    assert not preview.blocking


def test_an_expired_access_token_is_refreshed_and_saved_in_place(fake):
    acc = account(fake)
    fake.expired.add(fake.access)
    fake.sessions = 1
    fake.access, fake.refresh = "access-jwt-1", "refresh-jwt-1"
    Bluesky().publish(outgoing(), acc, client(fake))
    assert acc.credentials["access_jwt"] == "access-jwt-2"
    assert len(fake.records) == 1


def test_a_revoked_app_password_is_auth_expired_without_secrets_in_the_message(fake):
    acc = account(fake)
    fake.access = "something-else"
    fake.refresh = "also-else"
    fake.app_password = "revoked"
    with pytest.raises(AuthExpired) as caught:
        Bluesky().publish(outgoing(), acc, client(fake))
    for secret in acc.credentials.values():
        assert secret not in str(caught.value) and secret not in repr(caught.value.detail)


def test_429_reads_the_pds_rate_limit_reset(fake):
    fake.hooks.append(
        lambda request: httpx.Response(
            429, headers={"Retry-After": "30"}, json={"error": "RateLimitExceeded"}
        )
    )
    with pytest.raises(RateLimited) as caught:
        Bluesky().publish(outgoing(), account(fake), client(fake))
    assert caught.value.retry_after == 30


def test_delete_find_counts_and_replies(fake):
    post = outgoing()
    published = Bluesky().publish(post, account(fake), client(fake))
    assert Bluesky().find_existing(post, account(fake), client(fake)) == published
    counts = Bluesky().fetch_counts(published.remote_id, account(fake), client(fake))
    assert (counts.likes, counts.shares, counts.replies) == (3, 3, 1)
    [reply] = Bluesky().fetch_replies(published.remote_id, account(fake), client(fake))
    assert reply.author == "fan.example"
    Bluesky().delete(published.remote_id, account(fake), client(fake))
    assert fake.records == {}
    assert Bluesky().find_existing(post, account(fake), client(fake)) is None


def test_a_bare_pds_without_appview_says_counts_are_unavailable(fake):
    fake.hooks.append(
        lambda request: (
            httpx.Response(501, json={"error": "MethodNotImplemented"})
            if "app.bsky.feed" in request.url.path
            else None
        )
    )
    from bedside.syndication.adapters.base import NetworkError

    with pytest.raises(NetworkError) as caught:
        Bluesky().fetch_counts(fake.uri("x"), account(fake), client(fake))
    assert "no AppView" in caught.value.reason
