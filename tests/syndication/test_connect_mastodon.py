"""Connecting Mastodon leaves for the server from a link, never from a form's redirect.

The studio's CSP has ``form-action 'self'``, which Chromium also applies to the redirects
after a form submission: the form therefore answers with our own page, and that page's link
(a plain navigation) goes to the server. The sign-in waiting in the session belongs to one
person and one practice, and lasts fifteen minutes.
"""

import time

import pytest
from django.urls import reverse

from bedside.practices.models import Role
from bedside.syndication.models import Channel, ChannelStatus
from bedside.syndication.views import MASTODON_STATE, MASTODON_WAIT_SECONDS
from tests.factories import ChannelFactory, MembershipFactory, member

pytestmark = pytest.mark.django_db
CALLBACK = "/studio/mastodon/callback/"


def start(client, practice, server="https://social.example"):
    return client.post(
        reverse("syndication_mastodon", kwargs={"slug": practice.slug}), {"server_url": server}
    )


def continue_url(practice):
    return reverse("syndication_mastodon_continue", kwargs={"slug": practice.slug})


def change_waiting(client, **changes):
    session = client.session
    session[MASTODON_STATE] = {**session[MASTODON_STATE], **changes}
    session.save()


def test_the_callback_address_is_the_one_registered(client):
    assert reverse("syndication_mastodon_callback") == CALLBACK


def test_the_form_stays_on_this_site_and_the_page_links_to_the_server(
    client, practice, editor, mastodon_server
):
    client.force_login(editor)
    response = start(client, practice)
    assert response.status_code == 303
    assert response["Location"] == continue_url(practice)
    page = client.get(continue_url(practice))
    assert page.status_code == 200
    state = client.session[MASTODON_STATE]["state"]
    assert "https://social.example/oauth/authorize?response_type=code&amp;client_id=cid" in (
        page.text
    )
    assert f"state={state}" in page.text
    assert "Continue to social.example to sign in" in page.text
    # Opening the page again shows the same sign-in; nothing new is registered.
    assert state in client.get(continue_url(practice)).text
    assert mastodon_server.apps == 1


def test_a_server_that_refuses_is_said_on_the_form_and_nothing_waits(
    client, practice, editor, mastodon_server
):
    client.force_login(editor)
    response = start(client, practice, "http://social.example")
    assert response.status_code == 422
    assert "https://" in response.text
    assert MASTODON_STATE not in client.session
    assert mastodon_server.apps == 0


def test_with_nothing_waiting_the_page_sends_back_to_the_form(client, practice, editor):
    client.force_login(editor)
    response = client.get(continue_url(practice), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "syndication_channels", kwargs={"slug": practice.slug}
    )
    assert "No Mastodon sign-in is waiting" in response.text


def test_a_sign_in_started_by_someone_else_or_long_ago_is_not_used(
    client, practice, editor, mastodon_server
):
    client.force_login(editor)
    start(client, practice)
    other = member(practice, Role.OWNER)
    change_waiting(client, user_id=other.pk)
    assert client.get(continue_url(practice)).status_code == 302
    state = client.session[MASTODON_STATE]["state"]
    assert client.get(CALLBACK, {"code": "good-code", "state": state}).status_code == 404
    assert not Channel.objects.exists()

    start(client, practice)
    change_waiting(client, started=int(time.time()) - MASTODON_WAIT_SECONDS - 1)
    assert client.get(continue_url(practice)).status_code == 302
    state = client.session[MASTODON_STATE]["state"]
    response = client.get(CALLBACK, {"code": "good-code", "state": state}, follow=True)
    assert "The Mastodon sign-in took too long" in response.text
    assert not Channel.objects.exists()


def test_another_practice_page_does_not_show_this_sign_in(
    client, practice, other_practice, editor, mastodon_server
):
    MembershipFactory(practice=other_practice, user=editor, role=Role.OWNER)
    client.force_login(editor)
    start(client, practice)
    response = client.get(continue_url(other_practice))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "syndication_channels", kwargs={"slug": other_practice.slug}
    )


def test_reconnecting_starts_again_with_the_channel_server(
    client, practice, editor, mastodon_server
):
    ChannelFactory(
        practice=practice,
        network="mastodon",
        handle="@riverside@social.example",
        server_url=mastodon_server.base,
        account_id="109",
        status=ChannelStatus.NEEDS_RECONNECT,
    )
    client.force_login(editor)
    page = client.get(reverse("syndication_channels", kwargs={"slug": practice.slug})).text
    assert 'name="server_url" value="https://social.example"' in page
    response = start(client, practice, mastodon_server.base)
    assert response.status_code == 303
    state = client.session[MASTODON_STATE]["state"]
    assert client.get(CALLBACK, {"code": "good-code", "state": state}).status_code == 302
    channel = Channel.objects.get()
    assert channel.status == ChannelStatus.ACTIVE
