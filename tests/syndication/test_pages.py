"""The studio's syndication pages: who sees them, connecting, previews, the delivery log."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.posts.models import Status
from bedside.practices.models import Role
from bedside.syndication.models import Channel, ChannelStatus, Delivery, DeliveryStatus, RemoteReply
from tests.factories import ChannelFactory, DeliveryFactory, PostFactory, member

pytestmark = pytest.mark.django_db


def html_links(text):
    class Links(HTMLParser):
        found: list[dict[str, str]] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.found.append({k: v or "" for k, v in attrs})

    parser = Links()
    parser.found = []
    parser.feed(text)
    return parser.found


def channels_url(practice):
    return reverse("syndication_channels", kwargs={"slug": practice.slug})


@pytest.mark.parametrize(
    ("role", "status", "sees_forms"),
    [
        (Role.OWNER, 200, True),
        (Role.ADMIN, 200, True),
        (Role.EDITOR, 200, True),
        (Role.CLINICIAN, 200, False),
        (Role.MODERATOR, 404, False),
        (Role.PATIENT, 404, False),
    ],
)
def test_who_sees_the_networks_page(client, practice, role, status, sees_forms):
    client.force_login(member(practice, role))
    response = client.get(channels_url(practice))
    assert response.status_code == status
    if status == 200:
        assert ("Connect Bluesky" in response.text) is sees_forms


def test_another_practice_cannot_open_or_change_our_channels(client, practice, other_practice):
    channel = ChannelFactory(practice=practice)
    client.force_login(member(other_practice, Role.OWNER))
    url = reverse(
        "syndication_disconnect", kwargs={"slug": other_practice.slug, "channel_id": channel.pk}
    )
    assert client.post(url).status_code == 404
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE


def test_an_editor_connects_bluesky_and_the_password_is_kept_secret(client, practice, editor, pds):
    client.force_login(editor)
    response = client.post(
        reverse("syndication_bluesky", kwargs={"slug": practice.slug}),
        {
            "handle": "@riverside.pds.example",
            "app_password": pds.app_password,
            "server_url": pds.base,
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.network, channel.account_id, channel.handle) == ("bluesky", pds.did, pds.handle)
    assert channel.credentials["access_jwt"] == pds.access
    assert pds.app_password not in channel.sealed_credentials
    event = AuditEvent.objects.get(action="channel.connect")
    assert event.actor_id == editor.pk
    page = client.get(channels_url(practice)).text
    for secret in (pds.app_password, pds.access, pds.refresh, channel.sealed_credentials):
        assert secret not in page
        assert secret not in str(event.detail)


def test_a_wrong_app_password_is_said_next_to_the_field(client, practice, editor, pds):
    client.force_login(editor)
    response = client.post(
        reverse("syndication_bluesky", kwargs={"slug": practice.slug}),
        {"handle": pds.handle, "app_password": "wrong-pass-word-0000", "server_url": pds.base},
    )
    assert response.status_code == 422
    assert "did not accept this handle and app password" in response.text
    assert "wrong-pass-word-0000" not in response.text
    assert not Channel.objects.exists()


def test_a_plain_http_server_that_is_not_local_is_refused(client, practice, editor, pds):
    client.force_login(editor)
    response = client.post(
        reverse("syndication_bluesky", kwargs={"slug": practice.slug}),
        {
            "handle": pds.handle,
            "app_password": pds.app_password,
            "server_url": "http://pds.example",
        },
    )
    assert response.status_code == 422
    assert "https://" in response.text
    assert pds.requests == []


def test_mastodon_connects_through_oauth(client, practice, editor, mastodon_server):
    mastodon_server.max_characters = 1000
    client.force_login(editor)
    response = client.post(
        reverse("syndication_mastodon", kwargs={"slug": practice.slug}),
        {"server_url": "social.example"},
    )
    # The form answers with our own page (CSP's form-action 'self' blocks an off-site
    # redirect), whose link leaves for the server's authorization page.
    assert response.status_code == 303
    assert response["Location"] == reverse(
        "syndication_mastodon_continue", kwargs={"slug": practice.slug}
    )
    page = client.get(response["Location"])
    assert "Continue to social.example to sign in" in page.text
    [href] = [a["href"] for a in html_links(page.text) if "/oauth/authorize" in a.get("href", "")]
    authorize = urlsplit(href)
    assert (authorize.netloc, authorize.path) == ("social.example", "/oauth/authorize")
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["cid"] and query["response_type"] == ["code"]
    callback = reverse("syndication_mastodon_callback")
    assert query["redirect_uri"][0].endswith(callback)
    # A forged state is refused; the real one completes.
    assert client.get(callback, {"code": "good-code", "state": "forged"}).status_code == 404
    client.post(
        reverse("syndication_mastodon", kwargs={"slug": practice.slug}),
        {"server_url": "https://social.example"},
    )
    assert mastodon_server.apps == 1  # registered once per server
    state = client.session["syndication.mastodon"]["state"]
    response = client.get(callback, {"code": "good-code", "state": state})
    assert response.status_code == 302
    channel = Channel.objects.get(network="mastodon")
    assert channel.handle == "@riverside@social.example"
    assert channel.char_limit == 1000
    assert channel.credentials == {"access_token": mastodon_server.token}


def test_the_edit_page_previews_each_network_and_catches_a_post_too_long(
    client, practice, editor, bluesky_channel, mastodon_channel
):
    mastodon_channel.char_limit = 60
    mastodon_channel.save()
    post = PostFactory(
        practice=practice,
        author=editor,
        status=Status.DRAFT,
        published_at=None,
        title="Flu shots on Saturday at both offices, no booking needed",
        body="Walk in between 9 and 12. " * 40,
    )
    client.force_login(editor)
    page = client.get(
        reverse("studio_post_edit", kwargs={"slug": practice.slug, "post_id": post.pk})
    ).text
    assert "On other networks" in page
    assert "Shortened to 300 characters" in page  # Bluesky: fits once shortened
    assert "Too long for this Mastodon server" in page  # title and link alone exceed 60
    assert (
        reverse("syndication_deliveries", kwargs={"slug": practice.slug, "post_id": post.pk})
        in page
    )


def test_the_delivery_log_shows_status_reason_link_counts_and_replies(client, practice, editor):
    done = DeliveryFactory(
        channel__practice=practice,
        status=DeliveryStatus.DONE,
        remote_id="at://did:plc:x/app.bsky.feed.post/3abc",
        remote_url="https://bsky.app/profile/riverside/post/3abc",
        attempts=1,
        likes=4,
        shares=2,
        replies=1,
        counts_at="2026-11-25T10:00:00Z",
    )
    RemoteReply.objects.create(
        delivery=done,
        remote_id="r1",
        author="fan.example",
        text="<b>See you</b> there",
        posted_at="2026-11-25T10:00:00Z",
    )
    failed = DeliveryFactory(
        post=done.post,
        channel=ChannelFactory(practice=practice, network="mastodon", account_id="1"),
        status=DeliveryStatus.GAVE_UP,
        attempts=1,
        last_error="Mastodon refused publishing: Validation failed",
    )
    client.force_login(editor)
    url = reverse("syndication_deliveries", kwargs={"slug": practice.slug, "post_id": done.post.pk})
    page = client.get(url).text
    assert "https://bsky.app/profile/riverside/post/3abc" in page
    assert "4 likes, 2 shares, 1 reply" in page
    assert "&lt;b&gt;See you&lt;/b&gt; there" in page  # replies are escaped
    assert "Mastodon refused publishing: Validation failed" in page
    retry = reverse(
        "syndication_retry",
        kwargs={"slug": practice.slug, "post_id": done.post.pk, "delivery_id": failed.pk},
    )
    assert retry in page


def test_retrying_by_hand_is_audited_and_clinicians_may_only_read(
    client, practice, editor, pds, bluesky_channel, django_capture_on_commit_callbacks
):
    failed = DeliveryFactory(
        channel=bluesky_channel, status=DeliveryStatus.GAVE_UP, attempts=8, last_error="x"
    )
    url = reverse(
        "syndication_retry",
        kwargs={"slug": practice.slug, "post_id": failed.post.pk, "delivery_id": failed.pk},
    )
    client.force_login(member(practice, Role.CLINICIAN))
    assert client.post(url).status_code == 403
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DONE
    assert AuditEvent.objects.filter(action="delivery.retry", actor_id=editor.pk).count() == 1


def test_the_delivery_log_costs_the_same_for_many_deliveries(
    client, practice, editor, django_assert_max_num_queries
):
    post = PostFactory(practice=practice)
    client.force_login(editor)
    url = reverse("syndication_deliveries", kwargs={"slug": practice.slug, "post_id": post.pk})

    def add(count):
        for number in range(count):
            channel = ChannelFactory(
                practice=practice, account_id=f"did:plc:{Delivery.objects.count()}-{number}"
            )
            delivery = DeliveryFactory(
                post=post, channel=channel, status=DeliveryStatus.DONE, remote_id="x"
            )
            RemoteReply.objects.create(
                delivery=delivery,
                remote_id="r",
                author="a",
                text="t",
                posted_at="2026-11-25T10:00:00Z",
            )

    add(2)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_patients_only_post_says_it_stays_off_other_networks(
    client, practice, editor, bluesky_channel
):
    post = PostFactory(
        practice=practice,
        author=editor,
        visibility="patients",
        status=Status.DRAFT,
        published_at=None,
    )
    client.force_login(editor)
    page = client.get(
        reverse("studio_post_edit", kwargs={"slug": practice.slug, "post_id": post.pk})
    ).text
    assert "stays off other networks" in page
    assert "characters" not in page.split("On other networks", 1)[1].split("</section>", 1)[0]


def test_the_networks_page_costs_the_same_for_many_channels(
    client, practice, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    url = channels_url(practice)
    ChannelFactory(practice=practice, connected_by=editor)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for number in range(15):
        ChannelFactory(
            practice=practice,
            account_id=f"did:plc:n{number}",
            connected_by=member(practice, Role.ADMIN),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_disconnecting_forgets_the_tokens_and_is_audited(client, practice, editor, bluesky_channel):
    client.force_login(editor)
    url = reverse(
        "syndication_disconnect", kwargs={"slug": practice.slug, "channel_id": bluesky_channel.pk}
    )
    assert client.post(url).status_code == 302
    bluesky_channel.refresh_from_db()
    assert bluesky_channel.status == ChannelStatus.DISCONNECTED
    assert bluesky_channel.sealed_credentials == ""
    event = AuditEvent.objects.get(action="channel.disconnect")
    assert event.actor_id == editor.pk and event.detail["network"] == "bluesky"


def test_a_channel_needing_reconnection_says_so_on_the_networks_page(client, practice, editor):
    ChannelFactory(
        practice=practice,
        status=ChannelStatus.NEEDS_RECONNECT,
        last_error="Bluesky no longer accepts this account's app password; reconnect the channel.",
        credentials={"access_jwt": "eyJ-secret-never-shown"},
    )
    client.force_login(editor)
    page = client.get(channels_url(practice)).text
    assert "Needs reconnecting" in page
    assert "no longer accepts this account" in page
    assert "eyJ-secret-never-shown" not in page
