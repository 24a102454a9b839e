"""The contest pages: entering, the rules, the entry list, verification, the studio."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.engagement.contests import draw
from bedside.engagement.contests.models import Contest, Entry
from bedside.engagement.contests.services import draw_contest, enter_contest
from bedside.practices.models import Role
from tests.engagement.contests.conftest import after_close, make_contest, wall_clock
from tests.factories import MembershipFactory, image_bytes, member

pytestmark = pytest.mark.django_db


def url(name: str, contest: Contest, **kwargs: object) -> str:
    return reverse(
        name, kwargs={"slug": contest.practice.slug, "post_id": contest.post_id, **kwargs}
    )


def drawn(practice, editor, patients, **overrides) -> Contest:
    contest = make_contest(practice, editor, **overrides)
    for patient in patients:
        enter_contest(user=patient, contest=contest, name_consent=patient == patients[0])
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    return Contest.objects.get(pk=contest.pk)


def test_the_post_of_a_contest_links_to_the_contest_page(practice, editor):
    contest = make_contest(practice, editor)
    assert contest.post.get_absolute_url() == url("contest_detail", contest)


def test_a_patient_enters_from_the_page_and_a_second_entry_is_refused_politely(
    client, practice, editor, patients
):
    contest = make_contest(practice, editor)
    client.force_login(patients[0])
    page = client.get(url("contest_detail", contest)).content.decode()
    assert "Enter the contest" in page and "No purchase necessary" in page
    response = client.post(url("contest_enter", contest), {"eligible": "on"}, follow=True)
    entry = Entry.objects.get(contest=contest, user=patients[0])
    assert f"Your entry number is {entry.public_id}" in response.content.decode()
    again = client.post(url("contest_enter", contest), {"eligible": "on"})
    assert again.status_code == 409
    assert "already entered this contest" in again.content.decode()
    assert Entry.objects.filter(contest=contest).count() == 1


def test_the_entry_form_asks_to_confirm_eligibility(client, practice, editor, patients):
    contest = make_contest(practice, editor)
    client.force_login(patients[0])
    response = client.post(url("contest_enter", contest), {})
    assert response.status_code == 422
    assert "confirm that you meet the eligibility rules" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_photo_entry_through_the_page(client, practice, editor, patients):
    contest = make_contest(practice, editor, entry_type="photo")
    client.force_login(patients[0])
    missing_consent = client.post(
        url("contest_enter", contest),
        {
            "eligible": "on",
            "photo_alt": "Rex asleep",
            "photo": SimpleUploadedFile("rex.png", image_bytes("PNG"), "image/png"),
        },
    )
    assert missing_consent.status_code == 422
    assert "permission to publish" in missing_consent.content.decode()
    client.post(
        url("contest_enter", contest),
        {
            "eligible": "on",
            "photo_alt": "Rex asleep",
            "photo_consent": "on",
            "photo": SimpleUploadedFile("rex.png", image_bytes("PNG"), "image/png"),
        },
    )
    assert Entry.objects.get(contest=contest).photo_alt == "Rex asleep"


def test_staff_are_told_they_may_not_enter(client, practice, editor):
    contest = make_contest(practice, editor)
    client.force_login(editor)
    page = client.get(url("contest_detail", contest)).content.decode()
    assert "may not enter this contest" in page
    assert "Enter the contest" not in page
    assert client.post(url("contest_enter", contest), {"eligible": "on"}).status_code == 403


def test_the_rules_page_is_built_from_the_fields_and_shows_the_commitment(client, practice, editor):
    contest = make_contest(
        practice, editor, entry_type="answer", question="Best walk in town?", frequency="daily"
    )
    page = client.get(url("contest_rules", contest)).content.decode()
    for expected in (
        "No purchase or payment of any kind is necessary",
        "Riverside Family Practice",
        "Residents of Oregon, USA, aged 18 or over",
        "America/New_York",
        "Best walk in town?",
        "one entry per person per day",
        "A picnic basket from the farmers&#x27; market",
        "75.00 USD",
        "odds of winning depend on the number of eligible entries",
        "1 winner and 2 alternates",
        "within 14 days",
        "Privacy",
        contest.seed_commitment,
    ):
        assert expected in page, expected
    assert bytes(contest.seed).hex() not in page


def test_the_seed_stays_secret_until_the_draw(client, practice, editor, patients):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    secret = bytes(contest.seed).hex()
    client.force_login(editor)
    for name in ("contest_detail", "contest_rules", "contest_entries", "contest_verify"):
        assert secret not in client.get(url(name, contest)).content.decode(), name
    assert secret not in client.get(url("studio_contest_edit", contest)).content.decode()
    assert client.get(url("contest_draw_json", contest)).status_code == 404


def test_the_entry_list_is_published_when_entries_close(client, practice, editor, patients):
    contest = make_contest(practice, editor)
    entries = [enter_contest(user=patient, contest=contest) for patient in patients]
    open_page = client.get(url("contest_entries", contest)).content.decode()
    assert entries[0].public_id not in open_page
    assert "published here when entries close" in open_page
    with after_close(contest):
        closed_page = client.get(url("contest_entries", contest)).content.decode()
    ids = sorted(entry.public_id for entry in entries)
    assert all(public_id in closed_page for public_id in ids)
    assert draw.list_digest(ids) in closed_page
    # Pseudonymous: nobody's name is on it.
    assert "Patient 0" not in closed_page


def test_the_verification_page_recomputes_the_published_draw(client, practice, editor, patients):
    contest = drawn(practice, editor, patients)
    page = client.get(url("contest_verify", contest)).content.decode()
    assert "Verified." in page
    assert contest.seed_hex in page


def test_the_verification_page_catches_a_tampered_seed_or_list(client, practice, editor, patients):
    contest = drawn(practice, editor, patients)
    flipped = ("0" if contest.seed_hex[0] != "0" else "1") + contest.seed_hex[1:]
    bad_seed = client.post(
        url("contest_verify", contest),
        {"seed": flipped, "entry_ids": "\n".join(contest.entry_list)},
    ).content.decode()
    assert "Does not verify." in bad_seed
    assert "does not match the commitment" in bad_seed
    bad_list = client.post(
        url("contest_verify", contest),
        {"seed": contest.seed_hex, "entry_ids": "\n".join(contest.entry_list[1:])},
    ).content.decode()
    assert "Does not verify." in bad_list
    assert "does not match the digest" in bad_list
    honest = client.post(
        url("contest_verify", contest),
        {"seed": contest.seed_hex, "entry_ids": "\n".join(reversed(contest.entry_list))},
    ).content.decode()
    assert "Verified." in honest


def test_winners_are_shown_by_number_and_by_name_only_with_consent(
    client, practice, editor, patients
):
    contest = drawn(practice, editor, patients, winners_count=5, alternates_count=0)
    page = client.get(url("contest_detail", contest)).content.decode()
    assert "Patient 0" in page  # agreed to be named
    for patient in patients[1:]:
        assert patient.memberships.get().display_name not in page
    for entry in Entry.objects.filter(contest=contest):
        assert entry.public_id in page


def test_the_winner_sees_the_deadline_and_claims(client, practice, editor, patients):
    contest = drawn(practice, editor, patients, alternates_count=0)
    winner = Entry.objects.get(contest=contest, draw_position=0)
    client.force_login(winner.user)
    page = client.get(url("contest_detail", contest)).content.decode()
    assert "You won!" in page and "Claim your prize by" in page
    client.post(url("contest_claim", contest, entry_id=winner.pk))
    assert Entry.objects.get(pk=winner.pk).claimed_at is not None
    loser = Entry.objects.exclude(pk=winner.pk).filter(contest=contest).first()
    assert loser is not None
    assert client.post(url("contest_claim", contest, entry_id=loser.pk)).status_code == 404


def test_draw_json_downloads_what_the_verifier_reads(client, practice, editor, patients):
    contest = drawn(practice, editor, patients)
    response = client.get(url("contest_draw_json", contest))
    published = draw.from_json(json.loads(response.content))
    assert draw.verify(published).ok
    assert published.seed_hex == contest.seed_hex


def test_a_draft_contest_is_not_found_by_visitors(client, practice, editor):
    contest = make_contest(practice, editor, publish=False)
    for name in ("contest_detail", "contest_rules", "contest_entries", "contest_verify"):
        assert client.get(url(name, contest)).status_code == 404


# --- the studio -------------------------------------------------------------------------


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Win a bike",
        "visibility": "public",
        "body": "Ride to your appointments.",
        "sponsor": "Riverside Family Practice",
        "prize": "A city bike",
        "prize_value": "350",
        "currency": "USD",
        "min_age": "18",
        "region": "Residents of Oregon",
        "entry_type": "simple",
        "question": "",
        "frequency": "once",
        "opens_at": wall_clock(0).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": wall_clock(10).strftime("%Y-%m-%dT%H:%M"),
        "draw_by": wall_clock(11).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/New_York",
        "winners_count": "1",
        "alternates_count": "2",
        "claim_days": "14",
    }
    data.update(overrides)
    return data


def test_staff_create_a_contest_as_a_draft_then_publish_from_the_post_page(
    client, practice, editor
):
    client.force_login(editor)
    new = reverse("studio_contest_new", args=[practice.slug])
    assert client.get(new).status_code == 200
    response = client.post(new, form_data())
    contest = Contest.objects.get()
    assert response["Location"] == reverse(
        "studio_post_edit", args=[practice.slug, contest.post_id]
    )
    assert contest.post.status == "draft" and contest.prize == "A city bike"


def test_the_studio_form_keeps_what_was_typed_and_shows_the_error(client, practice, editor):
    client.force_login(editor)
    response = client.post(
        reverse("studio_contest_new", args=[practice.slug]),
        form_data(entry_type="answer", prize="A tandem"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Write the question entrants answer." in html
    assert 'value="A tandem"' in html
    assert not Contest.objects.exists()


def test_the_studio_is_not_found_for_patients(client, practice, editor, patients):
    contest = make_contest(practice, editor)
    client.force_login(patients[0])
    assert client.get(reverse("studio_contest_new", args=[practice.slug])).status_code == 404
    assert client.post(url("studio_contest_draw", contest)).status_code == 404


def test_staff_draw_from_the_studio_after_closing(client, practice, editor, patients):
    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    client.force_login(editor)
    early = client.post(url("studio_contest_draw", contest))
    assert early.status_code == 409
    with after_close(contest):
        page = client.get(url("studio_contest_edit", contest)).content.decode()
        assert "Draw the winners" in page
        client.post(url("studio_contest_draw", contest))
        assert Contest.objects.get(pk=contest.pk).is_drawn
        twice = client.post(url("studio_contest_draw", contest))
    assert twice.status_code == 409


# --- query counts -----------------------------------------------------------------------


def page_queries(client, practice, people: int) -> dict[str, int]:
    editor = member(practice, Role.EDITOR)
    contest = make_contest(practice, editor, winners_count=3, alternates_count=3)
    for membership in MembershipFactory.create_batch(people, practice=practice):
        enter_contest(user=membership.user, contest=contest, name_consent=True)
    counts: dict[str, int] = {}
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
        for name in ("contest_detail", "contest_entries", "contest_verify", "contest_rules"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name, contest)).status_code == 200
            counts[name] = len(queries)
    return counts


def test_the_contest_pages_cost_the_same_for_10_or_110_entries(client, practice, other_practice):
    assert page_queries(client, practice, 10) == page_queries(client, other_practice, 110)


def test_the_draw_notifies_nobody_by_itself(practice, editor, patients):
    """Lower layers never call upward: the notify sweep tells the winners."""
    from bedside.notify.models import Notification

    contest = make_contest(practice, editor)
    enter_contest(user=patients[0], contest=contest)
    with after_close(contest):
        draw_contest(by=editor, contest=contest)
    assert not Notification.objects.filter(key__startswith="contest-entry:").exists()
    assert contest.claim_deadline is not None
    assert contest.claim_deadline - contest.drawn_at == timedelta(days=contest.claim_days)
