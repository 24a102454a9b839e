import pytest

from bedside.posts.models import Status
from bedside.practices.models import Role
from tests.factories import AuthorizationFactory, PostFactory, member

NAMING_BODY = "Thank you to our patient Maria Lopez for letting us share her recovery story."


@pytest.fixture
def owner(practice):
    return member(practice, Role.OWNER)


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def officer(practice):
    return member(practice, Role.COMPLIANCE)


@pytest.fixture
def draft(practice, editor):
    """A draft naming a patient in a patient's context: the guard finds her name."""
    return PostFactory(
        practice=practice,
        author=editor,
        status=Status.DRAFT,
        published_at=None,
        title="A story of recovery",
        body=NAMING_BODY,
    )


@pytest.fixture
def consent(practice):
    return AuthorizationFactory(practice=practice)
