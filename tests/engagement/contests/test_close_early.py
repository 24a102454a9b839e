"""Staff may end a contest's entry period early, then draw; the rules say it was closed early."""

import pytest
from django.urls import reverse

from bedside.core.errors import Conflict, NotAllowed
from bedside.engagement.contests.services import close_entries_now, draw_contest, enter_contest
from bedside.practices.models import Role
from tests.engagement.contests.conftest import make_contest, wall_clock
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_closing_early_stops_entries_and_lets_staff_draw_at_once(practice, editor, patients):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    enter_contest(user=patients[1], contest=contest)

    close_entries_now(by=editor, contest=contest)

    with pytest.raises(Conflict):
        enter_contest(user=patients[2], contest=contest)
    drawn = draw_contest(by=editor, contest=contest)
    assert drawn.is_drawn
    assert len(drawn.entry_list) == 2


def test_the_rules_say_when_the_contest_was_closed_early(client, practice, editor):
    contest = make_contest(practice, editor)
    close_entries_now(by=editor, contest=contest)
    rules = client.get(reverse("contest_rules", args=[practice.slug, contest.post_id]))
    assert "closed early by the practice" in rules.content.decode()


def test_only_those_who_may_draw_may_close_and_only_an_open_contest(practice, editor):
    contest = make_contest(practice, editor)
    with pytest.raises(NotAllowed):
        close_entries_now(by=member(practice, Role.PATIENT), contest=contest)
    close_entries_now(by=editor, contest=contest)
    with pytest.raises(Conflict):
        close_entries_now(by=editor, contest=contest)
    not_yet = make_contest(practice, editor, opens_at=wall_clock(1), closes_at=wall_clock(5))
    with pytest.raises(Conflict):
        close_entries_now(by=editor, contest=not_yet)


def test_the_studio_button_closes_entries(client, practice, editor):
    contest = make_contest(practice, editor)
    client.force_login(editor)
    edit = reverse("studio_contest_edit", args=[practice.slug, contest.post_id])
    assert "Close entries now" in client.get(edit).content.decode()
    response = client.post(reverse("studio_contest_close", args=[practice.slug, contest.post_id]))
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.has_closed
    assert contest.closed_early_at is not None
    assert "Draw the winners" in client.get(edit).content.decode()
