from collections.abc import Callable

import pytest
from django.core.cache import cache

from bedside.community.models import CrisisPolicy, Group, GroupMember, Visibility
from bedside.community.services import create_group, decide_join_request, join_group
from bedside.practices.models import Practice, Role, User
from tests.factories import member


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(practice: Practice) -> User:
    return member(practice, Role.MODERATOR, display_name="Mod Sam")


@pytest.fixture
def patient(practice: Practice) -> User:
    return member(
        practice, Role.PATIENT, display_name="Sunny Days", user__full_name="Jane Realname"
    )


@pytest.fixture
def make_group(practice: Practice) -> Callable[..., Group]:
    owner = member(practice, Role.OWNER)

    def make(
        name: str = "Diabetes circle",
        visibility: str = Visibility.PUBLIC,
        crisis_policy: str = CrisisPolicy.HOLD,
        premoderate_first: int = 0,
    ) -> Group:
        return create_group(
            by=owner,
            practice=practice,
            name=name,
            description="People living with **diabetes**.",
            guidelines="Be kind. No medical advice.",
            visibility=visibility,
            crisis_policy=crisis_policy,
            premoderate_first=premoderate_first,
        )

    return make


@pytest.fixture
def joined(moderator: User) -> Callable[[User, Group], GroupMember]:
    """Put ``user`` in ``group`` the way the pages do (a moderator approves if private)."""

    def put(user: User, group: Group) -> GroupMember:
        joined_member = join_group(user=user, group=group, accept_guidelines=True)
        if joined_member.status == "pending":
            decide_join_request(by=moderator, member=joined_member, approve=True)
        joined_member.refresh_from_db()
        return joined_member

    return put
