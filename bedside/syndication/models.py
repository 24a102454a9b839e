"""Channels (a practice's accounts on other networks), deliveries and replies pulled back.

A ``Delivery`` is the one row per (post, channel) that makes syndication exactly-once: it is
claimed with a conditional update, the remote id is committed the moment the network answers,
and a retry asks the network for the post before writing again. Deliveries outlive their post
(``post`` becomes NULL) so the sweep can still delete the remote copy of a deleted post.

Secrets live only in ``Channel.sealed_credentials`` (Fernet, ``bedside/syndication/crypto.py``);
``__str__``/``__repr__`` and every message name the channel by network and handle alone.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from bedside.core.models import TimeStampedModel
from bedside.posts.models import Post
from bedside.practices.models import Practice
from bedside.syndication import crypto


class Network(models.TextChoices):
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FACEBOOK = "facebook", "Facebook Page"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", "Connected"
    NEEDS_RECONNECT = "needs_reconnect", "Needs reconnecting"
    DISCONNECTED = "disconnected", "Disconnected"


class Channel(TimeStampedModel):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="channels")
    network = models.CharField(max_length=16, choices=Network.choices)
    handle = models.CharField(max_length=200)
    server_url = models.URLField(max_length=300, blank=True)
    account_id = models.CharField(max_length=200, blank=True)
    sealed_credentials = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    last_error = models.CharField(max_length=500, blank=True)
    # When the network last refused our token: the studio tells managers once per break.
    broken_at = models.DateTimeField(null=True, blank=True)
    char_limit = models.PositiveIntegerField(default=0)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "handle", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "network", "server_url", "account_id"],
                name="one_channel_per_remote_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"

    def __repr__(self) -> str:
        return f"<Channel {self.pk} {self.network} {self.handle!r} {self.status}>"

    @property
    def credentials(self) -> dict[str, Any]:
        return crypto.unseal(self.sealed_credentials)

    def set_credentials(self, data: dict[str, Any]) -> None:
        self.sealed_credentials = crypto.seal(data)

    @property
    def is_active(self) -> bool:
        return self.status == ChannelStatus.ACTIVE


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    DONE = "done", "Published"
    FAILED = "failed", "Failed, will retry"
    RETRACTING = "retracting", "Removing"
    RETRACTED = "retracted", "Removed"
    GAVE_UP = "gave_up", "Gave up"


class Delivery(TimeStampedModel):
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    # Unique per attempt at a remote post: the idempotency key, the Bluesky record key's seed.
    key = models.CharField(max_length=64, unique=True)
    post_title = models.CharField(max_length=200, blank=True)  # for the log once post is gone
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    remote_id = models.CharField(max_length=300, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)  # a reason staff can read
    published_at = models.DateTimeField(null=True, blank=True)
    likes = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    counts_at = models.DateTimeField(null=True, blank=True)
    counts_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["channel__network", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_delivery_per_channel"),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(remote_id=""), name="done_delivery_has_remote_id"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed", "retracting"]),
                name="delivery_due",
            ),
            models.Index(fields=["status", "published_at"], name="delivery_status_published"),
        ]

    def __str__(self) -> str:
        return f"delivery #{self.pk} of post {self.post_id} to channel {self.channel_id}"


class RemoteReply(models.Model):
    """A reply on another network to a syndicated post, pulled back for staff to read."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="remote_replies")
    remote_id = models.CharField(max_length=300)
    author = models.CharField(max_length=200)
    text = models.TextField()
    url = models.URLField(max_length=500, blank=True)
    posted_at = models.DateTimeField()
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["posted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "remote_id"], name="one_row_per_reply"),
        ]

    def __str__(self) -> str:
        return f"reply {self.remote_id} by {self.author}"


class MastodonApp(TimeStampedModel):
    """Our OAuth client on one Mastodon server, registered once and reused by every practice."""

    server_url = models.URLField(max_length=300)
    redirect_uri = models.URLField(max_length=500)
    client_id = models.CharField(max_length=200)
    sealed_secret = models.TextField(editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["server_url", "redirect_uri"], name="one_app_per_server"
            ),
        ]

    def __str__(self) -> str:
        return f"Mastodon app on {self.server_url}"

    def __repr__(self) -> str:
        return f"<MastodonApp {self.pk} {self.server_url}>"

    @property
    def client_secret(self) -> str:
        return str(crypto.unseal(self.sealed_secret).get("client_secret", ""))

    def set_client_secret(self, secret: str) -> None:
        self.sealed_secret = crypto.seal({"client_secret": secret})
