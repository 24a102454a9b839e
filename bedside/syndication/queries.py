"""Reads of syndication for the studio's pages, each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from bedside.posts.models import Post
from bedside.practices.models import Practice
from bedside.syndication.adapters import ADAPTERS
from bedside.syndication.adapters.base import Account, Preview
from bedside.syndication.models import Channel, ChannelStatus, Delivery, RemoteReply
from bedside.syndication.outgoing import outgoing_for


def channels_of(practice: Practice) -> QuerySet[Channel]:
    return (
        Channel.objects.filter(practice=practice)
        .exclude(status=ChannelStatus.DISCONNECTED)
        .select_related("connected_by")
        .order_by("network", "handle")
    )


def deliveries_of(post: Post) -> list[Delivery]:
    return list(
        Delivery.objects.filter(post=post)
        .select_related("channel")
        .prefetch_related(
            Prefetch("remote_replies", queryset=RemoteReply.objects.order_by("-posted_at", "-id"))
        )
        .order_by("channel__network", "channel__handle", "id")
    )


def has_channels(post: Post) -> bool:
    return Channel.objects.filter(
        practice_id=post.practice_id, status=ChannelStatus.ACTIVE
    ).exists()


@dataclass(frozen=True)
class ChannelPreview:
    channel: Channel
    preview: Preview


def previews_for(post: Post) -> list[ChannelPreview]:
    """What each active channel would receive of ``post``, with its problems; no network call."""
    channels = list(
        Channel.objects.filter(practice_id=post.practice_id, status=ChannelStatus.ACTIVE).order_by(
            "network", "handle"
        )
    )
    if not channels:
        return []
    outgoing = outgoing_for(post, "preview")
    previews = []
    for channel in channels:
        adapter = ADAPTERS.get(channel.network)
        if adapter is None:
            continue
        account = Account(
            network=channel.network,
            server_url=channel.server_url,
            account_id=channel.account_id,
            handle=channel.handle,
            credentials={},  # a preview needs no secret
            char_limit=channel.char_limit,
        )
        previews.append(ChannelPreview(channel, adapter.preview(outgoing, account)))
    return previews
