from datetime import timedelta

import pytest
from django.utils import timezone

from bedside.community.models import (
    CrisisPolicy,
    MemberStatus,
    ModAction,
    ModerationLogEntry,
    PostStatus,
    SafetyAlert,
    Thread,
    Visibility,
)
from bedside.community.services import (
    IdentifiersFound,
    ban_member,
    decide_join_request,
    edit_post,
    invite_to_group,
    join_group,
    moderate_post,
    mute_member,
    post_reply,
    report_post,
    start_thread,
    toggle_reaction,
)
from bedside.core.errors import Conflict, Invalid, NotAllowed, NotFound
from bedside.practices.models import Membership
from tests.factories import member

pytestmark = pytest.mark.django_db

CRISIS = "I have decided to kill myself tonight, I have the pills ready."


def test_joining_a_public_group_is_immediate_once_the_guidelines_are_accepted(make_group, patient):
    group = make_group()
    with pytest.raises(Invalid) as refused:
        join_group(user=patient, group=group, accept_guidelines=False)
    assert refused.value.field == "accept_guidelines"
    joined = join_group(user=patient, group=group, accept_guidelines=True)
    assert joined.status == MemberStatus.ACTIVE
    assert joined.accepted_guidelines_at is not None
    group.refresh_from_db()
    assert group.member_count == 1


def test_a_private_group_waits_for_a_moderator_who_approves_and_is_logged(
    make_group, patient, moderator
):
    group = make_group(visibility=Visibility.PRIVATE)
    request = join_group(user=patient, group=group, accept_guidelines=True, note="New diagnosis")
    assert request.status == MemberStatus.PENDING
    with pytest.raises(NotAllowed):
        start_thread(by=patient, group=group, title="Hello", body="Hi all")
    decide_join_request(by=moderator, member=request, approve=True, reason="Welcome")
    assert request.status == MemberStatus.ACTIVE
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.reason, entry.moderator) == (
        ModAction.APPROVE_MEMBER,
        "Welcome",
        moderator,
    )
    with pytest.raises(Conflict):
        decide_join_request(by=moderator, member=request, approve=False)


def test_a_patient_cannot_approve_join_requests(make_group, patient, practice):
    group = make_group(visibility=Visibility.PRIVATE)
    request = join_group(user=patient, group=group, accept_guidelines=True)
    other = member(practice)
    with pytest.raises(NotAllowed):
        decide_join_request(by=other, member=request, approve=True)


def test_a_hidden_group_is_joined_only_by_invitation(make_group, patient, moderator):
    group = make_group(visibility=Visibility.HIDDEN)
    with pytest.raises(NotFound):
        join_group(user=patient, group=group, accept_guidelines=True)
    invite_to_group(by=moderator, group=group, membership=Membership.objects.get(user=patient))
    assert join_group(user=patient, group=group, accept_guidelines=True).status == "active"


def test_a_banned_member_cannot_post_or_rejoin(make_group, patient, moderator, joined):
    group = make_group()
    seat = joined(patient, group)
    with pytest.raises(Invalid):
        ban_member(by=moderator, member=seat, reason="")
    ban_member(by=moderator, member=seat, reason="Harassment")
    with pytest.raises(NotAllowed, match="no longer post"):
        start_thread(by=patient, group=group, title="Hi", body="Hello")
    with pytest.raises(NotAllowed):
        join_group(user=patient, group=group, accept_guidelines=True)


def test_a_muted_member_cannot_post_until_the_mute_ends(make_group, patient, moderator, joined):
    group = make_group()
    seat = joined(patient, group)
    mute_member(by=moderator, member=seat, days=3, reason="Cool off")
    with pytest.raises(NotAllowed, match="paused"):
        start_thread(by=patient, group=group, title="Hi", body="Hello")


def test_empty_and_oversized_posts_are_refused_with_the_field(make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    with pytest.raises(Invalid) as empty:
        start_thread(by=patient, group=group, title="Hi", body="   ")
    assert empty.value.field == "body"
    with pytest.raises(Invalid) as long:
        start_thread(by=patient, group=group, title="Hi", body="x" * 10001)
    assert long.value.field == "body"
    with pytest.raises(Invalid) as untitled:
        start_thread(by=patient, group=group, title=" ", body="Hello")
    assert untitled.value.field == "title"


def test_script_in_a_post_is_stored_sanitized(make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    outcome = start_thread(
        by=patient, group=group, title="Hi", body="<script>alert(1)</script>**bold**"
    )
    assert "<script" not in outcome.thread.body_html
    assert "<strong>bold</strong>" in outcome.thread.body_html


def test_identifiers_are_shown_and_posting_goes_ahead_once_confirmed(make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    body = "Call me at 312-555-0187 if you want to talk."
    with pytest.raises(IdentifiersFound) as found:
        start_thread(by=patient, group=group, title="Support", body=body)
    assert any("312-555-0187" in finding.text for finding in found.value.findings)
    assert not Thread.objects.exists()
    outcome = start_thread(
        by=patient, group=group, title="Support", body=body, confirm_identifiers=True
    )
    assert outcome.thread.status == PostStatus.PUBLISHED


def test_a_crisis_post_is_held_alerts_and_returns_the_resources(
    make_group, patient, joined, practice
):
    practice.phone = "(555) 010-2000"
    practice.save()
    group = make_group(crisis_policy=CrisisPolicy.HOLD)
    joined(patient, group)
    outcome = start_thread(by=patient, group=group, title="I can't go on", body=CRISIS)
    assert outcome.crisis and outcome.held
    assert outcome.thread.status == PostStatus.HELD
    assert any("988" in line for line in outcome.resources)
    assert any("(555) 010-2000" in line for line in outcome.resources)
    alert = SafetyAlert.objects.get()
    assert alert.thread == outcome.thread and alert.category


def test_a_crisis_reply_is_published_when_the_group_says_so(make_group, patient, joined):
    group = make_group(crisis_policy=CrisisPolicy.PUBLISH)
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Rough week", body="Hard days.").thread
    outcome = post_reply(by=patient, thread=thread, body=CRISIS)
    assert outcome.crisis and not outcome.held
    assert outcome.reply is not None and outcome.reply.status == PostStatus.PUBLISHED
    assert SafetyAlert.objects.get().reply == outcome.reply


def test_figures_of_speech_are_not_crises(make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    outcome = start_thread(
        by=patient, group=group, title="Diet", body="This diet is killing me, I'd die for cake."
    )
    assert not outcome.crisis and not SafetyAlert.objects.exists()


def test_a_new_members_first_posts_are_held_until_approved(make_group, patient, moderator, joined):
    group = make_group(premoderate_first=1)
    joined(patient, group)
    first = start_thread(by=patient, group=group, title="Hello", body="First post").thread
    assert first.status == PostStatus.HELD
    moderate_post(by=moderator, post=first, action=ModAction.APPROVE_POST, reason="Fine")
    second = start_thread(by=patient, group=group, title="Again", body="Second post").thread
    assert second.status == PostStatus.PUBLISHED


def test_replies_quote_count_and_stop_when_locked(make_group, patient, moderator, joined, practice):
    group = make_group()
    joined(patient, group)
    other = member(practice)
    joined(other, group)
    thread = start_thread(by=patient, group=group, title="Hello", body="Hi").thread
    first = post_reply(by=other, thread=thread, body="Welcome!").reply
    assert first is not None
    quoting = post_reply(by=patient, thread=thread, body="Thanks", quote_id=first.pk).reply
    assert quoting is not None and quoting.quote == first
    thread.refresh_from_db()
    assert thread.reply_count == 2
    moderate_post(by=moderator, post=first, action=ModAction.HIDE, reason="Off topic")
    thread.refresh_from_db()
    assert thread.reply_count == 1
    moderate_post(by=moderator, post=thread, action=ModAction.LOCK, reason="Resolved")
    thread.refresh_from_db()
    with pytest.raises(Conflict, match="locked"):
        post_reply(by=other, thread=thread, body="One more")


def test_editing_is_allowed_for_fifteen_minutes_and_only_to_the_author(
    make_group, patient, joined, practice
):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Hello", body="Hi").thread
    with pytest.raises(NotAllowed):
        edit_post(by=member(practice), post=thread, title="X", body="Changed")
    edit_post(by=patient, post=thread, title="Hello again", body="Changed")
    thread.refresh_from_db()
    assert (thread.title, thread.body) == ("Hello again", "Changed")
    assert thread.edited_at is not None
    Thread.objects.filter(pk=thread.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    thread.refresh_from_db()
    with pytest.raises(Conflict, match="15 minutes"):
        edit_post(by=patient, post=thread, title="Late", body="Too late")


def test_reactions_toggle_once_per_kind(make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Hello", body="Hi").thread
    assert toggle_reaction(by=patient, post=thread, kind="hug") is True
    assert toggle_reaction(by=patient, post=thread, kind="me_too") is True
    assert toggle_reaction(by=patient, post=thread, kind="hug") is False
    assert list(thread.reactions.values_list("kind", flat=True)) == ["me_too"]
    with pytest.raises(Invalid):
        toggle_reaction(by=patient, post=thread, kind="angry")


def test_a_report_then_a_hide_resolves_the_report_and_logs_who_and_why(
    make_group, patient, moderator, joined, practice
):
    group = make_group()
    joined(patient, group)
    reporter = member(practice)
    joined(reporter, group)
    thread = start_thread(by=patient, group=group, title="Buy my pills", body="Cheap").thread
    with pytest.raises(Invalid):
        report_post(by=reporter, post=thread, reason=" ")
    report = report_post(by=reporter, post=thread, reason="Spam")
    moderate_post(by=moderator, post=thread, action=ModAction.HIDE, reason="Selling drugs")
    report.refresh_from_db()
    thread.refresh_from_db()
    assert thread.status == PostStatus.HIDDEN
    assert report.resolved_by == moderator
    entry = ModerationLogEntry.objects.get(action=ModAction.HIDE)
    assert (entry.thread, entry.reason, entry.moderator) == (thread, "Selling drugs", moderator)
    moderate_post(by=moderator, post=thread, action=ModAction.RESTORE, reason="Mistake")
    thread.refresh_from_db()
    assert thread.status == PostStatus.PUBLISHED


def test_moderation_needs_the_moderator_role(make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Hi", body="Hello").thread
    with pytest.raises(NotAllowed):
        moderate_post(by=patient, post=thread, action=ModAction.HIDE, reason="Mine")
