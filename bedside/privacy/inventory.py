"""Everything the house keeps about a person, section by section, for "Download my data".

Each ``Section`` says which foreign keys to the user (or their membership) it covers, as
``"app_label.Model.field"``; ``NOT_PERSONAL`` names the others and says why they are left
out. ``tests/privacy/test_export.py`` walks every installed model and fails when a foreign
key to a user or a membership is in neither, so a new model cannot slip past the export.
Rows are read with ``iterator()`` one section at a time, so a large account never sits in
memory whole.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bedside.practices.models import User
from bedside.privacy import readers
from bedside.privacy.readers import Row


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    covers: tuple[str, ...]
    rows: Callable[[User], Iterable[Row]]


SECTIONS: tuple[Section, ...] = (
    Section("account", "Your account", (), readers.account),
    Section(
        "email_addresses",
        "Email addresses",
        ("account.EmailAddress.user",),
        readers.email_addresses,
    ),
    Section(
        "two_factor", "Two-factor sign-in", ("mfa.Authenticator.user",), readers.authenticators
    ),
    Section(
        "memberships",
        "Practices you follow or work at",
        ("practices.Membership.user",),
        readers.memberships,
    ),
    Section(
        "staff_profiles",
        "Your team profiles",
        ("practices.StaffProfile.membership",),
        readers.staff_profiles,
    ),
    Section(
        "notification_preferences",
        "Notification preferences",
        ("notify.NotificationPreference.user",),
        readers.preferences,
    ),
    Section("notifications", "Notifications", ("notify.Notification.user",), readers.notifications),
    Section(
        "emails_sent", "Emails we sent you", ("notify.EmailDelivery.user",), readers.emails_sent
    ),
    Section(
        "push_subscriptions",
        "Browsers receiving push notifications",
        ("push.PushSubscription.user",),
        readers.push_subscriptions,
    ),
    Section(
        "posts_written",
        "Posts you wrote for a practice",
        ("posts.Post.author",),
        readers.posts_written,
    ),
    Section("reactions", "Reactions", ("posts.Reaction.user",), readers.reactions),
    Section("comments", "Comments", ("posts.Comment.author",), readers.comments),
    Section("rsvps", "Event replies", ("events.Rsvp.user",), readers.rsvps),
    Section("questions", "Questions you asked", ("education.Question.asker",), readers.questions),
    Section("poll_ballots", "Poll votes", ("engagement.Ballot.user",), readers.ballots),
    Section("quiz_attempts", "Quizzes played", ("engagement.Attempt.user",), readers.attempts),
    Section("contest_entries", "Contest entries", ("contests.Entry.user",), readers.entries),
    Section(
        "group_memberships",
        "Support groups",
        ("community.GroupMember.user", "community.GroupMember.membership"),
        readers.group_memberships,
    ),
    Section(
        "group_threads",
        "Conversations you started",
        ("community.Thread.author", "community.Thread.author_membership"),
        readers.threads,
    ),
    Section(
        "group_replies",
        "Replies in support groups",
        ("community.Reply.author", "community.Reply.author_membership"),
        readers.replies,
    ),
    Section(
        "group_reactions",
        "Reactions in support groups",
        ("community.GroupReaction.user",),
        readers.group_reactions,
    ),
    Section(
        "followed_conversations",
        "Conversations you follow",
        ("community.ThreadFollow.user",),
        readers.follows,
    ),
    Section("reports_filed", "Reports you filed", ("community.Report.reporter",), readers.reports),
    Section(
        "authorizations",
        "Authorizations you signed for a practice",
        ("compliance.Authorization.membership",),
        readers.authorizations,
    ),
)

# Keys to a person that record their work for a practice, not data about them; the practice
# keeps these records (who reviewed, drew, decided or moderated) when the person leaves.
NOT_PERSONAL: dict[str, str] = {
    "admin.LogEntry.user": "Django admin's own log of site administrators' edits.",
    "practices.Invitation.created_by": "which staff member made a practice's invitation link",
    "education.Article.reviewed_by": "the clinician who reviewed an article (work record)",
    "education.Citation.approved_by": "the clinician who approved a source (work record)",
    "contests.Contest.drawn_by": "the staff member who ran a draw (work record)",
    "community.GroupMember.decided_by": "the moderator who decided a join request",
    "community.Report.resolved_by": "the moderator who resolved a report",
    "community.ModerationLogEntry.moderator": "the moderator who took a logged action",
    "community.SafetyAlert.handled_by": "the moderator who handled a safety alert",
    "compliance.Authorization.created_by": "the staff member who filed an authorization",
    "compliance.Authorization.revoked_by": "the staff member who recorded a revocation",
    "compliance.PostAuthorization.attached_by": "who attached an authorization to a post",
    "compliance.IdentifierOverride.by": "the compliance officer who signed off an override",
    "studio.PostEvent.actor": "the staff member who took a step in a post's review",
    "syndication.Channel.connected_by": "the staff member who connected a network account",
}


def covered_keys() -> set[str]:
    return {key for section in SECTIONS for key in section.covers}
