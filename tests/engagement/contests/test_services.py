"""Creating, entering, drawing and claiming: the rules a contest lives by."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.engagement.contests import draw
from bedside.engagement.contests.models import Contest, Entry
from bedside.engagement.contests.services import (
    ENTRY_LIMIT,
    PhotoUpload,
    claim_prize,
    draw_contest,
    enter_contest,
    update_contest,
)
from bedside.engagement.ratelimit import RateLimited
from bedside.practices.models import Role
from tests.engagement.contests.conftest import after_close, make_contest, rules, text, wall_clock
from tests.factories import image_bytes, member

pytestmark = pytest.mark.django_db


def test_a_new_contest_commits_to_a_secret_seed(practice, editor):
    contest = make_contest(practice, editor, publish=False)
    assert len(bytes(contest.seed)) == 32
    assert contest.seed_commitment == draw.commitment(bytes(contest.seed))
    assert contest.seed_hex == ""  # not revealed before the draw
    assert contest.post.kind == "contest"
    assert contest.post.status == "draft"


def test_two_contests_get_different_seeds(practice, editor):
    first, second = make_contest(practice, editor), make_contest(practice, editor)
    assert first.seed_commitment != second.seed_commitment


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": wall_clock(-0.5)}, "closes_at"),
        ({"opens_at": wall_clock(8), "closes_at": wall_clock(7)}, "closes_at"),
        ({"draw_by": wall_clock(6)}, "draw_by"),
        ({"entry_type": "answer", "question": "  "}, "question"),
        ({"sponsor": "   "}, "sponsor"),
        ({"min_age": 5}, "min_age"),
        ({"winners_count": 0}, "winners_count"),
        ({"currency": "dollars"}, "currency"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ],
)
def test_bad_rules_are_refused_next_to_their_field(practice, editor, overrides, field):
    with pytest.raises(Invalid) as refused:
        make_contest(practice, editor, **overrides)
    assert refused.value.field == field


def test_patients_cannot_create_contests(practice, patients):
    with pytest.raises(NotAllowed):
        make_contest(practice, patients[0])


def test_a_patient_enters_once_and_a_second_entry_is_refused_politely(practice, editor, patients):
    contest = make_contest(practice, editor)
    entry = enter_contest(user=patients[0], contest=contest, name_consent=True)
    assert draw.ENTRY_ID_PATTERN.match(entry.public_id)
    with pytest.raises(Conflict, match="already entered this contest"):
        enter_contest(user=patients[0], contest=contest)
    assert Contest.objects.get(pk=contest.pk).entry_count == 1


def test_the_database_refuses_a_second_entry_even_without_the_service(practice, editor, patients):
    contest = make_contest(practice, editor)
    entry = enter_contest(user=patients[0], contest=contest)
    with pytest.raises(IntegrityError):
        Entry.objects.create(
            contest=contest, user=patients[0], public_id="0123456789abcdef", period=entry.period
        )


def test_a_daily_contest_takes_one_entry_a_day(practice, editor, patients):
    contest = make_contest(practice, editor, frequency="daily")
    enter_contest(user=patients[0], contest=contest)
    with pytest.raises(Conflict, match="Come back tomorrow"):
        enter_contest(user=patients[0], contest=contest)
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        enter_contest(user=patients[0], contest=contest)
    assert Entry.objects.filter(contest=contest, user=patients[0]).count() == 2


def test_staff_cannot_enter_unless_the_contest_allows_it(practice, editor):
    closed_to_staff = make_contest(practice, editor)
    with pytest.raises(NotAllowed):
        enter_contest(user=editor, contest=closed_to_staff)
    open_to_staff = make_contest(practice, editor, staff_may_enter=True)
    assert enter_contest(user=editor, contest=open_to_staff).user == editor


def test_strangers_cannot_enter(practice, editor, other_practice):
    contest = make_contest(practice, editor)
    with pytest.raises(NotAllowed):
        enter_contest(user=member(other_practice), contest=contest)


def test_entries_are_refused_before_opening_after_closing_and_on_a_draft(
    practice, editor, patients
):
    later = make_contest(practice, editor, opens_at=wall_clock(2))
    with pytest.raises(Conflict, match="not opened"):
        enter_contest(user=patients[0], contest=later)
    draft = make_contest(practice, editor, publish=False)
    with pytest.raises(Conflict, match="not open"):
        enter_contest(user=patients[0], contest=draft)
    contest = make_contest(practice, editor)
    with after_close(contest), pytest.raises(Conflict, match="closed"):
        enter_contest(user=patients[0], contest=contest)


def test_an_answer_contest_needs_an_answer(practice, editor, patients):
    contest = make_contest(practice, editor, entry_type="answer", question="Best walk in town?")
    with pytest.raises(Invalid) as refused:
        enter_contest(user=patients[0], contest=contest, answer="   ")
    assert refused.value.field == "answer"
    entry = enter_contest(user=patients[0], contest=contest, answer=" The river path ")
    assert entry.answer == "The river path"


def photo(data: bytes | None = None, alt: str = "Our dog on the porch") -> PhotoUpload:
    payload = data if data is not None else image_bytes()
    return PhotoUpload(file=io.BytesIO(payload), size=len(payload), alt_text=alt)


def test_a_photo_entry_needs_consent_and_a_description_and_is_re_encoded(
    practice, editor, patients
):
    contest = make_contest(practice, editor, entry_type="photo")
    with pytest.raises(Invalid) as no_consent:
        enter_contest(user=patients[0], contest=contest, photo=photo())
    assert no_consent.value.field == "photo_consent"
    with pytest.raises(Invalid) as no_alt:
        enter_contest(user=patients[0], contest=contest, photo=photo(alt=" "), photo_consent=True)
    assert no_alt.value.field == "photo_alt"
    with pytest.raises(Invalid) as not_image:
        enter_contest(user=patients[0], contest=contest, photo=photo(b"<svg/>"), photo_consent=True)
    assert not_image.value.field == "photo"
    entry = enter_contest(user=patients[0], contest=contest, photo=photo(), photo_consent=True)
    assert entry.photo.name.endswith(".jpg")
    assert (entry.photo_width, entry.photo_height) == (64, 48)
    assert entry.photo_consent and entry.photo_alt == "Our dog on the porch"


def test_entries_are_rate_limited(practice, editor, patients):
    contests = [make_contest(practice, editor) for _ in range(ENTRY_LIMIT.count + 1)]
    for contest in contests[:-1]:
        enter_contest(user=patients[0], contest=contest)
    with pytest.raises(RateLimited):
        enter_contest(user=patients[0], contest=contests[-1])
    # Someone else is not slowed down.
    enter_contest(user=patients[1], contest=contests[-1])


def test_a_contest_cannot_be_drawn_before_it_closes(practice, editor, patients):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    with pytest.raises(Conflict, match="still open"):
        draw_contest(by=editor, contest=contest)


def test_the_draw_reveals_the_seed_and_picks_winners_then_alternates(practice, editor, patients):
    contest = make_contest(practice, editor, winners_count=2, alternates_count=2)
    entries = [enter_contest(user=patient, contest=contest) for patient in patients]
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    contest.refresh_from_db()
    ids = sorted(entry.public_id for entry in entries)
    assert contest.entry_list == ids
    assert contest.entry_list_sha256 == draw.list_digest(ids)
    assert contest.seed_hex and draw.commitment(bytes.fromhex(contest.seed_hex)) == (
        contest.seed_commitment
    )
    expected = draw.run(bytes(contest.seed), ids, winners=2, alternates=2)
    positions = dict(
        Entry.objects.filter(contest=contest, draw_position__isnull=False).values_list(
            "public_id", "draw_position"
        )
    )
    assert positions == {
        public_id: index
        for index, public_id in enumerate([*expected.winners, *expected.alternates])
    }
    assert contest.claim_deadline == contest.drawn_at + timedelta(days=14)


def test_a_contest_cannot_be_drawn_twice(practice, editor, patients):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
        with pytest.raises(Conflict, match="already been drawn"):
            draw_contest(by=editor, contest=Contest.objects.get(pk=contest.pk))


def test_nobody_to_draw_and_only_publishers_draw(practice, editor, patients):
    contest = make_contest(practice, editor)
    with after_close(contest), pytest.raises(Conflict, match="Nobody entered"):
        draw_contest(by=editor, contest=contest)
    enter_contest(user=patients[0], contest=contest)
    clinician = member(practice, Role.CLINICIAN)
    with after_close(contest):
        for who in (patients[0], clinician):
            with pytest.raises(NotAllowed):
                draw_contest(by=who, contest=contest)


def test_fewer_entries_than_prizes_all_win(practice, editor, patients):
    contest = make_contest(practice, editor, winners_count=3, alternates_count=2)
    for patient in patients[:2]:
        enter_contest(user=patient, contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    assert set(Entry.objects.filter(contest=contest).values_list("draw_position", flat=True)) == {
        0,
        1,
    }


def test_a_winner_claims_before_the_deadline_and_only_the_winner(practice, editor, patients):
    contest = make_contest(practice, editor, alternates_count=1)
    for patient in patients[:3]:
        enter_contest(user=patient, contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    winner = Entry.objects.select_related("contest").get(contest=contest, draw_position=0)
    alternate = Entry.objects.select_related("contest").get(contest=contest, draw_position=1)
    with pytest.raises(Conflict, match="did not win"):
        claim_prize(user=alternate.user, entry=alternate)
    other = next(p for p in patients if p != winner.user)
    with pytest.raises(Conflict, match="Only the winner"):
        claim_prize(user=other, entry=winner)
    assert contest.claim_deadline is not None
    late = time_machine.travel(contest.claim_deadline + timedelta(seconds=1), tick=False)
    with late, pytest.raises(Conflict, match="deadline"):
        claim_prize(user=winner.user, entry=winner)
    claimed = claim_prize(user=winner.user, entry=winner)
    assert claimed.claimed_at is not None
    assert Entry.objects.get(pk=winner.pk).claimed_at is not None


def test_rules_are_final_once_people_have_entered_but_the_text_can_change(
    practice, editor, patients
):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    with pytest.raises(Conflict, match="cannot change"):
        update_contest(by=editor, contest=contest, text=text(), rules=rules(prize="A bike"))
    update_contest(
        by=editor,
        contest=contest,
        text=text(title="Win a big picnic basket"),
        rules=rules(
            opens_at=contest.opens_at, closes_at=contest.closes_at, draw_by=contest.draw_by
        ),
    )
    assert Contest.objects.get(pk=contest.pk).post.title == "Win a big picnic basket"
    assert Contest.objects.get(pk=contest.pk).seed == contest.seed


def test_a_drawn_contest_cannot_be_edited(practice, editor, patients):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
        with pytest.raises(Conflict, match="final"):
            update_contest(
                by=editor,
                contest=contest,
                text=text(),
                rules=rules(
                    opens_at=contest.opens_at, closes_at=contest.closes_at, draw_by=contest.draw_by
                ),
            )
