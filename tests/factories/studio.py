"""The studio's approval policy, set the way an owner sets it (through the service)."""

from collections.abc import Iterable

from bedside.practices.models import Practice, Role
from bedside.studio.workflow import configure_approvals
from tests.factories.practices import member


def set_approval_policy(practice: Practice, required: dict[str, Iterable[str]]) -> None:
    """Ask for the ``required`` approvals per kind in ``practice``, as a new owner would."""
    owner = practice.memberships.filter(role=Role.OWNER).first()
    configure_approvals(
        by=owner.user if owner else member(practice, Role.OWNER),
        practice=practice,
        required=required,
    )
