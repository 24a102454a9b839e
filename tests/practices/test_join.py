from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bedside.core.errors import Conflict, Invalid, NotAllowed, NotFound
from bedside.practices.models import Invitation, Membership, Role, User
from bedside.practices.permissions import role_in
from bedside.practices.services import clean_display_name, complete_tour, join_practice
from tests.factories import InvitationFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def join(user, practice, **overrides):
    arguments = {"display_name": "Sunny", "accepted_guidelines": True, **overrides}
    return join_practice(user=user, practice=practice, **arguments)


def test_patient_joins_an_open_practice_with_a_trimmed_display_name(practice):
    user = UserFactory()
    membership = join(user, practice, display_name="  Sunny   Day ")
    assert membership.role == Role.PATIENT
    assert membership.display_name == "Sunny Day"
    assert membership.accepted_guidelines_at is not None
    assert membership.invitation is None


def test_joining_refreshes_the_cached_roles_of_the_user(practice):
    user = UserFactory()
    assert role_in(user, practice.pk) is None
    join(user, practice)
    assert role_in(user, practice.pk) == Role.PATIENT


def test_joining_requires_accepting_the_guidelines(practice):
    with pytest.raises(Invalid) as refusal:
        join(UserFactory(), practice, accepted_guidelines=False)
    assert refusal.value.field == "accepted_guidelines"
    assert not Membership.objects.exists()


@pytest.mark.parametrize("name", ["", " ", "A", " B ", "x" * 41])
def test_display_name_must_be_two_to_forty_characters(practice, name):
    with pytest.raises(Invalid) as refusal:
        join(UserFactory(), practice, display_name=name)
    assert refusal.value.field == "display_name"


def test_display_name_of_exactly_forty_characters_is_accepted(practice):
    assert join(UserFactory(), practice, display_name="x" * 40).display_name == "x" * 40


def test_display_name_may_not_be_the_users_email(practice):
    user = UserFactory(email="sam@example.org")
    with pytest.raises(Invalid, match="email") as refusal:
        join(user, practice, display_name=" SAM@example.org ")
    assert refusal.value.field == "display_name"


@given(st.text(max_size=60))
def test_a_cleaned_display_name_is_trimmed_and_within_bounds(text):
    user = User(email="someone@example.org")
    try:
        name = clean_display_name(text, user=user)
    except Invalid as refusal:
        assert refusal.field == "display_name"
        return
    assert name == name.strip()
    assert 2 <= len(name) <= 40
    assert "  " not in name
    assert name.casefold() != user.email


def test_a_second_join_is_a_polite_conflict(practice):
    user = UserFactory()
    join(user, practice)
    with pytest.raises(Conflict, match="already a member"):
        join(user, practice, display_name="Again")
    assert Membership.objects.filter(user=user).count() == 1


def test_practice_without_open_signup_refuses_joining_without_an_invitation():
    practice = PracticeFactory(is_open_signup=False)
    with pytest.raises(NotAllowed, match="invitation only"):
        join(UserFactory(), practice)


def test_invitation_opens_a_closed_practice_applies_its_role_and_counts_the_use():
    practice = PracticeFactory(is_open_signup=False)
    invitation = InvitationFactory(practice=practice, role=Role.CLINICIAN)
    membership = join(UserFactory(), practice, invitation=invitation)
    assert membership.role == Role.CLINICIAN
    assert membership.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.use_count == 1


def test_invitation_use_count_grows_with_every_join(practice):
    invitation = InvitationFactory(practice=practice)
    for _ in range(3):
        join(UserFactory(), practice, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.use_count == 3


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
        ({"max_uses": 2, "use_count": 2}, "already been used"),
    ],
)
def test_an_unusable_invitation_is_refused_with_its_reason(practice, state, reason):
    invitation = InvitationFactory(practice=practice, **state)
    with pytest.raises(Conflict, match=reason):
        join(UserFactory(), practice, invitation=invitation)
    assert not Membership.objects.exists()


def test_an_invitation_used_up_meanwhile_is_refused_and_not_over_counted(practice):
    invitation = InvitationFactory(practice=practice, max_uses=1)
    stale_copy = Invitation.objects.get(pk=invitation.pk)
    join(UserFactory(), practice, invitation=invitation)
    with pytest.raises(Conflict, match="already been used"):
        join(UserFactory(), practice, invitation=stale_copy)
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    assert Membership.objects.count() == 1


def test_an_invitation_of_another_practice_is_not_found(practice, other_practice):
    invitation = InvitationFactory(practice=other_practice)
    with pytest.raises(NotFound):
        join(UserFactory(), practice, invitation=invitation)


def test_a_failed_join_does_not_use_up_the_invitation(practice):
    user = UserFactory()
    join(user, practice)
    invitation = InvitationFactory(practice=practice)
    with pytest.raises(Conflict):
        join(user, practice, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_completing_the_tour_is_remembered(practice):
    user = UserFactory()
    join(user, practice)
    complete_tour(user=user, practice=practice)
    assert Membership.objects.get(user=user).has_completed_tour


def test_completing_the_tour_of_a_practice_one_does_not_belong_to_is_not_found(practice):
    with pytest.raises(NotFound):
        complete_tour(user=UserFactory(), practice=practice)
