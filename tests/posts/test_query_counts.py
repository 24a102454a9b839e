"""Pages that list posts run the same number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.posts.models import ReactionKind
from bedside.posts.services import add_comment, react
from bedside.practices.models import Role
from tests.factories.posts import PostFactory, PostImageFactory
from tests.factories.practices import (
    MembershipFactory,
    PracticeFactory,
    StaffProfileFactory,
    member,
)

pytestmark = pytest.mark.django_db


def build_practice(size: int):
    """A practice with ``size`` posts, each with images, reactions and comments."""
    practice = PracticeFactory()
    patient = member(practice)
    neighbours = [member(practice) for _ in range(2)]
    profile = StaffProfileFactory(practice=practice)
    posts = PostFactory.create_batch(size, practice=practice, kind="team", spotlight=profile)
    posts[0].is_pinned = True
    posts[0].save()
    for index, post in enumerate(posts):
        PostImageFactory.create_batch(1 + index % 3, post=post)
        react(user=patient, post=post, kind=ReactionKind.LIKE)
        react(user=neighbours[index % 2], post=post, kind=ReactionKind.HEART)
    detail = posts[-1]
    for index in range(size):
        add_comment(user=[patient, *neighbours][index % 3], post=detail, body=f"Comment {index}")
    return practice, patient, detail


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "page", ["practice_home", "practice_home_anonymous", "home", "post_detail", "studio_posts"]
)
def test_a_page_runs_the_same_queries_with_10_and_200_posts(client, page):
    counts = []
    for size in (10, 200):
        practice, patient, detail = build_practice(size)
        # A second practice followed: the home feed spans both.
        MembershipFactory(user=patient, practice=build_practice(3)[0])
        url = {
            "practice_home": reverse("practice_home", args=[practice.slug]),
            "practice_home_anonymous": reverse("practice_home", args=[practice.slug]),
            "home": reverse("home"),
            "post_detail": reverse("post_detail", args=[practice.slug, detail.pk]),
            "studio_posts": reverse("studio_posts", args=[practice.slug]),
        }[page]
        client.logout()
        if page == "studio_posts":
            client.force_login(member(practice, Role.EDITOR))
        elif page != "practice_home_anonymous":
            client.force_login(patient)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]
