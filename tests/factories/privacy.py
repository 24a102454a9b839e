"""A practice where one patient has done a bit of everything, built through the services,
for the data-rights tests: what the export must hold and what deletion must remove."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from bedside.community.models import Group, Reply, Thread
from bedside.community.services import (
    create_group,
    follow_thread,
    join_group,
    post_reply,
    report_post,
    start_thread,
    toggle_reaction,
)
from bedside.education.models import Question
from bedside.education.services import ask_question
from bedside.engagement.contests.models import Contest
from bedside.engagement.contests.services import ContestRules, create_contest, enter_contest
from bedside.engagement.contests.services import PostText as ContestText
from bedside.engagement.models import Poll, Quiz
from bedside.engagement.services import (
    PollDetails,
    QuestionDraft,
    add_question,
    answer_question,
    create_poll,
    create_quiz,
    vote,
)
from bedside.engagement.services import PostText as EngagementText
from bedside.events.models import Event
from bedside.events.services import EventDetails, create_event, rsvp
from bedside.events.services import PostText as EventText
from bedside.notify.models import Notification
from bedside.notify.push.models import PushSubscription
from bedside.notify.services import notify_users, update_preferences
from bedside.posts.models import Comment, Post
from bedside.posts.services import add_comment, publish_post, react
from bedside.practices.models import Practice, Role, User
from tests.factories.posts import PostFactory
from tests.factories.practices import PracticeFactory, member

ZONE = "America/New_York"
PUSH_ENDPOINT = "https://push.example.net/send/abcdef123456"


@dataclass
class BusyPatient:
    practice: Practice
    owner: User
    patient: User
    other: User
    post: Post
    comment: Comment
    others_comment: Comment
    event: Event
    poll: Poll
    quiz: Quiz
    contest: Contest
    question: Question
    group: Group
    thread: Thread
    others_thread: Thread
    reply: Reply
    others_reply: Reply
    notification: Notification


def _wall(days: float, hour: int = 18) -> datetime:
    local = (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(ZONE))
    return local.replace(tzinfo=None, hour=hour, minute=0, second=0, microsecond=0)


def _event(practice: Practice, by: User) -> Event:
    event = create_event(
        by=by,
        practice=practice,
        text=EventText(
            topic="medical", title="Flu-shot clinic", body="Walk in.", visibility="public"
        ),
        details=EventDetails(
            starts_at=_wall(3),
            ends_at=_wall(3, hour=20),
            time_zone=ZONE,
            online_url="https://meet.example.org/flu",
            capacity=1,
        ),
    )
    publish_post(by=by, post=event.post)
    return event


def _poll(practice: Practice, by: User) -> Poll:
    poll = create_poll(
        by=by,
        practice=practice,
        text=EngagementText(
            topic="non_medical", title="Evening hours?", body="Help us plan.", visibility="public"
        ),
        details=PollDetails(
            closes_at=timezone.now() + timedelta(days=3), choices=["Tuesday", "Thursday"]
        ),
    )
    publish_post(by=by, post=poll.post)
    return poll


def _quiz(practice: Practice, by: User) -> Quiz:
    quiz = create_quiz(
        by=by,
        practice=practice,
        text=EngagementText(
            topic="medical", title="Flu facts quiz", body="Test yourself.", visibility="public"
        ),
    )
    add_question(
        by=by,
        quiz=quiz,
        draft=QuestionDraft(
            prompt="How often should adults get a flu shot?",
            choices=["Every year", "Once in a lifetime"],
            correct=0,
            explanation="The vaccine is **updated every year**.",
            source_title="CDC: Key facts about seasonal flu vaccine",
            source_url="https://www.cdc.gov/flu/vaccines/keyfacts.html",
        ),
    )
    publish_post(by=by, post=quiz.post)
    return quiz


def _contest(practice: Practice, by: User) -> Contest:
    contest = create_contest(
        by=by,
        practice=practice,
        text=ContestText(title="Win a picnic basket", body="Enter now.", visibility="public"),
        rules=ContestRules(
            sponsor=practice.name,
            min_age=18,
            region="Residents of Oregon, USA",
            opens_at=_wall(-1),
            closes_at=_wall(7),
            draw_by=_wall(8),
            time_zone=ZONE,
            entry_type="simple",
            prize="A picnic basket",
            prize_value=Decimal("75.00"),
            winners_count=1,
            alternates_count=1,
        ),
    )
    publish_post(by=by, post=contest.post)
    return contest


def busy_patient(practice: Practice | None = None) -> BusyPatient:
    """One patient ("Sunny") and one other ("Birch") who answers them, in a practice."""
    practice = practice or PracticeFactory()
    owner = member(practice, Role.OWNER, display_name="Front desk")
    patient = member(practice, display_name="Sunny Walker", user__full_name="Jane Realname")
    other = member(practice, display_name="Birch", user__full_name="Other Person")
    post = PostFactory(practice=practice, author=owner, title="Welcome to our new clinic")
    comment = add_comment(user=patient, post=post, body="So glad you are open on Saturdays!")
    others_comment = add_comment(user=other, post=post, body="Me too, thanks.")
    react(user=patient, post=post, kind="heart")
    react(user=other, post=post, kind="like")

    event = _event(practice, owner)
    rsvp(event=event, patient=patient, going=True)
    rsvp(event=event, patient=other, going=True)  # waitlisted: one seat

    poll = _poll(practice, owner)
    vote(poll=poll, patient=patient, choice_ids=[poll.choices.order_by("position")[0].pk])
    quiz = _quiz(practice, owner)
    question_row = quiz.questions.get()
    answer_question(
        quiz=quiz,
        patient=patient,
        question=question_row,
        choice_id=question_row.choices.get(is_correct=True).pk,
    )
    contest = _contest(practice, owner)
    enter_contest(user=patient, contest=contest)
    enter_contest(user=other, contest=contest)
    question = ask_question(
        asker=patient, practice=practice, body="Can I bring my toddler to the flu clinic?"
    )

    group = create_group(
        by=owner,
        practice=practice,
        name="New parents",
        description="For parents of babies.",
        guidelines="Be kind.",
        visibility="public",
        crisis_policy="hold",
        premoderate_first=0,
    )
    join_group(user=patient, group=group, accept_guidelines=True)
    join_group(user=other, group=group, accept_guidelines=True)
    thread = start_thread(
        by=patient, group=group, title="Sleepless nights", body="How do you all cope?"
    ).thread
    others_reply = post_reply(by=other, thread=thread, body="Naps when the baby naps.").reply
    others_thread = start_thread(
        by=other, group=group, title="Teething tips", body="What helped yours?"
    ).thread
    reply = post_reply(by=patient, thread=others_thread, body="Cold washcloths worked.").reply
    assert reply is not None and others_reply is not None
    toggle_reaction(by=patient, post=others_thread, kind="hug")
    follow_thread(by=patient, thread=others_thread, follow=True)
    report_post(by=patient, post=others_reply, reason="Looks like advertising to me.")

    update_preferences(
        user=patient,
        practice=practice,
        muted_kinds=["office_life"],
        in_app=True,
        email=True,
        push=True,
        mode="immediate",
        quiet_start=time(22),
        quiet_end=time(7),
    )
    notify_users(
        users=[patient, other],
        practice=practice,
        kind="announcement",
        title="Clinic closed Monday",
        body="For the holiday.",
        url=post.get_absolute_url(),
        key="privacy-test-notice",
    )
    PushSubscription.objects.create(
        user=patient, endpoint=PUSH_ENDPOINT, p256dh="BPublicKey", auth="secret-auth"
    )
    return BusyPatient(
        practice=practice,
        owner=owner,
        patient=patient,
        other=other,
        post=post,
        comment=comment,
        others_comment=others_comment,
        event=event,
        poll=poll,
        quiz=quiz,
        contest=contest,
        question=question,
        group=group,
        thread=thread,
        others_thread=others_thread,
        reply=reply,
        others_reply=others_reply,
        notification=Notification.objects.get(user=patient, key="privacy-test-notice"),
    )
