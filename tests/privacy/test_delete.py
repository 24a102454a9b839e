"""Delete my account: the person's data leaves every page, list, export and counter, and what
they wrote is deleted or kept as "Former member", as they chose."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.community.models import GroupMember, GroupReaction, Reply, Report, Thread
from bedside.education.models import Answer, Question
from bedside.education.services import answer_question as answer_asker
from bedside.engagement.contests import draw
from bedside.engagement.contests.models import Entry
from bedside.engagement.contests.queries import published_draw
from bedside.engagement.contests.services import draw_contest
from bedside.engagement.models import Attempt, Ballot
from bedside.engagement.services import show_on_leaderboard
from bedside.events.models import Rsvp, RsvpStatus
from bedside.notify.community import REPLY_KIND, tell_followers
from bedside.notify.models import Notification, NotificationPreference
from bedside.notify.push.models import PushSubscription
from bedside.posts.models import Comment, Reaction
from bedside.posts.services import publish_post
from bedside.practices.models import Membership, Role, User
from bedside.privacy.former import FORMER_MEMBER_EMAIL
from tests.factories import member
from tests.factories.privacy import BusyPatient, busy_patient

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world() -> BusyPatient:
    return busy_patient()


def _delete(client: Client, user: User, choice: str, password: str = PASSWORD):
    client.force_login(user)
    return client.post(reverse("privacy_delete"), {"posts": choice, "password": password})


def _page(client: Client, user: User, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _thread_url(world: BusyPatient, thread: Thread) -> str:
    return reverse(
        "group_thread",
        kwargs={
            "slug": world.practice.slug,
            "group_slug": world.group.slug,
            "thread_id": thread.pk,
        },
    )


def test_the_page_shows_both_choices_and_asks_for_the_password(client: Client, world):
    page = _page(client, world.patient, reverse("privacy_delete"))
    assert "Keep my comments and group posts, shown as “Former member”" in page
    assert "Delete everything I wrote" in page
    assert 'type="radio"' in page and "checked" not in page
    assert '<label for="id_password">Your password:</label>' in page


def test_a_wrong_password_deletes_nothing(client: Client, world: BusyPatient):
    response = _delete(client, world.patient, "delete", password="not my password")
    assert response.status_code == 422
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=world.patient.pk).exists()
    assert Comment.objects.filter(pk=world.comment.pk).exists()
    assert not AuditEvent.objects.filter(action="account.delete").exists()


def test_no_choice_deletes_nothing(client: Client, world: BusyPatient):
    client.force_login(world.patient)
    response = client.post(reverse("privacy_delete"), {"password": PASSWORD})
    assert response.status_code == 422
    assert "Choose what happens to what you wrote." in response.content.decode()
    assert User.objects.filter(pk=world.patient.pk).exists()


def test_the_only_owner_of_a_practice_is_refused(client: Client, world: BusyPatient):
    page = _page(client, world.owner, reverse("privacy_delete"))
    assert f"You are the only owner of {world.practice.name}" in page
    response = _delete(client, world.owner, "keep")
    assert response.status_code == 409
    assert "Make another team member an owner first" in response.content.decode()
    assert User.objects.filter(pk=world.owner.pk).exists()


def test_an_owner_with_a_co_owner_may_go(client: Client, world: BusyPatient):
    member(world.practice, Role.OWNER, display_name="Second owner")
    response = _delete(client, world.owner, "keep")
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.owner.pk).exists()
    world.post.refresh_from_db()
    assert world.post.author_id is None  # the practice's post stays, without its author
    event = AuditEvent.objects.get(action="account.delete")
    assert event.actor_label == world.owner.email  # staff stay accountable by address


def test_deleting_everything_removes_the_patient_from_every_table(
    client: Client, world: BusyPatient
):
    patient = world.patient
    assert _delete(client, patient, "delete").status_code == 302
    assert not User.objects.filter(pk=patient.pk).exists()
    for model, lookup in [
        (Membership, "user"),
        (Reaction, "user"),
        (Comment, "author"),
        (Rsvp, "user"),
        (Ballot, "user"),
        (Attempt, "user"),
        (Entry, "user"),
        (Question, "asker"),
        (GroupMember, "user"),
        (Thread, "author"),
        (Reply, "author"),
        (GroupReaction, "user"),
        (Report, "reporter"),
        (Notification, "user"),
        (NotificationPreference, "user"),
        (PushSubscription, "user"),
        (EmailAddress, "user"),
        (Authenticator, "user"),
    ]:
        assert not model.objects.filter(**{f"{lookup}_id": patient.pk}).exists(), model
    assert not Reply.objects.filter(body="Cold washcloths worked.").exists()
    assert not Thread.objects.filter(title="Sleepless nights").exists()
    assert not Comment.objects.filter(body__contains="Saturdays").exists()


def test_counters_stay_true_after_deleting_everything(client: Client, world: BusyPatient):
    _delete(client, world.patient, "delete")
    world.post.refresh_from_db()
    assert (world.post.reaction_count, world.post.comment_count) == (1, 1)
    world.poll.refresh_from_db()
    assert world.poll.voter_count == 0
    assert sum(world.poll.choices.values_list("vote_count", flat=True)) == 0
    world.quiz.refresh_from_db()
    assert world.quiz.attempt_count == 0
    world.contest.refresh_from_db()
    assert world.contest.entry_count == 1
    world.group.refresh_from_db()
    assert world.group.member_count == 1
    world.others_thread.refresh_from_db()
    assert world.others_thread.reply_count == 0


def test_the_freed_seat_goes_to_the_next_person_waiting(client: Client, world: BusyPatient):
    waiting = Rsvp.objects.get(event=world.event, user=world.other)
    assert waiting.status == RsvpStatus.WAITLISTED
    _delete(client, world.patient, "delete")
    waiting.refresh_from_db()
    assert waiting.status == RsvpStatus.GOING
    assert waiting.promoted_at is not None
    world.event.refresh_from_db()
    assert (world.event.going_count, world.event.waitlist_count) == (1, 0)


def test_the_attendee_list_and_its_csv_forget_the_patient(client: Client, world: BusyPatient):
    slug, post_id = world.practice.slug, world.event.post_id
    csv_url = reverse("studio_event_attendees_csv", kwargs={"slug": slug, "post_id": post_id})
    list_url = reverse("studio_event_attendees", kwargs={"slug": slug, "post_id": post_id})
    assert "Sunny Walker" in _page(client, world.owner, csv_url)
    member(world.practice, Role.OWNER)  # so the owner is not the only one, for later tests
    _delete(client, world.patient, "delete")
    exported = _page(client, world.owner, csv_url)
    assert "Sunny Walker" not in exported
    assert "Birch,Going" in exported
    assert "Sunny Walker" not in _page(client, world.owner, list_url)


def test_member_lists_and_the_leaderboard_forget_the_patient(client: Client, world: BusyPatient):
    type(world.quiz).objects.filter(pk=world.quiz.pk).update(has_leaderboard=True)
    world.quiz.refresh_from_db()
    show_on_leaderboard(quiz=world.quiz, patient=world.patient, show=True)
    quiz_url = world.quiz.post.get_absolute_url()
    members_url = reverse("studio_members", kwargs={"slug": world.practice.slug})
    group_members_url = reverse(
        "studio_group_members",
        kwargs={"slug": world.practice.slug, "group_slug": world.group.slug},
    )
    assert "Sunny Walker" in _page(client, world.other, quiz_url)
    assert "Sunny Walker" in _page(client, world.owner, members_url)
    assert "Sunny Walker" in _page(client, world.owner, group_members_url)
    _delete(client, world.patient, "keep")
    assert "Sunny Walker" not in _page(client, world.other, quiz_url)
    assert "Sunny Walker" not in _page(client, world.owner, members_url)
    assert "Sunny Walker" not in _page(client, world.owner, group_members_url)


def test_the_contest_entry_list_drops_the_entry(client: Client, world: BusyPatient):
    entry = Entry.objects.get(user=world.patient)
    url = reverse(
        "contest_entries", kwargs={"slug": world.practice.slug, "post_id": world.contest.post_id}
    )
    with time_machine.travel(world.contest.closes_at + timedelta(minutes=1), tick=False):
        assert entry.public_id in _page(client, world.other, url)
        _delete(client, world.patient, "delete")
        assert entry.public_id not in _page(client, world.other, url)


def test_questions_leave_the_inbox_and_a_published_answer_keeps_only_its_rephrasing(
    client: Client, world: BusyPatient
):
    answer = answer_asker(
        by=world.owner,
        question=world.question,
        question_text="Can young children come to a flu clinic?",
        title="Children at the flu clinic",
        body="Yes, from six months of age.",
    )
    publish_post(by=world.owner, post=answer.post)
    inbox = reverse("studio_questions", kwargs={"slug": world.practice.slug})
    search = reverse("education_search", kwargs={"slug": world.practice.slug})
    _delete(client, world.patient, "delete")
    assert "toddler" not in _page(client, world.owner, inbox)
    answer.refresh_from_db()
    assert answer.question_id is None
    found = _page(client, world.other, f"{search}?q=children+flu+clinic")
    assert "Children at the flu clinic" in found
    assert "toddler" not in found
    assert Answer.objects.filter(pk=answer.pk).exists()


def test_deleting_everything_takes_comments_and_group_posts_off_the_pages(
    client: Client, world: BusyPatient
):
    post_url = world.post.get_absolute_url()
    assert "So glad you are open on Saturdays!" in _page(client, world.other, post_url)
    _delete(client, world.patient, "delete")
    page = _page(client, world.other, post_url)
    assert "So glad you are open on Saturdays!" not in page
    assert "Me too, thanks." in page
    others = _page(client, world.other, _thread_url(world, world.others_thread))
    assert "Cold washcloths worked." not in others
    assert "Sunny Walker" not in others
    group_url = reverse(
        "group_detail", kwargs={"slug": world.practice.slug, "group_slug": world.group.slug}
    )
    group = _page(client, world.other, group_url)
    assert "Sleepless nights" not in group
    # A conversation others replied to is emptied and taken down, not handed to anyone.
    emptied = Thread.objects.get(pk=world.thread.pk)
    assert (emptied.title, emptied.body, emptied.status) == ("Removed by its author", "", "deleted")
    assert Reply.objects.filter(pk=world.others_reply.pk).exists()


def test_keeping_posts_shows_them_as_former_member(client: Client, world: BusyPatient):
    assert _delete(client, world.patient, "keep").status_code == 302
    page = _page(client, world.other, world.post.get_absolute_url())
    assert "So glad you are open on Saturdays!" in page
    assert "Former member" in page
    assert "Sunny Walker" not in page
    thread_page = _page(client, world.other, _thread_url(world, world.others_thread))
    assert "Cold washcloths worked." in thread_page
    assert "Former member" in thread_page
    assert "Sunny Walker" not in thread_page
    own = _page(client, world.other, _thread_url(world, world.thread))
    assert "Sleepless nights" in own and "Former member" in own
    world.post.refresh_from_db()
    assert world.post.comment_count == 2
    world.others_thread.refresh_from_db()
    assert world.others_thread.reply_count == 1


def test_the_former_member_can_never_sign_in_or_hear_anything(client: Client, world: BusyPatient):
    _delete(client, world.patient, "keep")
    former = User.objects.get(email=FORMER_MEMBER_EMAIL)
    assert not former.is_active and not former.has_usable_password()
    assert not Client().login(email=FORMER_MEMBER_EMAIL, password="")
    preference = NotificationPreference.objects.get(user=former, practice=world.practice)
    assert not (preference.in_app or preference.email or preference.push)
    reply = Reply.objects.get(pk=world.reply.pk)
    assert reply.author_id == former.pk
    assert reply.author_membership.display_name == "Former member"


def test_a_second_deletion_reuses_the_former_member(client: Client, world: BusyPatient):
    _delete(client, world.patient, "keep")
    _delete(client, world.other, "keep")
    assert User.objects.filter(email=FORMER_MEMBER_EMAIL).count() == 1
    assert Membership.objects.filter(user__email=FORMER_MEMBER_EMAIL).count() == 1


def test_every_session_of_the_person_ends(client: Client, world: BusyPatient):
    elsewhere = Client()
    elsewhere.force_login(world.patient)
    stranger = Client()
    stranger.force_login(world.other)
    _delete(client, world.patient, "delete")
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(world.patient.pk) not in remaining
    assert str(world.other.pk) in remaining
    assert elsewhere.get(reverse("privacy")).status_code == 302  # signed out


def test_a_confirmation_goes_to_the_old_address_and_the_audit_names_no_one(
    client: Client, world: BusyPatient, django_capture_on_commit_callbacks
):
    address, pk = world.patient.email, world.patient.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, world.patient, "keep")
    assert response["Location"] == reverse("privacy_deleted")
    [letter] = [m for m in mail.outbox if m.to == [address]]
    assert letter.subject == "Your Bedside account has been deleted"
    assert "Former member" in letter.body
    event = AuditEvent.objects.get(action="account.delete")
    assert event.actor_label == f"deleted account #{pk}"
    assert event.target_label == f"deleted account #{pk}"
    assert event.practice_id is None
    assert event.detail == {"kept_posts": True}
    assert address not in str(event.detail) + event.target_label + event.actor_label


def test_the_goodbye_page_is_public(client: Client):
    response = client.get(reverse("privacy_deleted"))
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_followers_notices_of_a_reply_stop_naming_the_patient(
    client: Client, world: BusyPatient, choice: str
):
    tell_followers()
    notice = Notification.objects.get(user=world.other, kind=REPLY_KIND)
    assert notice.body == "Sunny Walker replied in New parents."
    _delete(client, world.patient, choice)
    remaining = Notification.objects.filter(pk=notice.pk)
    if choice == "keep":
        assert remaining.get().body == "Former member replied in New parents."
    else:
        assert not remaining.exists()
    page = _page(client, world.other, reverse("notifications"))
    assert "Sunny Walker" not in page


def test_a_reply_to_a_past_event_is_counted_off_too(client: Client, world: BusyPatient):
    after = world.event.ends_at + timedelta(hours=1)
    with time_machine.travel(after, tick=False):
        _delete(client, world.patient, "delete")
    world.event.refresh_from_db()
    # The event is over: nobody is promoted, but the counts no longer include the patient.
    assert (world.event.going_count, world.event.waitlist_count) == (0, 1)
    assert list(Rsvp.objects.filter(event=world.event).values_list("status", flat=True)) == [
        RsvpStatus.WAITLISTED
    ]


def test_nothing_in_the_audit_trail_keeps_a_deleted_patients_address(
    client: Client, world: BusyPatient
):
    client.force_login(world.patient)
    client.post(reverse("privacy_download"))
    address = world.patient.email
    _delete(client, world.patient, "delete")
    for event in AuditEvent.objects.all():
        assert address not in f"{event.actor_label} {event.target_label} {event.detail}"


def test_a_drawn_contest_still_verifies_after_a_picked_entrant_leaves(
    client: Client, world: BusyPatient
):
    entry = Entry.objects.get(user=world.patient)
    kwargs = {"slug": world.practice.slug, "post_id": world.contest.post_id}
    with time_machine.travel(world.contest.closes_at + timedelta(minutes=1), tick=False):
        draw_contest(by=world.owner, contest=world.contest)
        entry.refresh_from_db()
        assert entry.draw_position is not None  # one winner and one alternate: both picked
        _delete(client, world.patient, "delete")
        world.contest.refresh_from_db()
        published = published_draw(world.contest)
        assert published is not None and entry.public_id in published.winners + published.alternates
        assert draw.verify(published).ok
        kept = Entry.objects.get(pk=entry.pk)
        assert kept.user.email == FORMER_MEMBER_EMAIL
        assert (kept.answer, kept.name_consent) == ("", False)
        page = _page(client, world.other, reverse("contest_verify", kwargs=kwargs))
        assert 'class="verdict-ok"' in page
