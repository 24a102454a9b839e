"""Browsers that agreed to receive web push, and each push owed to one of them.

A ``PushSubscription`` is one browser of one person (the endpoint its push service gave
it, and the keys to encrypt for it). A ``PushDelivery`` is one notification owed to one
subscription: unique per pair, so a batch sent twice pushes once, and it carries its own
state (attempts, next attempt, last error) so that a sweep can retry it after a failure or
after a worker died in the middle of sending.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bedside.notify.models import Notification


class PushSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200, help_text="The browser's public key (base64url).")
    auth = models.CharField(max_length=100, help_text="The browser's auth secret (base64url).")
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of user {self.user_id}"

    @property
    def info(self) -> dict[str, object]:
        """The subscription as the browser's ``PushSubscription.toJSON()`` gave it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    EXPIRED = "expired", "Subscription expired"
    FAILED = "failed", "Failed"


# Which status may follow which. ``sending`` is a lease: a worker that dies mid-send
# leaves the row there until ``next_attempt_at`` passes and a sweep claims it again.
TRANSITIONS: dict[str, frozenset[str]] = {
    PushStatus.QUEUED: frozenset({PushStatus.SENDING}),
    PushStatus.SENDING: frozenset(
        {
            PushStatus.SENT,
            PushStatus.QUEUED,
            PushStatus.EXPIRED,
            PushStatus.FAILED,
            PushStatus.SENDING,
        }
    ),
    PushStatus.SENT: frozenset(),
    PushStatus.EXPIRED: frozenset(),
    PushStatus.FAILED: frozenset(),
}


class PushDelivery(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="push_deliveries"
    )
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=PushStatus.choices, default=PushStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "subscription"], name="one_push_per_subscription"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="push_due",
                condition=Q(status__in=["queued", "sending"]),
            ),
        ]
        verbose_name_plural = "push deliveries"

    def __str__(self) -> str:
        return f"Push of notification {self.notification_id} ({self.status})"
