"""Two clicks at once: one entry per person, and one draw per contest.

Real concurrency needs real connections and row locks, so this runs on PostgreSQL only
(SQLite serialises writers and has no SELECT … FOR UPDATE).
"""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections

from bedside.core.errors import Conflict
from bedside.engagement.contests.models import Contest, Entry
from bedside.engagement.contests.services import draw_contest, enter_contest
from bedside.practices.models import Role
from tests.engagement.contests.conftest import make_contest
from tests.factories import PracticeFactory, member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and connections"
    ),
]


def _race(actions: list[Callable[[], object]]) -> list[BaseException]:
    start = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        try:
            start.wait(timeout=10)
            action()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.parametrize("rounds", range(3))
def test_two_entries_at_once_from_one_person_make_one_entry(rounds):
    practice = PracticeFactory()
    contest = make_contest(practice, member(practice, Role.EDITOR))
    patient = member(practice)

    def enter() -> None:
        enter_contest(
            user=patient, contest=Contest.objects.select_related("post").get(pk=contest.pk)
        )

    errors = _race([enter, enter])
    assert len(errors) <= 1 and all(isinstance(error, Conflict) for error in errors)
    assert Entry.objects.filter(contest=contest).count() == 1
    assert Contest.objects.get(pk=contest.pk).entry_count == 1


@pytest.mark.parametrize("rounds", range(3))
def test_two_draws_at_once_draw_once(rounds):
    practice = PracticeFactory()
    editor, other_editor = member(practice, Role.EDITOR), member(practice, Role.OWNER)
    contest = make_contest(practice, editor, winners_count=2)
    for _ in range(6):
        enter_contest(user=member(practice), contest=contest)

    def draw_by(who):  # type: ignore[no-untyped-def]
        return lambda: draw_contest(by=who, contest=Contest.objects.get(pk=contest.pk))

    with time_machine.travel(contest.closes_at + timedelta(minutes=1), tick=True):
        errors = _race([draw_by(editor), draw_by(other_editor)])
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert Entry.objects.filter(contest=contest, draw_position__isnull=False).count() == 4
