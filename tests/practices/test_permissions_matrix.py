"""Every action × every role × own/other practice, and an anonymous visitor.

The expected table is written out by hand on purpose: it is the specification of who may
do what, so a change to ``ROLE_GRANTS`` or to an object rule that is not also made here
fails this test.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from bedside.posts.models import Status, Visibility
from bedside.practices.models import Role
from bedside.practices.permissions import Action, can
from tests.factories import (
    CommentFactory,
    MembershipFactory,
    PostFactory,
    PracticeFactory,
    StaffProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OWNER, ADMIN, EDITOR = Role.OWNER, Role.ADMIN, Role.EDITOR
CLINICIAN, MODERATOR, PATIENT = Role.CLINICIAN, Role.MODERATOR, Role.PATIENT
COMPLIANCE = Role.COMPLIANCE
EVERYONE = frozenset({OWNER, ADMIN, EDITOR, CLINICIAN, MODERATOR, COMPLIANCE, PATIENT})
STAFF = EVERYONE - {PATIENT}
NOBODY: frozenset[Role] = frozenset()

# (action, object) -> the roles that may, on objects of the practice where they hold the role.
OWN_PRACTICE: dict[tuple[Action, str], frozenset[Role]] = {
    (Action.VIEW_PRACTICE, "practice"): EVERYONE,
    (Action.FOLLOW_PRACTICE, "practice"): NOBODY,  # already members
    (Action.VIEW_PATIENT_CONTENT, "practice"): EVERYONE,
    (Action.EDIT_PRACTICE, "practice"): frozenset({OWNER, ADMIN}),
    (Action.VIEW_MEMBERS, "practice"): frozenset({OWNER, ADMIN}),
    (Action.MANAGE_MEMBERS, "practice"): frozenset({OWNER, ADMIN}),
    (Action.MANAGE_INVITATIONS, "practice"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.INVITE_STAFF, "practice"): frozenset({OWNER, ADMIN}),
    (Action.MANAGE_TEAM, "practice"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.USE_STUDIO, "practice"): STAFF,
    (Action.CREATE_POST, "practice"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
    (Action.EDIT_PROFILE, "practice"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.EDIT_PROFILE, "own_profile"): EVERYONE,
    (Action.EDIT_PROFILE, "colleague_profile"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.VIEW_POST, "public_post"): EVERYONE,
    (Action.VIEW_POST, "patients_post"): EVERYONE,
    (Action.VIEW_POST, "draft_by_other"): frozenset({OWNER, ADMIN, EDITOR, COMPLIANCE}),
    (Action.VIEW_POST, "draft_by_user"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN, COMPLIANCE}),
    (Action.VIEW_POST, "in_review_by_other"): frozenset(
        {OWNER, ADMIN, EDITOR, CLINICIAN, COMPLIANCE}
    ),
    (Action.EDIT_POST, "in_review_by_other"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.EDIT_POST, "public_post"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.EDIT_POST, "draft_by_other"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.EDIT_POST, "draft_by_user"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
    (Action.PUBLISH_POST, "public_post"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.PUBLISH_POST, "draft_by_other"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.PUBLISH_POST, "draft_by_user"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
    (Action.PIN_POST, "public_post"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.PIN_POST, "draft_by_other"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.PIN_POST, "draft_by_user"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.DELETE_POST, "public_post"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.DELETE_POST, "draft_by_other"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.DELETE_POST, "draft_by_user"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.REACT, "public_post"): EVERYONE,
    (Action.REACT, "patients_post"): EVERYONE,
    (Action.COMMENT, "public_post"): EVERYONE,
    (Action.COMMENT, "patients_post"): EVERYONE,
    (Action.HIDE_COMMENT, "comment_by_user"): frozenset({OWNER, ADMIN, EDITOR, MODERATOR}),
    (Action.HIDE_COMMENT, "comment_by_other"): frozenset({OWNER, ADMIN, EDITOR, MODERATOR}),
    (Action.DELETE_COMMENT, "comment_by_user"): EVERYONE,
    (Action.DELETE_COMMENT, "comment_by_other"): frozenset({OWNER, ADMIN, EDITOR, MODERATOR}),
    (Action.RSVP, "practice"): EVERYONE,
    (Action.MANAGE_ATTENDEES, "practice"): STAFF,
    (Action.VOTE, "practice"): frozenset({PATIENT}),
    (Action.PLAY_QUIZ, "practice"): frozenset({PATIENT}),
    (Action.VIEW_POLL_RESULTS, "practice"): STAFF,
    # On a contest, staff are refused unless it allows them (tests/engagement/contests).
    (Action.ENTER_CONTEST, "practice"): EVERYONE,
    (Action.DRAW_CONTEST, "practice"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.REVIEW_ARTICLE, "practice"): frozenset({CLINICIAN}),
    (Action.APPROVE_CITATION, "practice"): frozenset({CLINICIAN}),
    (Action.MANAGE_TRUSTED_SOURCES, "practice"): frozenset({OWNER, ADMIN}),
    (Action.ASK_QUESTION, "practice"): frozenset({PATIENT}),
    (Action.ANSWER_QUESTION, "practice"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
    (Action.VIEW_ANALYTICS, "practice"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
    (Action.JOIN_GROUP, "practice"): EVERYONE,
    (Action.MODERATE_GROUPS, "practice"): frozenset({OWNER, ADMIN, EDITOR, MODERATOR}),
    (Action.MANAGE_GROUPS, "practice"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.SUBMIT_FOR_REVIEW, "draft_by_user"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
    (Action.SUBMIT_FOR_REVIEW, "draft_by_other"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.APPROVE_POST, "draft_by_other"): frozenset(
        {OWNER, ADMIN, EDITOR, CLINICIAN, COMPLIANCE}
    ),
    (Action.CONFIGURE_APPROVALS, "practice"): frozenset({OWNER, ADMIN}),
    (Action.MANAGE_AUTHORIZATIONS, "practice"): frozenset(
        {OWNER, ADMIN, EDITOR, CLINICIAN, COMPLIANCE}
    ),
    (Action.OVERRIDE_IDENTIFIERS, "draft_by_other"): frozenset({OWNER, COMPLIANCE}),
    (Action.VIEW_AUDIT_LOG, "practice"): frozenset({OWNER, COMPLIANCE}),
    (Action.MANAGE_CHANNELS, "practice"): frozenset({OWNER, ADMIN, EDITOR}),
    (Action.VIEW_DELIVERIES, "practice"): frozenset({OWNER, ADMIN, EDITOR, CLINICIAN}),
}

# Objects of a practice where the user holds no role: only what strangers may do.
OTHER_PRACTICE_ALLOWED = {
    (Action.VIEW_PRACTICE, "practice"),
    (Action.FOLLOW_PRACTICE, "practice"),  # open sign-up, not yet a member
    (Action.VIEW_POST, "public_post"),
}
ANONYMOUS_ALLOWED = {
    (Action.VIEW_PRACTICE, "practice"),
    (Action.VIEW_POST, "public_post"),
}


def objects_of(practice, user):
    """One of each kind of object the table speaks of, in ``practice``, seen from ``user``."""
    someone = UserFactory()
    public_post = PostFactory(practice=practice, author=someone)
    own_seat = user.memberships.filter(practice=practice).first() if user else None
    colleague_seat = MembershipFactory(practice=practice, role=Role.CLINICIAN)
    return {
        "practice": practice,
        "public_post": public_post,
        "patients_post": PostFactory(
            practice=practice, author=someone, visibility=Visibility.PATIENTS
        ),
        "draft_by_other": PostFactory(
            practice=practice, author=someone, status=Status.DRAFT, published_at=None
        ),
        "draft_by_user": PostFactory(
            practice=practice, author=user, status=Status.DRAFT, published_at=None
        ),
        "in_review_by_other": PostFactory(
            practice=practice, author=someone, status=Status.IN_REVIEW, published_at=None
        ),
        "comment_by_user": CommentFactory(post=public_post, author=user or someone),
        "comment_by_other": CommentFactory(post=public_post, author=someone),
        # In a practice where the user has no seat, "their" profile cannot exist: it is
        # then a profile linked to nobody, which they must not be able to edit either.
        "own_profile": StaffProfileFactory(practice=practice, membership=own_seat),
        "colleague_profile": StaffProfileFactory(practice=practice, membership=colleague_seat),
    }


def mismatches(user, objects, expected_allowed):
    wrong = []
    for action, kind in OWN_PRACTICE:
        expected = (action, kind) in expected_allowed
        if can(user, action, objects[kind]) != expected:
            wrong.append(f"{action} on {kind}: expected {'allowed' if expected else 'refused'}")
    return wrong


def test_the_table_covers_every_action():
    assert {action for action, _ in OWN_PRACTICE} == set(Action)


@pytest.mark.parametrize("role", list(Role))
def test_role_in_its_own_practice(role):
    practice = PracticeFactory()
    user = MembershipFactory(practice=practice, role=role).user
    allowed = {key for key, roles in OWN_PRACTICE.items() if role in roles}
    assert mismatches(user, objects_of(practice, user), allowed) == []


@pytest.mark.parametrize("role", list(Role))
def test_role_in_another_practice(role):
    own, other = PracticeFactory(), PracticeFactory()
    user = MembershipFactory(practice=own, role=role).user
    assert mismatches(user, objects_of(other, user), OTHER_PRACTICE_ALLOWED) == []


def test_anonymous_visitor():
    practice = PracticeFactory()
    assert mismatches(AnonymousUser(), objects_of(practice, None), ANONYMOUS_ALLOWED) == []


def test_nobody_follows_a_practice_that_is_invitation_only():
    closed = PracticeFactory(is_open_signup=False)
    stranger = MembershipFactory(role=Role.OWNER).user
    assert not can(stranger, Action.FOLLOW_PRACTICE, closed)
