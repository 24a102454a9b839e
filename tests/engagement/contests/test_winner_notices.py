"""Winners hear that they won, once, with the deadline to claim (a notify sweep)."""

from datetime import timedelta

import pytest
import time_machine

from bedside.engagement.contests.models import Entry
from bedside.engagement.contests.services import claim_prize, draw_contest, enter_contest
from bedside.notify import sweeps
from bedside.notify.contest_winners import WINNER_KIND, announce_contest_winners
from bedside.notify.models import Notification
from tests.engagement.contests.conftest import after_close, make_contest

pytestmark = pytest.mark.django_db


def test_each_winner_is_told_once_and_alternates_are_not(practice, editor, patients):
    contest = make_contest(practice, editor, winners_count=2, alternates_count=2)
    for patient in patients:
        enter_contest(user=patient, contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
        assert announce_contest_winners() == 2
        assert announce_contest_winners() == 0
    winners = set(
        Entry.objects.filter(contest=contest, draw_position__lt=2).values_list("user", flat=True)
    )
    notices = Notification.objects.filter(kind=WINNER_KIND)
    assert set(notices.values_list("user", flat=True)) == winners
    notice = notices.first()
    assert notice is not None
    assert notice.title == "You won: Win a picnic basket"
    assert "Claim your prize on the contest page by" in notice.body
    assert notice.url == contest.post.get_absolute_url()


def test_nobody_is_told_after_the_deadline_or_after_claiming(practice, editor, patients):
    contest = make_contest(practice, editor, alternates_count=0)
    enter_contest(user=patients[0], contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    assert contest.claim_deadline is not None
    with time_machine.travel(contest.claim_deadline + timedelta(minutes=1), tick=False):
        assert announce_contest_winners() == 0
    winner = Entry.objects.select_related("contest").get(contest=contest)
    claim_prize(user=patients[0], entry=winner)
    assert announce_contest_winners() == 0


def test_the_clock_runs_the_winner_sweep(practice, editor, patients):
    names = [name for name, _ in sweeps.registry()]
    assert "notify.contest_winners" in names
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
        results = sweeps.run_all()
    assert results["notify.contest_winners"] == 1
