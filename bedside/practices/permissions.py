"""Authorization in one place: ``can(user, action, obj)`` and the ``access_*`` loaders.

Every view, service and API endpoint asks here. Loaders raise ``NotFound`` both for rows
that do not exist and for rows of another practice (or that the viewer may not see), so a
URL never tells a stranger whether something exists.

A user's roles are read once per request and cached on the user object, so checks in a
loop over a feed cost no queries.

This module sits below the apps whose rows it judges (posts, and the pillar apps later),
so it never imports them: it tells rows apart by their model label and reads their
fields, which keeps the layering one-way.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser

from bedside.core.errors import NotAllowed, NotFound
from bedside.practices.models import (
    STAFF_ROLES,
    Invitation,
    Location,
    Membership,
    Practice,
    Role,
    StaffProfile,
    User,
)

if TYPE_CHECKING:
    from bedside.posts.models import Post

AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW_PRACTICE = "view_practice"
    FOLLOW_PRACTICE = "follow_practice"
    VIEW_PATIENT_CONTENT = "view_patient_content"
    EDIT_PRACTICE = "edit_practice"
    VIEW_MEMBERS = "view_members"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_INVITATIONS = "manage_invitations"
    INVITE_STAFF = "invite_staff"
    MANAGE_TEAM = "manage_team"
    EDIT_PROFILE = "edit_profile"
    USE_STUDIO = "use_studio"
    CREATE_POST = "create_post"
    VIEW_POST = "view_post"
    EDIT_POST = "edit_post"
    PUBLISH_POST = "publish_post"
    PIN_POST = "pin_post"
    DELETE_POST = "delete_post"
    REACT = "react"
    COMMENT = "comment"
    DELETE_COMMENT = "delete_comment"
    HIDE_COMMENT = "hide_comment"
    RSVP = "rsvp"
    MANAGE_ATTENDEES = "manage_attendees"
    VOTE = "vote"
    PLAY_QUIZ = "play_quiz"
    VIEW_POLL_RESULTS = "view_poll_results"
    ENTER_CONTEST = "enter_contest"
    DRAW_CONTEST = "draw_contest"
    REVIEW_ARTICLE = "review_article"
    APPROVE_CITATION = "approve_citation"
    MANAGE_TRUSTED_SOURCES = "manage_trusted_sources"
    ASK_QUESTION = "ask_question"
    ANSWER_QUESTION = "answer_question"
    VIEW_ANALYTICS = "view_analytics"
    JOIN_GROUP = "join_group"
    MODERATE_GROUPS = "moderate_groups"
    MANAGE_GROUPS = "manage_groups"
    # The studio's approval workflow (issue 7).
    SUBMIT_FOR_REVIEW = "submit_for_review"
    APPROVE_POST = "approve_post"
    CONFIGURE_APPROVALS = "configure_approvals"
    # Compliance: patients' written authorizations, identifier overrides, the audit log.
    MANAGE_AUTHORIZATIONS = "manage_authorizations"
    OVERRIDE_IDENTIFIERS = "override_identifiers"
    VIEW_AUDIT_LOG = "view_audit_log"
    # Syndication: connecting the practice's accounts elsewhere, and the delivery log.
    MANAGE_CHANNELS = "manage_channels"
    VIEW_DELIVERIES = "view_deliveries"


_EVERY_MEMBER = frozenset(Role)
_MANAGERS = frozenset({Role.OWNER, Role.ADMIN})
_PUBLISHERS = frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR})
_AUTHORS = _PUBLISHERS | {Role.CLINICIAN}
_MODERATORS = _PUBLISHERS | {Role.MODERATOR}

# Which roles may take each action within their own practice. Object rules below narrow
# some of these (a clinician edits only their own posts, anyone deletes their own comment).
ROLE_GRANTS: dict[Action, frozenset[Role]] = {
    Action.VIEW_PATIENT_CONTENT: _EVERY_MEMBER,
    Action.EDIT_PRACTICE: _MANAGERS,
    Action.VIEW_MEMBERS: _MANAGERS,
    Action.MANAGE_MEMBERS: _MANAGERS,
    Action.MANAGE_INVITATIONS: _PUBLISHERS,
    Action.INVITE_STAFF: _MANAGERS,
    Action.MANAGE_TEAM: _PUBLISHERS,
    # Whoever manages the team edits any profile; others only their own (object rule).
    Action.EDIT_PROFILE: _PUBLISHERS,
    Action.USE_STUDIO: frozenset(STAFF_ROLES),
    Action.CREATE_POST: frozenset(_AUTHORS),
    Action.EDIT_POST: frozenset(_AUTHORS),
    Action.PUBLISH_POST: frozenset(_AUTHORS),
    Action.PIN_POST: _PUBLISHERS,
    Action.DELETE_POST: _PUBLISHERS,
    Action.REACT: _EVERY_MEMBER,
    Action.COMMENT: _EVERY_MEMBER,
    Action.HIDE_COMMENT: frozenset(_MODERATORS),
    Action.DELETE_COMMENT: frozenset(_MODERATORS),
    Action.RSVP: _EVERY_MEMBER,
    # The attendee list and check-in at the door: whoever staffs the event.
    Action.MANAGE_ATTENDEES: frozenset(STAFF_ROLES),
    # Polls and quizzes ask patients: staff answers would skew the results and the board.
    Action.VOTE: frozenset({Role.PATIENT}),
    Action.PLAY_QUIZ: frozenset({Role.PATIENT}),
    # Staff see a poll's running results whatever patients are shown.
    Action.VIEW_POLL_RESULTS: frozenset(STAFF_ROLES),
    # Every member may enter a contest; staff only where the contest allows (object rule).
    Action.ENTER_CONTEST: _EVERY_MEMBER,
    Action.DRAW_CONTEST: _PUBLISHERS,
    # Education: only clinicians sign off a clinical review or accept an untrusted source.
    Action.REVIEW_ARTICLE: frozenset({Role.CLINICIAN}),
    Action.APPROVE_CITATION: frozenset({Role.CLINICIAN}),
    Action.MANAGE_TRUSTED_SOURCES: _MANAGERS,
    Action.ASK_QUESTION: frozenset({Role.PATIENT}),
    Action.ANSWER_QUESTION: frozenset(_AUTHORS),
    # What engages patients: whoever writes for them (aggregates only, never a patient).
    Action.VIEW_ANALYTICS: frozenset(_AUTHORS),
    # Support groups: any member may join and take part (each group adds its own rules);
    # moderators keep the conversation safe; publishers create and configure groups.
    Action.JOIN_GROUP: _EVERY_MEMBER,
    Action.MODERATE_GROUPS: frozenset(_MODERATORS),
    Action.MANAGE_GROUPS: _PUBLISHERS,
    # Whoever writes may ask for review; who must approve a kind of post is the practice's
    # approval policy, checked by the studio on top of this grant (never one's own post).
    Action.SUBMIT_FOR_REVIEW: frozenset(_AUTHORS),
    Action.APPROVE_POST: frozenset(_AUTHORS | {Role.COMPLIANCE}),
    Action.CONFIGURE_APPROVALS: _MANAGERS,
    # Staff who gather a patient's consent record it; moderators never see these files.
    Action.MANAGE_AUTHORIZATIONS: frozenset(_AUTHORS | {Role.COMPLIANCE}),
    # Publishing despite an identifier finding, with a written reason: accountable roles only.
    Action.OVERRIDE_IDENTIFIERS: frozenset({Role.OWNER, Role.COMPLIANCE}),
    Action.VIEW_AUDIT_LOG: frozenset({Role.OWNER, Role.COMPLIANCE}),
    # The issue's own test: an editor connects the practice's accounts on other networks.
    Action.MANAGE_CHANNELS: _PUBLISHERS,
    Action.VIEW_DELIVERIES: frozenset(_AUTHORS),
}


def roles_by_practice(user: AnyUser) -> dict[int, Role]:
    """The user's role in each practice they belong to, loaded once per user object."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, Role] | None = getattr(user, "_bedside_roles", None)
    if cached is None:
        cached = {
            practice_id: Role(role)
            for practice_id, role in Membership.objects.filter(user=user).values_list(
                "practice_id", "role"
            )
        }
        user._bedside_roles = cached  # type: ignore[attr-defined]
    return cached


def forget_roles(user: AnyUser) -> None:
    """Call after changing a user's memberships within the same request."""
    if hasattr(user, "_bedside_roles"):
        del user._bedside_roles


def role_in(user: AnyUser, practice_id: int) -> Role | None:
    return roles_by_practice(user).get(practice_id)


def is_staff_of(user: AnyUser, practice_id: int) -> bool:
    return role_in(user, practice_id) in STAFF_ROLES


def _practice_id_of(obj: Any) -> int:
    if isinstance(obj, Practice):
        return obj.pk
    practice_id = getattr(obj, "practice_id", None)
    if practice_id is None and hasattr(obj, "post"):
        practice_id = obj.post.practice_id
    if practice_id is None:
        raise TypeError(f"cannot tell which practice {obj!r} belongs to")
    return int(practice_id)


def can(user: AnyUser, action: Action, obj: Any) -> bool:
    """May ``user`` take ``action`` on ``obj`` (a practice or a row that belongs to one)?"""
    practice_id = _practice_id_of(obj)
    role = role_in(user, practice_id)
    if action is Action.VIEW_PRACTICE:
        return True
    if action is Action.FOLLOW_PRACTICE:
        return bool(user.is_authenticated and role is None and _practice(obj).is_open_signup)
    if action is Action.VIEW_POST:
        return _can_view_post(user, role, obj)
    if role is None or role not in ROLE_GRANTS[action]:
        return _own_object_rule(user, role, action, obj)
    return _narrowing_rule(user, role, action, obj)


def _practice(obj: Any) -> Practice:
    return obj if isinstance(obj, Practice) else obj.practice


def _is(obj: Any, label: str) -> bool:
    meta = getattr(obj, "_meta", None)
    return meta is not None and meta.label == label


def _can_view_post(user: AnyUser, role: Role | None, post: "Post") -> bool:
    if post.status == "published":
        return post.visibility == "public" or role is not None
    if role == Role.COMPLIANCE:
        # Compliance reads every draft: it signs off what is about to go public.
        return True
    if post.status in ("in_review", "approved") and role in ROLE_GRANTS[Action.APPROVE_POST]:
        # Whoever may approve reads what waits for approval (a clinician reviewing an
        # editor's article); the practice's policy still decides whose approval counts.
        return True
    return role in _AUTHORS and (role != Role.CLINICIAN or post.author_id == user.pk)


def _narrowing_rule(user: AnyUser, role: Role, action: Action, obj: Any) -> bool:
    """Extra object rules for roles the table allows."""
    if action in {Action.EDIT_POST, Action.PUBLISH_POST, Action.SUBMIT_FOR_REVIEW} and _is(
        obj, "posts.Post"
    ):
        # Clinicians write and publish their own posts; editors and above handle any.
        return role != Role.CLINICIAN or obj.author_id == user.pk
    if action is Action.ENTER_CONTEST and _is(obj, "contests.Contest") and role in STAFF_ROLES:
        return bool(obj.staff_may_enter)
    return True


def _own_object_rule(user: AnyUser, role: Role | None, action: Action, obj: Any) -> bool:
    """What a member may do to their own rows even without the role grant."""
    if role is None:
        return False
    if action is Action.DELETE_COMMENT and _is(obj, "posts.Comment"):
        return bool(obj.author_id == user.pk)
    if action is Action.EDIT_PROFILE and isinstance(obj, StaffProfile):
        return obj.membership is not None and obj.membership.user_id == user.pk
    return False


def require(user: AnyUser, action: Action, obj: Any) -> None:
    """Raise ``NotAllowed`` unless ``can``."""
    if not can(user, action, obj):
        raise NotAllowed("You do not have permission to do that.")


# --- loaders ---------------------------------------------------------------------------


def access_practice(slug: str) -> Practice:
    try:
        return Practice.objects.get(slug=slug)
    except Practice.DoesNotExist:
        raise NotFound("No such practice.") from None


def access_staff_profile(practice: Practice, profile_slug: str, *, viewer: AnyUser) -> StaffProfile:
    try:
        profile = StaffProfile.objects.select_related("membership").get(
            practice=practice, slug=profile_slug
        )
    except StaffProfile.DoesNotExist:
        raise NotFound("No such team member.") from None
    if not profile.is_visible and not can(viewer, Action.EDIT_PROFILE, profile):
        raise NotFound("No such team member.")
    return profile


def access_invitation(token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("practice").get(token=token)
    except Invitation.DoesNotExist:
        raise NotFound("This invitation link is not valid.") from None


def access_invitation_of(practice: Practice, invitation_id: int) -> Invitation:
    """An invitation by id, only within ``practice`` (the studio's view of it)."""
    try:
        return Invitation.objects.select_related("practice").get(
            pk=invitation_id, practice=practice
        )
    except Invitation.DoesNotExist:
        raise NotFound("No such invitation.") from None


def access_location(practice: Practice, location_id: int) -> Location:
    try:
        return Location.objects.select_related("practice").get(pk=location_id, practice=practice)
    except Location.DoesNotExist:
        raise NotFound("No such location.") from None


def access_membership(practice: Practice, membership_id: int) -> Membership:
    try:
        return Membership.objects.select_related("practice").get(
            pk=membership_id, practice=practice
        )
    except Membership.DoesNotExist:
        raise NotFound("No such member.") from None


def access_own_membership(user: AnyUser, practice: Practice) -> Membership:
    """The signed-in user's own membership of ``practice``; NotFound for non-members."""
    if not user.is_authenticated:
        raise NotFound("You do not belong to this practice.")
    try:
        return Membership.objects.select_related("practice").get(user=user, practice=practice)
    except Membership.DoesNotExist:
        raise NotFound("You do not belong to this practice.") from None
