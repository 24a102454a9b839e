"""The audit trail: one append-only row per staff state change or view of patients' data.

Rows keep plain ids and labels, never foreign keys: a practice or a staff account may be
deleted, and its trail must outlive it without an ``ON DELETE`` ever touching a row. Labels
name staff and things (a post's title, "membership #42"), never a patient.
"""

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now)
    practice_id = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["practice_id", "-at", "-id"], name="audit_practice_time"),
            models.Index(fields=["practice_id", "action", "-at"], name="audit_practice_action"),
            models.Index(fields=["actor_id", "-at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit events cannot be deleted.")
