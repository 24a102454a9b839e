"""The studio publishes to the networks after commit and takes posts down with it."""

import httpx
import pytest

from bedside.notify.models import Notification
from bedside.posts.models import Status
from bedside.practices.models import Role
from bedside.studio import clock
from bedside.studio import services as studio
from bedside.syndication.models import ChannelStatus, Delivery, DeliveryStatus
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db


def draft(practice, author):
    return PostFactory(practice=practice, author=author, status=Status.DRAFT, published_at=None)


def test_publish_then_unpublish_goes_out_once_and_comes_back(
    practice, editor, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    post = draft(practice, editor)
    with django_capture_on_commit_callbacks(execute=True):
        studio.publish(by=editor, post=post)
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == DeliveryStatus.DONE
    assert len(pds.records) == 1
    with django_capture_on_commit_callbacks(execute=True):
        studio.unpublish(by=editor, post=post)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRACTED
    assert pds.records == {}


def test_deleting_a_post_in_the_studio_deletes_it_remotely(
    practice, editor, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    post = draft(practice, editor)
    with django_capture_on_commit_callbacks(execute=True):
        studio.publish(by=editor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        studio.delete(by=editor, post=post)
    assert pds.records == {}
    assert Delivery.objects.get().status == DeliveryStatus.RETRACTED


def test_a_refused_token_asks_the_managers_to_reconnect_once(
    practice, editor, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    owner = member(practice, Role.OWNER)
    patient = member(practice, Role.PATIENT)
    pds.hooks.append(
        lambda request: httpx.Response(
            401, json={"error": "AuthenticationRequired", "message": "Token has been revoked"}
        )
    )
    post = draft(practice, editor)
    with django_capture_on_commit_callbacks(execute=True):
        studio.publish(by=editor, post=post)
    bluesky_channel.refresh_from_db()
    assert bluesky_channel.status == ChannelStatus.NEEDS_RECONNECT
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == DeliveryStatus.FAILED
    assert "reconnect" in delivery.last_error
    clock.run_sweeps()
    clock.run_sweeps()
    told = Notification.objects.filter(kind="channel_needs_reconnect")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([owner.pk, editor.pk])
    assert not told.filter(user=patient).exists()


def test_reconnecting_sends_what_waited_at_once(
    client, practice, editor, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    refuse = lambda request: httpx.Response(  # noqa: E731
        401, json={"error": "AuthenticationRequired", "message": "Token has been revoked"}
    )
    pds.hooks.append(refuse)
    post = draft(practice, editor)
    with django_capture_on_commit_callbacks(execute=True):
        studio.publish(by=editor, post=post)
    assert Delivery.objects.get(post=post).status == DeliveryStatus.FAILED
    pds.hooks.remove(refuse)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/p/{practice.slug}/studio/channels/bluesky/",
            {"handle": pds.handle, "app_password": pds.app_password, "server_url": pds.base},
        )
    bluesky_channel.refresh_from_db()
    assert bluesky_channel.status == ChannelStatus.ACTIVE
    assert Delivery.objects.get(post=post).status == DeliveryStatus.DONE
    assert len(pds.records) == 1
