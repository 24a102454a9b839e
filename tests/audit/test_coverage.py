"""Every staff state change and every staff view or export of patients' data leaves an audit
row: who, what, in which practice, and — through the pages — from where.

Each test takes one action the way staff take it (a service call, or a page through the
client) and reads the trail back. Rows about a patient's things are labelled by id only.
"""

from collections.abc import Iterator
from datetime import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.community.models import ModAction
from bedside.community.services import (
    ban_member,
    create_group,
    join_group,
    moderate_post,
    set_crisis_resources,
    start_thread,
)
from bedside.education.services import (
    add_trusted_source,
    approve_citation,
    ask_question,
    close_question,
    remove_trusted_source,
    sign_off_review,
    update_education_settings,
)
from bedside.engagement.contests.services import close_entries_now, draw_contest, enter_contest
from bedside.events.services import check_in, rsvp
from bedside.posts.services import add_comment, delete_comment, hide_comment
from bedside.practices.models import Invitation, Membership, Practice, Role, User
from bedside.practices.services import (
    HoursSpan,
    LocationDetails,
    PracticeDetails,
    StaffDetails,
    change_role,
    create_invitation,
    delete_location,
    revoke_invitation,
    save_location,
    save_staff_profile,
    update_practice_profile,
)
from tests.education.conftest import BLOG, make_answer, make_article
from tests.engagement.contests.conftest import after_close, make_contest
from tests.events.conftest import make_event
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db

LOCAL = "127.0.0.1"  # what Django's test client sends as REMOTE_ADDR


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(practice: Practice) -> User:
    return member(practice, Role.OWNER, display_name="Front desk")


def last(action: str) -> AuditEvent:
    rows = list(AuditEvent.objects.filter(action=action))
    assert len(rows) == 1, f"{action}: {len(rows)} rows"
    return rows[0]


def assert_row(
    action: str, *, actor: User, practice: Practice, ip: str | None = None
) -> AuditEvent:
    row = last(action)
    assert row.actor_id == actor.pk
    assert row.actor_label == actor.email
    assert row.practice_id == practice.pk
    assert row.ip_address == ip
    return row


# --- practices: members, invitations, settings, places -----------------------------------


def test_a_role_change_is_on_record_with_before_and_after(practice, owner):
    patient = member(practice, Role.PATIENT, user__full_name="Jane Realname")
    membership = Membership.objects.get(user=patient, practice=practice)

    change_role(by=owner, membership=membership, role=Role.MODERATOR)

    row = assert_row("member.role", actor=owner, practice=practice)
    assert row.detail == {"from": "patient", "to": "moderator"}
    assert row.target_label == f"membership #{membership.pk}"
    assert "Jane" not in row.target_label


def test_a_role_change_through_the_page_says_from_where(client, practice, owner):
    membership = Membership.objects.get(user=member(practice), practice=practice)
    client.force_login(owner)

    url = reverse("studio_member_role", args=[practice.slug, membership.pk])
    client.post(url, {"role": Role.EDITOR}, headers={"user-agent": "Browser/1.0"})

    row = assert_row("member.role", actor=owner, practice=practice, ip=LOCAL)
    assert row.user_agent == "Browser/1.0"


def test_a_refused_role_change_leaves_no_row(practice, owner):
    only_owner = Membership.objects.get(user=owner, practice=practice)

    with pytest.raises(Exception, match="at least one owner"):
        change_role(by=owner, membership=only_owner, role=Role.PATIENT)

    assert not AuditEvent.objects.filter(action="member.role").exists()


def test_viewing_the_member_list_is_on_record(client, practice, owner):
    member(practice)
    client.force_login(owner)

    response = client.get(reverse("studio_members", args=[practice.slug]))

    assert response.status_code == 200
    row = assert_row("members.view", actor=owner, practice=practice, ip=LOCAL)
    assert row.detail["rows"] == 2


def test_invitations_created_and_revoked_are_on_record(practice, owner):
    invitation = create_invitation(by=owner, practice=practice, label="Front desk", role="patient")
    revoke_invitation(by=owner, invitation=invitation)

    created = assert_row("invitation.create", actor=owner, practice=practice)
    revoked = assert_row("invitation.revoke", actor=owner, practice=practice)
    assert created.target_id == revoked.target_id == str(invitation.pk)
    assert created.target_type == Invitation._meta.label
    assert created.detail["role"] == "patient"


def test_practice_settings_are_on_record(practice, owner):
    update_practice_profile(
        by=owner, practice=practice, details=PracticeDetails(name="Riverside", is_open_signup=False)
    )

    row = assert_row("practice.settings", actor=owner, practice=practice)
    assert row.detail["is_open_signup"] is False


def test_locations_and_their_hours_are_on_record(practice, owner):
    details = LocationDetails(name="Main office", street="1 River Rd", city="Millbrook")
    hours = [HoursSpan(weekday=0, opens_at=time(8), closes_at=time(17))]
    location = save_location(by=owner, practice=practice, details=details, hours=hours)
    save_location(by=owner, practice=practice, details=details, hours=[], location=location)
    location_id = location.pk
    delete_location(by=owner, location=location)

    assert assert_row("location.create", actor=owner, practice=practice).detail == {
        "opening_hours": 1
    }
    assert assert_row("location.update", actor=owner, practice=practice).detail == {
        "opening_hours": 0
    }
    assert assert_row("location.delete", actor=owner, practice=practice).target_id == str(
        location_id
    )


def test_team_profiles_are_on_record(practice, owner):
    save_staff_profile(
        by=owner, practice=practice, details=StaffDetails(name="Ana Patel", role_title="Nurse")
    )

    assert_row("team.create", actor=owner, practice=practice)


# --- events: the attendee list, its export, check-in --------------------------------------


def test_the_attendee_list_its_export_and_check_in_are_on_record(client, practice, owner):
    event = make_event(practice, owner)
    patient = member(practice)
    answer = rsvp(event=event, patient=patient, going=True)
    client.force_login(owner)
    slug, post_id = practice.slug, event.post_id

    assert client.get(reverse("studio_event_attendees", args=[slug, post_id])).status_code == 200
    assert (
        client.get(reverse("studio_event_attendees_csv", args=[slug, post_id])).status_code == 200
    )
    client.post(reverse("studio_event_checkin", args=[slug, post_id, answer.pk]))

    assert assert_row("attendees.view", actor=owner, practice=practice, ip=LOCAL).detail == {
        "rows": 1
    }
    export = assert_row("attendees.export", actor=owner, practice=practice, ip=LOCAL)
    assert export.detail == {"rows": 1, "format": "csv"}
    checked = assert_row("attendee.check_in", actor=owner, practice=practice, ip=LOCAL)
    assert checked.target_label == f"RSVP #{answer.pk}"


def test_checking_in_twice_is_recorded_once(practice, owner):
    event = make_event(practice, owner)
    answer = rsvp(event=event, patient=member(practice), going=True)

    check_in(by=owner, rsvp=answer)
    check_in(by=owner, rsvp=answer)

    assert AuditEvent.objects.filter(action="attendee.check_in").count() == 1


# --- community: moderation and group settings --------------------------------------------


def test_moderating_a_post_and_banning_a_member_are_on_record(practice, owner):
    group = create_group(
        by=owner, practice=practice, name="Diabetes circle", description="", guidelines="Be kind."
    )
    patient = member(practice, display_name="Sunny", user__full_name="Jane Realname")
    seat = join_group(user=patient, group=group, accept_guidelines=True)
    thread = start_thread(by=patient, group=group, title="Hello", body="First time here").thread
    assert thread is not None

    moderate_post(by=owner, post=thread, action=ModAction.HIDE, reason="Off topic")
    ban_member(by=owner, member=seat, reason="Spam")

    assert assert_row("group.create", actor=owner, practice=practice).target_id == str(group.pk)
    hidden = assert_row("group.hide", actor=owner, practice=practice)
    assert hidden.target_label == f"thread #{thread.pk}"
    banned = assert_row("group.ban", actor=owner, practice=practice)
    assert banned.target_label == f"group member #{seat.pk}"
    assert "Jane" not in banned.target_label + hidden.target_label
    assert "Hello" not in hidden.target_label


def test_crisis_resources_are_on_record(practice, owner):
    set_crisis_resources(by=owner, practice=practice, text="Call 988\nText HOME to 741741")

    assert assert_row("groups.settings", actor=owner, practice=practice).detail == {"lines": 2}


def test_hiding_and_deleting_comments_are_on_record_but_an_author_deleting_theirs_is_not(
    practice, owner
):
    post = PostFactory(practice=practice)
    patient = member(practice)
    first = add_comment(user=patient, post=post, body="Thanks!")
    second = add_comment(user=patient, post=post, body="Call me at home")
    own = add_comment(user=patient, post=post, body="Oops")

    second_id = second.pk
    hide_comment(by=owner, comment=first)
    delete_comment(by=owner, comment=second)
    delete_comment(by=patient, comment=own)

    assert assert_row("comment.hide", actor=owner, practice=practice).target_label == (
        f"comment #{first.pk}"
    )
    assert assert_row("comment.delete", actor=owner, practice=practice).target_id == str(second_id)


# --- education: reviews, citations, sources, answers ---------------------------------------


def test_review_sign_off_and_citation_approval_are_on_record(practice):
    clinician = member(practice, Role.CLINICIAN)
    article = make_article(practice, clinician, citations=(BLOG,))
    citation = article.citations.get()

    approve_citation(by=clinician, citation=citation)
    sign_off_review(by=clinician, article=article)

    approved = assert_row("citation.approve", actor=clinician, practice=practice)
    assert approved.detail["url"] == BLOG.url
    review = assert_row("article.review", actor=clinician, practice=practice)
    assert review.target_id == str(article.post_id)


def test_trusted_sources_and_education_settings_are_on_record(practice, owner):
    source = add_trusted_source(
        by=owner, practice=practice, domain="medlineplus.example.org", name="Medline"
    )
    remove_trusted_source(by=owner, source=source)
    update_education_settings(
        by=owner, practice=practice, review_valid_months=6, require_review=True
    )

    assert assert_row("trusted_source.add", actor=owner, practice=practice).detail == {
        "domain": "medlineplus.example.org"
    }
    assert_row("trusted_source.remove", actor=owner, practice=practice)
    assert assert_row("education.settings", actor=owner, practice=practice).detail == {
        "review_valid_months": 6,
        "require_review": True,
    }


def test_answering_and_closing_questions_are_on_record(practice, owner):
    patient = member(practice)
    answer = make_answer(practice, patient, owner)
    question = ask_question(asker=patient, practice=practice, body="Can I come in today?")
    close_question(by=owner, question=question, note="Please call us")

    answered = assert_row("question.answer", actor=owner, practice=practice)
    assert answered.detail == {"post": answer.post_id}
    assert answered.target_label == f"question #{answer.question_id}"
    closed = assert_row("question.close", actor=owner, practice=practice)
    assert closed.target_label == f"question #{question.pk}"


# --- contests and analytics -----------------------------------------------------------------


def test_closing_a_contest_early_and_drawing_it_are_on_record(practice, owner):
    contest = make_contest(practice, owner)
    for _ in range(3):
        enter_contest(user=member(practice), contest=contest)
    close_entries_now(by=owner, contest=contest)

    with after_close(contest):
        draw_contest(by=owner, contest=contest)

    assert_row("contest.close", actor=owner, practice=practice)
    drawn = assert_row("contest.draw", actor=owner, practice=practice)
    assert drawn.detail["entries"] == 3
    assert len(drawn.detail["winners"]) == 1
    assert drawn.detail["entry_list_sha256"] == contest.entry_list_sha256


def test_an_analytics_export_is_on_record(client, practice, owner):
    client.force_login(owner)

    response = client.get(reverse("analytics_csv", args=[practice.slug, "topics"]))

    assert response.status_code == 200
    row = assert_row("analytics.export", actor=owner, practice=practice, ip=LOCAL)
    assert row.detail["table"] == "topics"
