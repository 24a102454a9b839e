"""Responses on other networks (likes, shares, replies) to the posts published in a range.

Syndication pulls these counts back onto each ``Delivery`` (post × channel) on a schedule;
they are already totals, so analytics reads them as they are instead of rolling them up.
A network does not always tell: the counts were not read yet (``counts_at`` empty), or the
last read failed and left a reason in ``counts_note`` with nothing ever counted (a Bluesky
server without an AppView has no counts to give). Such a delivery's counts are *unknown*,
shown as "counts not available" and never as 0 — the same rule the delivery log follows.
Two queries whatever the number of posts or channels.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bedside.posts.models import Status
from bedside.practices.models import Practice
from bedside.syndication.models import Channel, ChannelStatus, Delivery, DeliveryStatus, Network

NOT_AVAILABLE = "counts not available"
TOP_POSTS = 10


@dataclass(frozen=True, slots=True)
class Responses:
    """One delivery's counts, or ``known=False`` when the network gave none."""

    post_id: int
    title: str
    channel_id: int
    channel: str
    known: bool
    likes: int
    shares: int
    replies: int

    @property
    def total(self) -> int:
        return self.likes + self.shares + self.replies


@dataclass(frozen=True, slots=True)
class ChannelResponses:
    channel_id: int
    channel: str
    posts: int
    posts_counted: int  # posts whose counts this network gave
    likes: int
    shares: int
    replies: int


@dataclass(frozen=True, slots=True)
class NetworkResponses:
    connected: bool  # the practice has a channel that is not disconnected
    channels: tuple[ChannelResponses, ...]
    top: tuple[tuple[Responses, ...], ...]  # per top post, its deliveries


def _known(counts_at: datetime | None, note: str, likes: int, shares: int, replies: int) -> bool:
    # Counts read once stay on the row when a later read fails (with a note): they are then
    # old but real. All zero with a note means the network never gave any.
    if counts_at is None:
        return False
    return not note or bool(likes or shares or replies)


def _label(network: str, handle: str) -> str:
    name = Network(network).label if network in Network.values else network
    return f"{name} {handle}"


def network_responses(practice: Practice, start: date, end: date) -> NetworkResponses:
    """Counts of the practice's posts published in ``start``–``end`` (UTC days) that went out
    to another network and are still there."""
    connected = (
        Channel.objects.filter(practice=practice)
        .exclude(status=ChannelStatus.DISCONNECTED)
        .exists()
    )
    rows = (
        Delivery.objects.filter(
            practice=practice,
            post__practice=practice,
            post__status=Status.PUBLISHED,
            post__published_at__gte=datetime.combine(start, time.min, tzinfo=UTC),
            post__published_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
            status=DeliveryStatus.DONE,
        )
        .values_list(
            "post_id",
            "post__title",
            "channel_id",
            "channel__network",
            "channel__handle",
            "likes",
            "shares",
            "replies",
            "counts_at",
            "counts_note",
        )
        .order_by("channel__network", "channel__handle", "channel_id", "post_id")
    )
    deliveries = [
        Responses(
            post_id=post_id,
            title=title,
            channel_id=channel_id,
            channel=_label(network, handle),
            known=_known(counts_at, note, likes, shares, replies),
            likes=likes,
            shares=shares,
            replies=replies,
        )
        for (
            post_id,
            title,
            channel_id,
            network,
            handle,
            likes,
            shares,
            replies,
            counts_at,
            note,
        ) in rows
    ]
    by_channel: dict[int, list[Responses]] = {}
    by_post: dict[int, list[Responses]] = {}
    for item in deliveries:
        by_channel.setdefault(item.channel_id, []).append(item)
        by_post.setdefault(item.post_id, []).append(item)
    channels = tuple(
        ChannelResponses(
            channel_id=channel_id,
            channel=items[0].channel,
            posts=len(items),
            posts_counted=sum(1 for item in items if item.known),
            likes=sum(item.likes for item in items if item.known),
            shares=sum(item.shares for item in items if item.known),
            replies=sum(item.replies for item in items if item.known),
        )
        for channel_id, items in by_channel.items()
    )

    def rank(post_id: int) -> tuple[bool, int, int]:
        items = by_post[post_id]
        known = [item for item in items if item.known]
        # Posts no network gave counts for come last, but still show: not knowing is news.
        return (bool(known), sum(item.total for item in known), post_id)

    top = tuple(
        tuple(by_post[post_id]) for post_id in sorted(by_post, key=rank, reverse=True)[:TOP_POSTS]
    )
    return NetworkResponses(connected=connected, channels=channels, top=top)
