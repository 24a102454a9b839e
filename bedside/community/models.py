"""Pillar 2: support groups, their conversations, moderation and safety records.

People here may be very ill, frightened or in crisis. Authors are shown by their practice
``Membership.display_name`` (a pseudonym they chose), never their account's real name.
Counters on threads are moved with ``F()`` by the services; nothing happens in ``save()``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bedside.core.models import TimeStampedModel
from bedside.practices.models import Membership, Practice


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone reads, members post"
    PRIVATE = "private", "Private: members only, join on request"
    HIDDEN = "hidden", "Hidden: by invitation only"


class CrisisPolicy(models.TextChoices):
    HOLD = "hold", "Hold the post for a moderator"
    PUBLISH = "publish", "Publish the post and alert moderators"


class Group(TimeStampedModel):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="groups")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=4000, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    guidelines = models.TextField(max_length=8000, help_text="Markdown; accepted on joining.")
    guidelines_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    crisis_policy = models.CharField(
        max_length=10, choices=CrisisPolicy.choices, default=CrisisPolicy.HOLD
    )
    premoderate_first = models.PositiveSmallIntegerField(
        default=0, help_text="Hold a new member's first N posts for a moderator (0: none)."
    )
    member_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="group_slug_per_practice")
        ]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    PENDING = "pending", "Asked to join"
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Member"
    DECLINED = "declined", "Request declined"
    BANNED = "banned", "Banned"
    LEFT = "left", "Left"


class GroupMember(TimeStampedModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=MemberStatus.choices)
    request_note = models.CharField(max_length=500, blank=True)
    accepted_guidelines_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(null=True, blank=True)
    approved_posts = models.PositiveIntegerField(
        default=0, help_text="Posts published so far (pre-moderation counts these)."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_group_member_per_user")
        ]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.status})"


class PostStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Held for a moderator"
    HIDDEN = "hidden", "Hidden by a moderator"
    REMOVED = "removed", "Removed by a moderator"
    DELETED = "deleted", "Deleted by its author"


class Thread(TimeStampedModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author_membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=10000)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    reply_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["group", "status", "-is_pinned", "-last_activity_at", "-id"],
                name="thread_list",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Reply(TimeStampedModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author_membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    quote = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=10000)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    edited_at = models.DateTimeField(null=True, blank=True)
    followers_told_at = models.DateTimeField(
        null=True, blank=True, help_text="When the notify sweep told the thread's followers."
    )

    class Meta:
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="reply_order"),
            models.Index(
                fields=["created_at"],
                name="reply_followers_untold",
                condition=Q(followers_told_at__isnull=True, status="published"),
            ),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} in {self.thread_id}"


class ReactionKind(models.TextChoices):
    HUG = "hug", "Hug"
    HELPFUL = "helpful", "Helpful"
    ME_TOO = "me_too", "Me too"


class GroupReaction(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, reply__isnull=True)
                | Q(thread__isnull=True, reply__isnull=False),
                name="group_reaction_one_target",
            ),
            models.UniqueConstraint(
                fields=["thread", "user", "kind"],
                condition=Q(thread__isnull=False),
                name="one_thread_reaction_per_kind",
            ),
            models.UniqueConstraint(
                fields=["reply", "user", "kind"],
                condition=Q(reply__isnull=False),
                name="one_reply_reaction_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"


class ThreadFollow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_follow_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id}"


class Report(TimeStampedModel):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, reply__isnull=True)
                | Q(thread__isnull=True, reply__isnull=False),
                name="report_one_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["practice", "created_at"],
                name="report_open",
                condition=Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}: {self.reason[:40]}"


class ModAction(models.TextChoices):
    APPROVE_MEMBER = "approve_member", "Approved a join request"
    DECLINE_MEMBER = "decline_member", "Declined a join request"
    INVITE = "invite", "Invited a member"
    APPROVE_POST = "approve_post", "Approved a held post"
    HIDE = "hide", "Hid a post"
    REMOVE = "remove", "Removed a post"
    RESTORE = "restore", "Restored a post"
    LOCK = "lock", "Locked a thread"
    UNLOCK = "unlock", "Unlocked a thread"
    PIN = "pin", "Pinned a thread"
    UNPIN = "unpin", "Unpinned a thread"
    MUTE = "mute", "Muted a member"
    BAN = "ban", "Banned a member"
    UNBAN = "unban", "Lifted a ban"
    DISMISS_REPORT = "dismiss_report", "Dismissed a report"
    HANDLE_ALERT = "handle_alert", "Handled a safety alert"


class ModerationLogEntry(models.Model):
    """Who did what, to what, why and when: written by every moderation service."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModAction.choices)
    reason = models.CharField(max_length=500)
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        GroupMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["practice", "-created_at", "-id"], name="modlog_recent")]

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id}: {self.reason[:40]}"


class SafetyAlert(models.Model):
    """Crisis language found in a thread or reply; moderators are told urgently."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="safety_alerts"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="safety_alerts"
    )
    category = models.CharField(max_length=40)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moderators_told_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, reply__isnull=True)
                | Q(thread__isnull=True, reply__isnull=False),
                name="safety_alert_one_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="safety_alert_untold",
                condition=Q(moderators_told_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} alert {self.pk}"


DEFAULT_CRISIS_LINES = (
    "988 Suicide & Crisis Lifeline — call or text 988",
    "Emergency services — call 911",
    "Crisis Text Line — text HOME to 741741",
)


class CommunitySettings(TimeStampedModel):
    """Per-practice crisis resources; empty lines mean the default US set."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="community_settings"
    )
    crisis_resources = models.TextField(
        blank=True, max_length=2000, help_text="One resource per line; empty: the US defaults."
    )

    def resource_lines(self) -> list[str]:
        return crisis_lines(self.practice, self.crisis_resources)

    def __str__(self) -> str:
        return f"Community settings of {self.practice_id}"


def crisis_lines(practice: Practice, configured: str = "") -> list[str]:
    lines = [line.strip() for line in configured.splitlines() if line.strip()]
    if not lines:
        lines = list(DEFAULT_CRISIS_LINES)
        if practice.phone:
            lines.append(f"{practice.name} — call {practice.phone}")
    return lines
