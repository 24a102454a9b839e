"""``manage.py verify_draw``: anyone recomputes a draw from the published data."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bedside.engagement.contests import draw
from bedside.engagement.contests.queries import published_draw
from bedside.engagement.contests.services import draw_contest, enter_contest
from tests.engagement.contests.conftest import after_close, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def draw_file(tmp_path, practice, editor, patients):
    contest = make_contest(practice, editor, winners_count=2, alternates_count=1)
    for patient in patients:
        enter_contest(user=patient, contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    published = published_draw(contest)
    assert published is not None
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(draw.to_json(published)))
    return contest, path


def test_an_honest_draw_verifies_from_the_file(draw_file):
    contest, path = draw_file
    out = io.StringIO()
    call_command("verify_draw", str(path), stdout=out)
    assert "The draw verifies." in out.getvalue()
    winners = [e for e in contest.entry_list if e in out.getvalue()]
    assert len(winners) == 3


def test_it_verifies_from_this_servers_database_too(draw_file):
    contest, _ = draw_file
    out = io.StringIO()
    call_command("verify_draw", practice=contest.practice.slug, contest=contest.post_id, stdout=out)
    assert "The draw verifies." in out.getvalue()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(seed=("1" if d["seed"][0] == "0" else "0") + d["seed"][1:]),
         "commitment"),
        (lambda d: d.update(entry_ids=d["entry_ids"][:-1]), "digest"),
        (lambda d: d.update(winners=list(reversed(d["winners"]))), "winners recomputed"),
    ],
)  # fmt: skip
def test_tampering_is_detected(draw_file, change, message):
    _, path = draw_file
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=message):
        call_command("verify_draw", str(path))


def test_unreadable_input_is_refused(tmp_path, draw_file):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_draw", str(tmp_path / "missing.json"))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    with pytest.raises(CommandError, match="Not a draw file"):
        call_command("verify_draw", str(garbage))
    with pytest.raises(CommandError, match=r"Give a draw\.json file"):
        call_command("verify_draw")


def test_an_undrawn_contest_has_nothing_to_verify(practice, editor):
    contest = make_contest(practice, editor)
    with pytest.raises(CommandError, match="not been drawn"):
        call_command("verify_draw", practice=practice.slug, contest=contest.post_id)
