"""The demo carries months of readership, rolled up, for the dashboard to talk about."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from bedside.analytics import queries
from bedside.analytics.models import LinkClick, PostDay, PostView, PracticeDay
from bedside.demo import riverside
from bedside.demo.seeding import seed_demo
from bedside.posts.models import Comment, Post, Reaction, Topic
from bedside.practices.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverside_practice() -> Practice:
    seed_demo()
    return Practice.objects.get(slug=riverside.SLUG)


def test_the_demo_has_months_of_rolled_up_activity(riverside_practice):
    days = PostDay.objects.filter(practice=riverside_practice).values_list("day", flat=True)
    assert max(days) - min(days) >= timedelta(days=90)
    assert PracticeDay.objects.filter(practice=riverside_practice).count() >= 60


def test_the_demo_rollups_equal_its_raw_events(riverside_practice):
    rows = PostDay.objects.filter(practice=riverside_practice).aggregate(
        views=Sum("views"),
        reactions=Sum("reactions"),
        comments=Sum("comments"),
        clicks=Sum("clicks"),
    )
    mine = {"post__practice": riverside_practice}
    assert rows == {
        "views": PostView.objects.filter(**mine).count(),
        "reactions": Reaction.objects.filter(**mine).count(),
        "comments": Comment.objects.filter(**mine).count(),
        "clicks": LinkClick.objects.filter(**mine).count(),
    }
    assert rows["views"] > 1000


def test_both_topics_have_enough_readers_to_compare(riverside_practice):
    today = timezone.now().date()
    topics = {
        g.key: g.totals
        for g in queries.totals_by_topic(riverside_practice, today - timedelta(days=200), today)
    }
    assert set(topics) == {Topic.MEDICAL, Topic.NON_MEDICAL}
    assert all(t.views >= 200 and t.reactions >= 10 for t in topics.values())


def test_the_post_counters_match_the_reactions_and_comments_added(riverside_practice):
    for post in Post.objects.filter(practice=riverside_practice):
        assert post.reaction_count == Reaction.objects.filter(post=post).count()
        assert post.comment_count == Comment.objects.filter(post=post, is_hidden=False).count()


def test_follower_growth_rises_over_the_months(riverside_practice):
    today = timezone.now().date()
    growth = queries.follower_growth(riverside_practice, today - timedelta(days=150), today)
    assert growth[-1].followers - growth[0].followers >= 200
    assert sum(day.new_followers for day in growth) >= 200
