"""The Bluesky adapter against a real PDS (``@atproto/pds`` from npm, on loopback).

The ``bluesky_pds`` fixture (``tests/peers/bluesky.py``, a plugin of ``tests/conftest.py``)
starts the PDS once per test process and gives its URL, a handle and an app password; it
skips when the peer is not installed here and fails under CI. The account is shared by the
session, so these tests find their records by a title of their own.
"""

import uuid

import httpx
import pytest

from bedside.posts.models import Status
from bedside.practices.models import Role
from bedside.syndication import engine, http, services
from bedside.syndication.models import Delivery, DeliveryStatus
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db


def records_of(pds, title):
    """Every post record in the account's repo whose text carries ``title``."""
    found, cursor = [], None
    with httpx.Client(timeout=10) as client:
        while True:
            params = {"repo": pds["did"], "collection": "app.bsky.feed.post", "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = client.get(
                f"{pds['url']}/xrpc/com.atproto.repo.listRecords", params=params
            ).json()
            found += [r for r in page.get("records", []) if title in r["value"]["text"]]
            cursor = page.get("cursor")
            if not cursor or not page.get("records"):
                return found


@pytest.fixture
def connected(practice, bluesky_pds):
    editor = member(practice, Role.EDITOR)
    return services.connect_bluesky(
        by=editor,
        practice=practice,
        handle=bluesky_pds["handle"],
        app_password=bluesky_pds["app_password"],
        server_url=bluesky_pds["url"],
    )


def test_a_post_goes_to_the_pds_once_and_is_deleted(
    practice, connected, bluesky_pds, django_capture_on_commit_callbacks
):
    title = f"Flu shots on Saturday {uuid.uuid4().hex[:8]}"
    post = PostFactory(practice=practice, title=title, body="Walk in, *no booking*. Café ☕ open.")
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = services.syndicate(post=post)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DONE, delivery.last_error
    [record] = records_of(bluesky_pds, title)
    assert record["uri"] == delivery.remote_id
    assert record["uri"].endswith(f"/{delivery.key}")
    assert record["value"]["embed"]["external"]["uri"].endswith(post.get_absolute_url())
    # Delivering again adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.syndicate(post=post)
    assert len(records_of(bluesky_pds, title)) == 1

    type(post).objects.filter(pk=post.pk).update(status=Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(post=post)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRACTED
    assert records_of(bluesky_pds, title) == []


class TimeoutAfterWrite(httpx.BaseTransport):
    """The first createRecord reaches the PDS and succeeds; the caller then times out."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("createRecord") and not self.lost:
            response.read()
            self.lost += 1
            assert response.status_code == 200  # the post now exists remotely
            raise httpx.ReadTimeout("timed out reading the answer", request=request)
        return response


def test_a_timeout_after_the_write_still_yields_exactly_one_remote_post(
    practice, connected, bluesky_pds
):
    title = f"Timeout after write {uuid.uuid4().hex[:8]}"
    post = PostFactory(practice=practice, title=title)
    delivery = services.ensure_deliveries(post=post, channels=[connected])[0]
    wrapper = TimeoutAfterWrite()
    with http.using_transport(wrapper):
        assert engine.run(delivery.pk) == DeliveryStatus.FAILED
        assert wrapper.lost == 1
        assert len(records_of(bluesky_pds, title)) == 1
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        assert engine.run(delivery.pk) == DeliveryStatus.DONE
    delivery.refresh_from_db()
    [record] = records_of(bluesky_pds, title)
    assert record["uri"] == delivery.remote_id
    # Even a write repeated by hand under the same key cannot make a second post.
    with http.using_transport(httpx.HTTPTransport()):
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, remote_id="")
        assert engine.run(delivery.pk) == DeliveryStatus.DONE
    assert len(records_of(bluesky_pds, title)) == 1


def test_a_bare_pds_says_counts_are_unavailable_rather_than_zero(
    practice, connected, bluesky_pds, django_capture_on_commit_callbacks
):
    title = f"Counts {uuid.uuid4().hex[:8]}"
    post = PostFactory(practice=practice, title=title)
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = services.syndicate(post=post)
    pulled = engine.pull(delivery.pk)
    delivery.refresh_from_db()
    if not pulled:  # no AppView behind this PDS: say so
        assert "AppView" in delivery.counts_note
    else:
        assert delivery.counts_at is not None
