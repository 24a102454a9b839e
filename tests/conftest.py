import pytest

from tests.factories import PracticeFactory


@pytest.fixture
def practice():
    return PracticeFactory()


@pytest.fixture
def other_practice():
    return PracticeFactory()
