import pytest

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.practices.models import Membership, Role
from bedside.practices.services import change_role
from tests.factories import MembershipFactory, member

pytestmark = pytest.mark.django_db


def seat(practice, role):
    return MembershipFactory(practice=practice, role=role)


@pytest.mark.parametrize("by_role", [Role.OWNER, Role.ADMIN])
def test_owners_and_admins_promote_a_patient_to_staff(practice, by_role):
    patient = seat(practice, Role.PATIENT)
    changed = change_role(by=member(practice, by_role), membership=patient, role=Role.MODERATOR)
    assert changed.role == Role.MODERATOR
    assert Membership.objects.get(pk=patient.pk).role == Role.MODERATOR


@pytest.mark.parametrize("by_role", [Role.EDITOR, Role.CLINICIAN, Role.MODERATOR, Role.PATIENT])
def test_other_roles_may_not_change_roles(practice, by_role):
    with pytest.raises(NotAllowed):
        change_role(
            by=member(practice, by_role), membership=seat(practice, Role.PATIENT), role=Role.EDITOR
        )


def test_an_owner_of_another_practice_may_not_change_roles(practice, other_practice):
    with pytest.raises(NotAllowed):
        change_role(
            by=member(other_practice, Role.OWNER),
            membership=seat(practice, Role.PATIENT),
            role=Role.ADMIN,
        )


def test_the_last_owner_cannot_be_demoted(practice):
    owner = seat(practice, Role.OWNER)
    with pytest.raises(Conflict, match="at least one owner"):
        change_role(by=owner.user, membership=owner, role=Role.ADMIN)
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_owner_steps_down_once_there_is_another_owner(practice):
    owner = seat(practice, Role.OWNER)
    successor = seat(practice, Role.ADMIN)
    change_role(by=owner.user, membership=successor, role=Role.OWNER)
    change_role(by=owner.user, membership=owner, role=Role.ADMIN)
    assert Membership.objects.get(pk=owner.pk).role == Role.ADMIN


def test_an_admin_may_not_make_owners_or_demote_them(practice):
    admin = member(practice, Role.ADMIN)
    owner = seat(practice, Role.OWNER)
    seat(practice, Role.OWNER)
    with pytest.raises(NotAllowed):
        change_role(by=admin, membership=seat(practice, Role.PATIENT), role=Role.OWNER)
    with pytest.raises(NotAllowed):
        change_role(by=admin, membership=owner, role=Role.PATIENT)


def test_an_unknown_role_is_invalid(practice):
    with pytest.raises(Invalid):
        change_role(
            by=member(practice, Role.OWNER), membership=seat(practice, Role.PATIENT), role="king"
        )
