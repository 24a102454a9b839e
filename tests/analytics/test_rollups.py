"""The daily rollups equal a direct count over the raw events, and never count twice."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bedside.analytics import queries
from bedside.analytics.models import LinkClick, PostDay, PostView, PracticeDay
from bedside.analytics.rollups import SOURCES, rebuild_all, roll_up_new_activity
from bedside.analytics.tasks import roll_up
from bedside.engagement.contests.models import Entry
from bedside.engagement.contests.services import enter_contest
from bedside.engagement.models import Attempt, Ballot
from bedside.engagement.services import answer_question, vote
from bedside.events.models import Rsvp
from bedside.events.services import rsvp
from bedside.notify.models import DeliveryStatus, EmailDelivery, Notification
from bedside.posts.models import Comment, Post, Reaction, Topic
from bedside.posts.services import add_comment, react
from bedside.practices.models import Membership, Role
from tests.engagement.conftest import make_poll, make_quiz
from tests.engagement.contests.conftest import make_contest
from tests.events.conftest import make_event
from tests.factories import member
from tests.factories.posts import PostFactory

pytestmark = pytest.mark.django_db

COLUMNS = [source.column for source in SOURCES]


def utc(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def direct_counts() -> Counter[tuple[int, date, str]]:
    """Every raw event, walked in Python (not through the rollup's queries)."""
    counts: Counter[tuple[int, date, str]] = Counter()
    for view in PostView.objects.all():
        counts[(view.post_id, view.day, "views")] += 1
        if view.is_signed_in:
            counts[(view.post_id, view.day, "signed_in_views")] += 1
    for click in LinkClick.objects.all():
        counts[(click.post_id, click.day, "clicks")] += 1
    for reaction in Reaction.objects.all():
        counts[(reaction.post_id, utc(reaction.created_at), "reactions")] += 1
    for comment in Comment.objects.all():
        counts[(comment.post_id, utc(comment.created_at), "comments")] += 1
    for ballot in Ballot.objects.select_related("poll"):
        counts[(ballot.poll.post_id, utc(ballot.cast_at), "votes")] += 1
    for attempt in Attempt.objects.select_related("quiz"):
        counts[(attempt.quiz.post_id, utc(attempt.started_at), "quiz_plays")] += 1
    for entry in Entry.objects.select_related("contest"):
        counts[(entry.contest.post_id, utc(entry.created_at), "contest_entries")] += 1
    for answer in Rsvp.objects.select_related("event"):
        counts[(answer.event.post_id, utc(answer.created_at), "rsvps")] += 1
    for note in Notification.objects.filter(in_app=True, post__isnull=False):
        counts[(note.post_id, utc(note.created_at), "in_app")] += 1
    for mail in EmailDelivery.objects.filter(status=DeliveryStatus.SENT).select_related(
        "notification"
    ):
        if mail.notification and mail.notification.post_id and mail.sent_at:
            counts[(mail.notification.post_id, utc(mail.sent_at), "emails")] += 1
    return counts


def rolled_up() -> Counter[tuple[int, date, str]]:
    counts: Counter[tuple[int, date, str]] = Counter()
    for row in PostDay.objects.all():
        for column in COLUMNS:
            if getattr(row, column):
                counts[(row.post_id, row.day, column)] += getattr(row, column)
    return counts


def backdate(queryset, field: str, days: int) -> None:
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


@pytest.fixture
def activity(practice):
    """A week of everything a practice's patients do, spread over several days."""
    editor = member(practice, Role.EDITOR, display_name="News desk")
    patients = [member(practice, display_name=f"Patient {i}") for i in range(4)]
    news = PostFactory(practice=practice, author=editor, topic=Topic.NON_MEDICAL)
    advice = PostFactory(practice=practice, author=editor, topic=Topic.MEDICAL)
    poll = make_poll(practice, editor)
    quiz = make_quiz(practice, editor, questions=1)
    event = make_event(practice, editor)
    contest = make_contest(practice, editor)
    for n, patient in enumerate(patients):
        react(user=patient, post=news, kind="heart")
        if n % 2:
            react(user=patient, post=advice, kind="helpful")
            add_comment(user=patient, post=advice, body="Thank you, this helps.")
        vote(poll=poll, patient=patient, choice_ids=[poll.choices.first().pk])
        question = quiz.questions.get()
        answer_question(
            quiz=quiz, patient=patient, question=question, choice_id=question.choices.first().pk
        )
        rsvp(event=event, patient=patient, going=True)
        enter_contest(user=patient, contest=contest)
        note = Notification.objects.create(
            user=patient,
            practice=practice,
            post=news,
            kind="post",
            title="News",
            url="/",
            key=f"n{n}",
        )
        EmailDelivery.objects.create(
            user=patient,
            practice=practice,
            notification=note,
            to=f"p{n}@example.org",
            status=DeliveryStatus.SENT,
            next_attempt_at=timezone.now(),
            sent_at=timezone.now(),
        )
        PostView.objects.create(
            post=news, day=timezone.now().date(), viewer=f"{n:064d}", is_signed_in=True
        )
        LinkClick.objects.create(
            post=advice, url="https://www.cdc.gov/", day=timezone.now().date(), viewer=f"{n:064d}"
        )
    # Spread it over the week: half of each table moves back a few days.
    for model, field in [
        (Reaction, "created_at"),
        (Comment, "created_at"),
        (Ballot, "cast_at"),
        (Attempt, "started_at"),
        (Entry, "created_at"),
        (Rsvp, "created_at"),
        (Notification, "created_at"),
    ]:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        backdate(model.objects.filter(pk__in=ids[::2]), field, days=3)
    PostView.objects.filter(viewer__endswith="1").update(
        day=timezone.now().date() - timedelta(days=5)
    )
    return {"news": news, "advice": advice, "patients": patients, "editor": editor}


def test_the_rollups_equal_a_direct_count_over_the_raw_events(activity):
    roll_up_new_activity()
    expected = direct_counts()
    assert expected  # the fixture made activity in every table counted below
    assert {column for _, _, column in expected} == set(COLUMNS) - {"pushes"}
    assert rolled_up() == expected


def test_running_the_rollups_again_counts_nothing_twice(activity):
    roll_up_new_activity()
    first = rolled_up()
    roll_up_new_activity()
    roll_up.enqueue()
    assert rolled_up() == first == direct_counts()


def test_a_late_event_on_an_old_day_is_picked_up_by_the_watermark(activity, practice):
    roll_up_new_activity()
    late = member(practice)
    react(user=late, post=activity["advice"], kind="like")
    backdate(Reaction.objects.filter(user=late), "created_at", days=20)
    roll_up_new_activity()
    assert rolled_up() == direct_counts()
    old_day = utc(timezone.now() - timedelta(days=20))
    assert PostDay.objects.get(post=activity["advice"], day=old_day).reactions == 1


def test_a_rebuild_from_scratch_gives_the_same_rollups(activity):
    roll_up_new_activity()
    before = rolled_up()
    rebuild_all()
    assert rolled_up() == before


def test_each_rollup_row_carries_its_post_s_practice_kind_and_topic(activity):
    roll_up_new_activity()
    for row in PostDay.objects.select_related("post"):
        assert (row.practice_id, row.kind, row.topic) == (
            row.post.practice_id,
            row.post.kind,
            row.post.topic,
        )


def test_follower_growth_counts_new_patients_per_day_and_not_staff(practice):
    for _ in range(3):
        member(practice)
    member(practice, Role.CLINICIAN)
    early = Membership.objects.filter(role=Role.PATIENT).order_by("pk").first()
    Membership.objects.filter(pk=early.pk).update(created_at=timezone.now() - timedelta(days=2))
    roll_up_new_activity()
    today = utc(timezone.now())
    by_day = dict(PracticeDay.objects.filter(practice=practice).values_list("day", "new_followers"))
    assert by_day == {today - timedelta(days=2): 1, today: 2}
    growth = queries.follower_growth(practice, today - timedelta(days=3), today)
    assert [(d.new_followers, d.followers) for d in growth] == [(0, 0), (1, 1), (0, 1), (2, 3)]


def test_queries_sum_the_rollups_by_topic_kind_and_channel(activity, practice):
    roll_up_new_activity()
    today = utc(timezone.now())
    start = today - timedelta(days=30)
    topics = {group.key: group for group in queries.totals_by_topic(practice, start, today)}
    medical = direct_counts()
    advice_reactions = sum(
        n
        for (post, _, column), n in medical.items()
        if post == activity["advice"].pk and column == "reactions"
    )
    assert advice_reactions == 2
    assert topics["medical"].totals.reactions == 2
    assert topics["medical"].totals.clicks == 4
    channels = {c.channel: c.reached for c in queries.totals_by_channel(practice, start, today)}
    assert channels == {"web": 4, "in_app": 4, "email": 4, "push": 0}
    kinds = {group.key for group in queries.totals_by_kind(practice, start, today)}
    assert {"poll", "quiz", "event", "contest", "announcement"} <= kinds
    total = queries.practice_totals(practice, start, today)
    assert total.votes == total.quiz_plays == total.rsvps == total.contest_entries == 4
    top = queries.top_posts(practice, start, today, limit=1)[0]
    assert top.totals.interactions == max(
        p.totals.interactions for p in queries.post_totals(practice, start, today)
    )


def test_a_practice_never_sees_another_practice_s_figures(activity, practice, other_practice):
    roll_up_new_activity()
    today = utc(timezone.now())
    start = today - timedelta(days=30)
    assert queries.post_totals(other_practice, start, today) == []
    assert queries.practice_totals(other_practice, start, today).interactions == 0
    assert all(c.reached == 0 for c in queries.totals_by_channel(other_practice, start, today))


def _many_rollups(practice, n: int) -> None:
    day = date(2026, 1, 5)
    posts = Post.objects.bulk_create(
        [
            Post(
                practice=practice,
                kind="announcement",
                topic=Topic.MEDICAL if i % 2 else Topic.NON_MEDICAL,
                status="published",
                published_at=timezone.now(),
                title=f"Post {i}",
                body="x",
                body_html="<p>x</p>",
            )
            for i in range(n)
        ]
    )
    PostDay.objects.bulk_create(
        [
            PostDay(
                practice=practice,
                post=post,
                day=day,
                kind=post.kind,
                topic=post.topic,
                views=9,
                reactions=2,
            )
            for post in posts
        ]
    )


@pytest.mark.parametrize(
    "reader",
    [
        "post_totals",
        "top_posts",
        "totals_by_topic",
        "totals_by_kind",
        "daily_totals",
        "totals_by_channel",
        "follower_growth",
    ],
)
def test_every_read_runs_a_fixed_number_of_queries(practice, other_practice, reader):
    counts = []
    for target, n in ((practice, 10), (other_practice, 110)):
        _many_rollups(target, n)
        with CaptureQueriesContext(connection) as captured:
            getattr(queries, reader)(target, date(2025, 6, 1), date(2026, 6, 1))
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 2
