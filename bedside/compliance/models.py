"""Patients' written authorizations, the posts that rely on them, and identifier overrides.

An ``Authorization`` is the practice's record of a signed form: whose (``subject_name``,
staff-only, never rendered on a public page), what it allows (``covers``), from when to
when, and the signed file itself, stored privately. A post that names or shows a patient
goes public only with an active authorization attached (``PostAuthorization``) that covers
what the identifier guard found, or with an ``IdentifierOverride`` whose fingerprint still
matches the post's words and pictures (``bedside/compliance/guard.py``).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from bedside.compliance.documents import document_name, private_storage
from bedside.core.models import TimeStampedModel
from bedside.posts.models import Post
from bedside.practices.models import Membership, Practice

EXPIRING_SOON = timedelta(days=30)


class Cover(models.TextChoices):
    STORY = "story", "Their story"
    PHOTO = "photo", "Photos of them"
    VIDEO = "video", "Video of them"
    NAME = "name", "Their name"


class State(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class Authorization(TimeStampedModel):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="authorizations")
    subject_name = models.CharField(max_length=200, help_text="As written on the signed form.")
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A list of ``Cover`` values; a JSON list reads the same on SQLite and PostgreSQL.
    covers = models.JSONField(default=list)
    signed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: until revoked.")
    document = models.FileField(storage=private_storage, upload_to=document_name)
    document_type = models.CharField(max_length=40)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)
    # Set once by the expiry sweep when it has taken down what depended on it.
    expiry_handled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        indexes = [
            models.Index(fields=["practice", "-created_at", "-id"], name="authorization_recent"),
            models.Index(
                fields=["expires_on"],
                name="authorization_expiry_due",
                condition=models.Q(revoked_at__isnull=True, expiry_handled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        # Names no patient: this is what audit rows, notifications and logs show.
        return f"authorization #{self.pk}"

    def covers_labels(self) -> list[str]:
        return [Cover(value).label for value in self.covers if value in Cover.values]

    def is_expired_on(self, day: date) -> bool:
        return self.expires_on is not None and self.expires_on < day

    def is_active_on(self, day: date) -> bool:
        return self.revoked_at is None and not self.is_expired_on(day)

    def state_on(self, day: date) -> State:
        if self.revoked_at is not None:
            return State.REVOKED
        if self.is_expired_on(day):
            return State.EXPIRED
        if self.expires_on is not None and self.expires_on <= day + EXPIRING_SOON:
            return State.EXPIRING
        return State.ACTIVE


class PostAuthorization(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="authorization_links")
    authorization = models.ForeignKey(
        Authorization, on_delete=models.CASCADE, related_name="post_links"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "authorization"], name="post_authorization_once"
            )
        ]

    def __str__(self) -> str:
        return f"post #{self.post_id} with authorization #{self.authorization_id}"


class IdentifierOverride(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="identifier_overrides")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField()
    # What the guard found when the override was given: [{"where", "kind", "text"}, …].
    findings = models.JSONField(default=list)
    # The post's content the override speaks for; any later edit voids it.
    fingerprint = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["post", "-at"], name="override_post_recent")]

    def __str__(self) -> str:
        return f"override of post #{self.post_id}"
