import csv
import io
from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bedside.analytics.exports import SUPPRESSED, build_dashboard
from bedside.analytics.networks import NOT_AVAILABLE, network_responses
from bedside.audit.models import AuditEvent
from bedside.demo import riverside
from bedside.demo.seeding import seed_demo
from bedside.posts.models import Status
from bedside.practices.models import Practice, Role, User
from bedside.syndication.models import Channel, ChannelStatus, Delivery, DeliveryStatus, Network
from tests.factories import ChannelFactory, DeliveryFactory, PostFactory, member

pytestmark = pytest.mark.django_db

_accounts = count()


def channel(practice: Practice, network: str = Network.BLUESKY, **kwargs: object) -> Channel:
    n = next(_accounts)
    return ChannelFactory(
        practice=practice,
        network=network,
        handle=kwargs.pop("handle", f"account{n}.example"),
        account_id=f"acct-{n}",
        **kwargs,
    )


def delivered(
    on: Channel,
    *,
    likes: int = 0,
    shares: int = 0,
    replies: int = 0,
    read: bool = True,
    note: str = "",
    post=None,
    days_ago: int = 1,
    status: str = DeliveryStatus.DONE,
) -> Delivery:
    """A post out on ``on`` with its counts read (or not: ``read=False``, or a failure note)."""
    if post is None:
        post = PostFactory(
            practice=on.practice, published_at=timezone.now() - timedelta(days=days_ago)
        )
    return DeliveryFactory(
        channel=on,
        post=post,
        status=status,
        remote_id=f"remote-{next(_accounts)}",
        likes=likes,
        shares=shares,
        replies=replies,
        counts_at=timezone.now() if read or note else None,
        counts_note=note,
    )


def last_90_days():
    today = timezone.now().date()
    return today - timedelta(days=89), today


def test_each_network_sums_the_counts_it_gave(practice) -> None:
    bluesky = channel(practice, Network.BLUESKY, handle="riverside.bsky.social")
    mastodon = channel(practice, Network.MASTODON, handle="@riverside@mastodon.example")
    delivered(bluesky, likes=7, shares=2, replies=1)
    delivered(bluesky, likes=3, shares=0, replies=4)
    delivered(mastodon, likes=11, shares=5, replies=0)

    result = network_responses(practice, *last_90_days())

    by_name = {row.channel: row for row in result.channels}
    assert result.connected
    sky = by_name["Bluesky riverside.bsky.social"]
    assert (sky.posts, sky.posts_counted, sky.likes, sky.shares, sky.replies) == (2, 2, 10, 2, 5)
    masto = by_name["Mastodon @riverside@mastodon.example"]
    assert (masto.posts, masto.likes, masto.shares, masto.replies) == (1, 11, 5, 0)


def test_a_network_that_gives_no_counts_is_never_shown_as_zero(practice) -> None:
    pds = channel(practice, Network.BLUESKY, handle="riverside.pds.test")
    delivered(pds, note="This Bluesky server does not offer counts (no AppView behind it).")
    delivered(pds, read=False)  # published, not read yet

    tables = build_dashboard(practice, *last_90_days()).tables

    assert tables["networks"].rows == (
        ("Bluesky riverside.pds.test", 2, 0, NOT_AVAILABLE, NOT_AVAILABLE, NOT_AVAILABLE),
    )
    for row in tables["network_posts"].rows:
        assert row[2:] == (NOT_AVAILABLE,) * 4
        assert 0 not in row


def test_counts_read_once_stay_known_when_a_later_read_fails(practice) -> None:
    masto = channel(practice, Network.MASTODON)
    delivered(masto, likes=6, shares=1, replies=2, note="The server timed out.")
    delivered(masto, note="The server timed out.")  # never gave anything

    (row,) = network_responses(practice, *last_90_days()).channels

    assert (row.posts, row.posts_counted, row.likes, row.shares, row.replies) == (2, 1, 6, 1, 2)


def test_only_this_practices_posts_published_in_the_range_and_still_out_count(
    practice, other_practice
) -> None:
    mine = channel(practice)
    delivered(mine, likes=5)
    delivered(mine, likes=100, days_ago=200)  # published before the range
    delivered(mine, likes=100, status=DeliveryStatus.RETRACTED)  # taken down
    delivered(mine, likes=100, status=DeliveryStatus.PENDING, read=False)  # not out yet
    draft = PostFactory(practice=practice, status=Status.DRAFT, published_at=None)
    delivered(mine, likes=100, post=draft)
    delivered(channel(other_practice), likes=100)

    (row,) = network_responses(practice, *last_90_days()).channels

    assert (row.posts, row.likes) == (1, 5)
    assert network_responses(practice, *last_90_days()).top[0][0].likes == 5


def test_top_posts_rank_by_responses_and_posts_without_counts_come_last(practice) -> None:
    sky, masto = channel(practice, Network.BLUESKY), channel(practice, Network.MASTODON)
    quiet = delivered(sky, likes=1).post
    loud = delivered(sky, likes=20, shares=3).post
    delivered(masto, post=loud, note="No counts here.")
    unknown = delivered(masto, note="No counts here.").post
    for _ in range(12):
        delivered(sky, likes=2)

    top = network_responses(practice, *last_90_days()).top

    assert len(top) == 10
    assert top[0][0].post_id == loud.pk
    assert {item.known for item in top[0]} == {True, False}
    assert quiet.pk not in {post[0].post_id for post in top}
    assert unknown.pk not in {post[0].post_id for post in top}

    rows = build_dashboard(practice, *last_90_days()).tables["network_posts"].rows
    assert rows[0][2:] == (20, 3, 0, 23)
    assert rows[1][0] == loud.title and rows[1][2:] == (NOT_AVAILABLE,) * 4


def test_without_a_connected_network_the_section_says_so_and_links_managers_to_networks(
    client, practice
) -> None:
    channel(practice, status=ChannelStatus.DISCONNECTED)  # once connected, since disconnected
    url = reverse("analytics_dashboard", args=[practice.slug])
    networks = reverse("syndication_channels", args=[practice.slug])

    client.force_login(member(practice, Role.OWNER))
    page = client.get(url).content.decode()
    assert "No networks connected yet." in page
    assert f'<a href="{networks}">Connect one on the Networks page</a>' in page
    assert 'id="table-networks"' not in page

    client.force_login(member(practice, Role.CLINICIAN))
    page = client.get(url).content.decode()
    assert "No networks connected yet." in page
    assert "Connect one on the Networks page" not in page  # clinicians may not connect one
    assert "Someone who may manage the practice’s networks can connect one." in page


def test_the_dashboard_shows_the_tables_scrolling_with_headers(client, practice) -> None:
    sky = channel(practice, handle="riverside.pds.test")
    delivered(sky, likes=9, shares=4, replies=2)
    delivered(sky, note="This Bluesky server does not offer counts (no AppView behind it).")
    client.force_login(member(practice, Role.EDITOR))

    page = client.get(reverse("analytics_dashboard", args=[practice.slug])).content.decode()

    assert '<h2 id="networks-heading">On other networks</h2>' in page
    for key in ("networks", "network_posts"):
        assert f'<div class="table-scroll">\n  <table class="data" id="table-{key}">' in page
    assert '<th scope="col">Likes</th>' in page
    assert '<th scope="row">Bluesky riverside.pds.test</th>' in page
    assert f"<td>{NOT_AVAILABLE}</td>" in page
    assert "No networks connected yet" not in page


def test_a_connected_network_without_posts_in_the_range_says_nothing_went_out(
    client, practice
) -> None:
    channel(practice)
    client.force_login(member(practice, Role.EDITOR))
    page = client.get(reverse("analytics_dashboard", args=[practice.slug])).content.decode()
    assert "No post published in this range went out to another network." in page
    assert "No networks connected yet" not in page


def test_the_csv_files_carry_the_counts_suppressed_and_unknown_as_words(client, practice) -> None:
    sky = channel(practice, handle="riverside.pds.test")
    delivered(sky, likes=12, shares=3, replies=0)
    masto = channel(practice, Network.MASTODON, handle="@riverside@social.example")
    delivered(masto, note="The server offers no counts.")
    client.force_login(member(practice, Role.EDITOR))

    def rows(table: str) -> list[list[str]]:
        url = reverse("analytics_csv", args=[practice.slug, table])
        response = client.get(url)
        assert response.status_code == 200
        return list(csv.reader(io.StringIO(response.content.decode())))

    networks = rows("networks")
    assert networks[0] == ["Network", "Posts", "Posts with counts", "Likes", "Shares", "Replies"]
    assert ["Bluesky riverside.pds.test", "1", "1", "12", SUPPRESSED, "0"] in networks
    assert ["Mastodon @riverside@social.example", "1", "0", *[NOT_AVAILABLE] * 3] in networks
    posts = rows("network_posts")
    assert posts[0] == ["Post", "Network", "Likes", "Shares", "Replies", "Responses"]
    assert posts[1][1:] == ["Bluesky riverside.pds.test", "12", SUPPRESSED, "0", "15"]
    assert posts[2][1:] == ["Mastodon @riverside@social.example", *[NOT_AVAILABLE] * 4]
    exported = AuditEvent.objects.filter(action="analytics.export", practice_id=practice.pk)
    assert {event.detail["table"] for event in exported} == {"networks", "network_posts"}


def test_the_monthly_report_has_the_section(client, practice) -> None:
    first = timezone.localdate().replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    sky = channel(practice, handle="riverside.pds.test")
    post = PostFactory(
        practice=practice,
        published_at=timezone.now().replace(year=last_month.year, month=last_month.month, day=10),
    )
    delivered(sky, post=post, likes=8, shares=1, replies=6)
    client.force_login(member(practice, Role.OWNER))

    page = client.get(reverse("analytics_report", args=[practice.slug])).content.decode()

    assert "On other networks" in page
    assert '<th scope="row">Bluesky riverside.pds.test</th>' in page
    assert "<td>8</td>" in page


def network_queries(client, practice: Practice, posts: int) -> int:
    channels = [channel(practice, network) for network in (Network.BLUESKY, Network.MASTODON)]
    for index in range(posts):
        post = PostFactory(practice=practice, published_at=timezone.now() - timedelta(days=1))
        delivered(channels[0], post=post, likes=index)
        delivered(channels[1], post=post, note="No counts here.")
    client.force_login(member(practice, Role.OWNER))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("analytics_dashboard", args=[practice.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<td>Mastodon account") == min(posts, 10)
    return len(queries)


def test_the_section_costs_the_same_for_3_or_40_posts(client, practice, other_practice) -> None:
    assert network_queries(client, practice, 3) == network_queries(client, other_practice, 40)


def test_the_demo_dashboard_invites_the_editor_to_connect_a_network(client) -> None:
    # The demo seeds no channel on purpose: its editor connects the local Bluesky server.
    seed_demo()
    client.force_login(User.objects.get(email="editor@riverside.example"))
    page = client.get(reverse("analytics_dashboard", args=[riverside.SLUG])).content.decode()
    networks = reverse("syndication_channels", args=[riverside.SLUG])
    assert "No networks connected yet." in page
    assert f'<a href="{networks}">Connect one on the Networks page</a>' in page
