"""The studio's own rows: who must approve each kind of post, and each post's history.

The post's state lives on the post (``posts.Status``); what the approval workflow adds is
the practice's policy and the steps that moved a post along, with who, when and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bedside.posts.models import Kind, Post
from bedside.practices.models import Practice, Role


class Approver(models.TextChoices):
    """Whose approval a policy may ask for; an approver fills the slot of their role."""

    CLINICIAN = "clinician", "A clinician"
    ADMIN = "admin", "An admin (owner or admin)"
    COMPLIANCE = "compliance", "A compliance officer"


APPROVER_OF_ROLE: dict[str, Approver] = {
    Role.CLINICIAN: Approver.CLINICIAN,
    Role.OWNER: Approver.ADMIN,
    Role.ADMIN: Approver.ADMIN,
    Role.COMPLIANCE: Approver.COMPLIANCE,
}


class ApprovalPolicy(models.Model):
    """For one kind of post in one practice: whose approval it needs before going public.

    No row, or a row asking for nobody, means the post is published straight from draft.
    """

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="approval_policies"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    needs_clinician = models.BooleanField(default=False)
    needs_admin = models.BooleanField(default=False)
    needs_compliance = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "approval policies"
        constraints = [
            models.UniqueConstraint(fields=["practice", "kind"], name="one_policy_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {', '.join(self.required) or 'nobody'}"

    @property
    def required(self) -> frozenset[Approver]:
        flags = {
            Approver.CLINICIAN: self.needs_clinician,
            Approver.ADMIN: self.needs_admin,
            Approver.COMPLIANCE: self.needs_compliance,
        }
        return frozenset(approver for approver, needed in flags.items() if needed)


class Step(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Asked for changes"
    COMMENTED = "commented", "Commented"
    EDITED = "edited", "Edited while in review"
    WITHDRAWN = "withdrawn", "Approval withdrawn: the words changed"
    SCHEDULED = "scheduled", "Scheduled"
    UNSCHEDULED = "unscheduled", "Unscheduled"
    PUBLISHED = "published", "Published"
    HELD = "held", "Held back when it fell due"
    UNPUBLISHED = "unpublished", "Unpublished"
    ARCHIVED = "archived", "Archived"


class PostEvent(models.Model):
    """One step in a post's life: who took it, when, and what they said.

    An approval keeps the fingerprint of the words it approved (``approvals.fingerprint``):
    it counts only while the post still says exactly that.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system took the step (a scheduled post falling due).",
    )
    step = models.CharField(max_length=20, choices=Step.choices)
    approver = models.CharField(max_length=16, choices=Approver.choices, blank=True)
    comment = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["post", "at", "id"], name="post_event_history")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(step="approved") | (~Q(approver="") & ~Q(fingerprint="")),
                name="approval_names_its_slot_and_words",
            ),
            models.CheckConstraint(
                condition=~Q(step__in=["changes_requested", "commented"]) | ~Q(comment=""),
                name="review_comment_has_words",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.step} at {self.at:%Y-%m-%d %H:%M}"
