from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.engagement.models import Ballot, BallotMark, Poll, PollStyle, ResultsShown
from bedside.engagement.queries import poll_view
from bedside.engagement.services import PollDetails, close_poll, update_poll, vote
from bedside.practices.models import Role
from tests.engagement.conftest import later, make_poll, text
from tests.factories import member

pytestmark = pytest.mark.django_db


def choice_ids(poll: Poll) -> list[int]:
    return list(poll.choices.values_list("pk", flat=True))


def test_a_patient_votes_once_and_the_counters_move(practice, editor, patient):
    poll = make_poll(practice, editor)
    tuesday = choice_ids(poll)[0]

    vote(poll=poll, patient=patient, choice_ids=[tuesday])

    poll.refresh_from_db()
    assert poll.voter_count == 1
    assert poll.choices.get(pk=tuesday).vote_count == 1
    view = poll_view(poll, patient)
    assert view.has_voted and view.results_visible
    assert [(c.votes, c.percent, c.chosen) for c in view.choices] == [
        (1, 100, True), (0, 0, False), (0, 0, False),
    ]  # fmt: skip


def test_a_second_vote_is_refused_politely_and_changes_nothing(practice, editor, patient):
    poll = make_poll(practice, editor)
    first, second, _ = choice_ids(poll)
    vote(poll=poll, patient=patient, choice_ids=[first])

    with pytest.raises(Conflict, match="voted in this poll already"):
        vote(poll=poll, patient=patient, choice_ids=[second])

    poll.refresh_from_db()
    assert poll.voter_count == 1
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_the_database_holds_one_ballot_per_patient_even_without_the_service(
    practice, editor, patient
):
    poll = make_poll(practice, editor)
    Ballot.objects.create(poll=poll, user=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=poll, user=patient)


def test_a_vote_after_closing_is_refused(practice, editor, patient):
    poll = make_poll(practice, editor)
    close_poll(by=editor, poll=poll)

    with pytest.raises(Conflict, match="closed"):
        vote(poll=poll, patient=patient, choice_ids=choice_ids(poll)[:1])
    assert not Ballot.objects.exists()


def test_a_draft_poll_takes_no_votes(practice, editor, patient):
    poll = make_poll(practice, editor, publish=False)
    with pytest.raises(Conflict, match="not open"):
        vote(poll=poll, patient=patient, choice_ids=choice_ids(poll)[:1])


def test_several_answers_only_where_the_poll_allows_them(practice, editor, patients):
    single = make_poll(practice, editor)
    with pytest.raises(Invalid) as refused:
        vote(poll=single, patient=patients[0], choice_ids=choice_ids(single)[:2])
    assert refused.value.field == "choices"

    several = make_poll(practice, editor, allows_multiple=True)
    ids = choice_ids(several)
    vote(poll=several, patient=patients[0], choice_ids=ids[:2])
    vote(poll=several, patient=patients[1], choice_ids=ids[1:2])
    view = poll_view(several, patients[0])
    assert several.choices.get(pk=ids[1]).vote_count == 2
    assert [c.percent for c in view.choices] == [50, 100, 0]
    assert BallotMark.objects.filter(ballot__poll=several).count() == 3


def test_choices_of_another_poll_or_none_at_all_are_invalid(practice, editor, patient):
    poll = make_poll(practice, editor)
    other = make_poll(practice, editor)
    for ids in ([], choice_ids(other)[:1]):
        with pytest.raises(Invalid):
            vote(poll=poll, patient=patient, choice_ids=ids)
    assert not Ballot.objects.exists()


def test_staff_and_strangers_do_not_vote(practice, other_practice, editor):
    poll = make_poll(practice, editor)
    stranger = member(other_practice)
    for person in (editor, member(practice, Role.CLINICIAN), stranger):
        with pytest.raises(NotAllowed):
            vote(poll=poll, patient=person, choice_ids=choice_ids(poll)[:1])


def test_results_after_closing_stay_hidden_from_voters_until_the_poll_closes(
    practice, editor, patient
):
    poll = make_poll(practice, editor, results_shown=ResultsShown.AFTER_CLOSING)
    vote(poll=poll, patient=patient, choice_ids=choice_ids(poll)[:1])

    assert not poll_view(poll, patient).results_visible
    assert poll_view(poll, editor).results_visible  # staff watch the running count

    close_poll(by=editor, poll=poll)
    assert poll_view(poll, patient).results_visible


def test_an_open_question_has_no_choices_and_takes_no_votes(practice, editor, patient):
    poll = make_poll(practice, editor, style=PollStyle.OPINION, choices=[])
    assert poll.is_opinion and not poll.choices.exists()
    with pytest.raises(Conflict, match="comments"):
        vote(poll=poll, patient=patient, choice_ids=[1])
    with pytest.raises(Invalid) as refused:
        make_poll(practice, editor, style=PollStyle.OPINION, choices=["Yes", "No"])
    assert refused.value.field == "choices"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"choices": ["Only one"]}, "choices"),
        ({"choices": ["Same", "same"]}, "choices"),
        ({"choices": [f"Choice {n}" for n in range(11)]}, "choices"),
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "closes_at"),
        ({"results_shown": "never"}, "results_shown"),
    ],
)
def test_a_poll_that_cannot_work_is_refused_with_the_field_to_fix(
    practice, editor, overrides, field
):
    with pytest.raises(Invalid) as refused:
        make_poll(practice, editor, **overrides)
    assert refused.value.field == field
    assert not Poll.objects.exists()


def test_a_closing_time_on_the_wall_clock_is_read_in_the_practice_time_zone(practice, editor):
    practice.time_zone = "America/New_York"
    practice.save()
    local = (timezone.now() + timedelta(days=5)).replace(tzinfo=None, second=0, microsecond=0)
    poll = make_poll(practice, editor, closes_at=local)
    assert poll.closes_at.utcoffset() is not None
    assert poll.closes_at.astimezone(practice_zone(practice)).replace(tzinfo=None) == local


def practice_zone(practice):
    from zoneinfo import ZoneInfo

    return ZoneInfo(practice.time_zone)


def test_choices_freeze_once_patients_have_voted_but_the_closing_time_may_move(
    practice, editor, patient
):
    poll = make_poll(practice, editor)
    vote(poll=poll, patient=patient, choice_ids=choice_ids(poll)[:1])

    with pytest.raises(Invalid, match="voted already"):
        update_poll(
            by=editor, poll=poll, text=text(),
            details=PollDetails(closes_at=later(), choices=["Monday", "Friday"]),
        )  # fmt: skip
    new_close = later(days=10)
    update_poll(
        by=editor, poll=poll, text=text(title="Evening hours"),
        details=PollDetails(closes_at=new_close, choices=["Tuesday", "Wednesday", "Thursday"]),
    )  # fmt: skip
    poll.refresh_from_db()
    assert poll.closes_at == new_close and poll.post.title == "Evening hours"
    assert poll.voter_count == 1
