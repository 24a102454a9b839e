"""Notifications, each person's preferences per practice, broadcasts and email deliveries.

Rows carry their own state so that background work is resumable and idempotent: a
``Notification`` is unique per (user, key); a ``Broadcast`` keeps the cursor of the last
membership it reached; an ``EmailDelivery`` is unique per notification (or per digest day)
and records its attempts, its next attempt and its last error.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bedside.core.models import TimeStampedModel
from bedside.practices.models import Practice


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500)
    key = models.CharField(max_length=200, help_text="Unique per user: makes sending idempotent.")
    in_app = models.BooleanField(default=True, help_text="Shown in the notification centre.")
    push_after = models.DateTimeField(
        null=True, blank=True, help_text="Push still owed, not before this time (quiet hours)."
    )
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_key_per_user"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_centre"),
            models.Index(
                fields=["user"],
                name="notification_unread",
                condition=Q(read_at__isnull=True, in_app=True),
            ),
            models.Index(
                fields=["push_after"],
                name="notification_push_owed",
                condition=Q(push_after__isnull=False),
            ),
            models.Index(fields=["post"], name="notification_post"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → user {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", "As it happens"
    DAILY_DIGEST = "daily_digest", "One email a day (digest)"


class NotificationPreference(TimeStampedModel):
    """One person's choices for one practice; no row means the defaults below."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    muted_kinds = models.JSONField(default=list, blank=True, help_text="Post kinds not wanted.")
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    push = models.BooleanField(default=True)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.IMMEDIATE)
    quiet_start = models.TimeField(null=True, blank=True, help_text="Practice time zone.")
    quiet_end = models.TimeField(null=True, blank=True, help_text="Practice time zone.")
    email_opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"], name="notification_preference_per_practice"
            ),
        ]

    def __str__(self) -> str:
        return f"Preferences of user {self.user_id} for practice {self.practice_id}"


class BroadcastStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Broadcast(TimeStampedModel):
    """The fan-out of one published post to every member of its practice."""

    post = models.OneToOneField("posts.Post", on_delete=models.CASCADE, related_name="broadcast")
    status = models.CharField(
        max_length=16, choices=BroadcastStatus.choices, default=BroadcastStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0, help_text="Members to reach.")
    processed_count = models.PositiveIntegerField(default=0, help_text="Members reached so far.")
    in_app_count = models.PositiveIntegerField(default=0)
    email_sent_count = models.PositiveIntegerField(default=0)
    email_failed_count = models.PositiveIntegerField(default=0)
    push_sent_count = models.PositiveIntegerField(default=0)
    last_membership_id = models.BigIntegerField(default=0, help_text="Cursor: resume after it.")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sweep may (re)start it if it stalls."
    )
    last_error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="broadcast_unfinished",
                condition=Q(status__in=["pending", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Broadcast of post {self.post_id} ({self.status})"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailDelivery(TimeStampedModel):
    """One email owed to one person: a notification, or the digest of one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    broadcast = models.ForeignKey(
        Broadcast, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    digest_on = models.DateField(
        null=True, blank=True, help_text="For a digest: the practice-local day it covers."
    )
    to = models.EmailField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification"],
                name="one_email_per_notification",
                condition=Q(notification__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "practice", "digest_on"],
                name="one_digest_per_day",
                condition=Q(digest_on__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(notification__isnull=False) | Q(digest_on__isnull=False),
                name="email_is_a_notice_or_a_digest",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="email_due",
                condition=Q(status="queued"),
            ),
        ]

    def __str__(self) -> str:
        return f"Email to {self.to} ({self.status})"
