"""Posting slows down floods: past the limit a person gets a friendly 429 page, others don't.

The test settings switch these limits off so that other tests may post freely; here the
production values (or small ones, to keep the tests quick) are switched back on over a
fresh cache.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from bedside import settings as bedside_settings
from bedside.posts.models import Comment
from bedside.practices.models import Role
from tests.factories import PostFactory, PracticeFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def production_limits(settings):
    settings.POSTING_RATE_LIMITS = bedside_settings.POSTING_RATE_LIMITS
    return {name: int(value.split("/")[0]) for name, value in settings.POSTING_RATE_LIMITS.items()}


def comment(client, post, body="Thank you!"):
    url = reverse("post_comment", kwargs={"slug": post.practice.slug, "post_id": post.pk})
    return client.post(url, {"body": body})


def test_production_limits_comments_and_the_composer():
    assert set(bedside_settings.POSTING_RATE_LIMITS) == {"post_comment", "studio_compose"}


def test_a_patient_posting_comments_too_fast_is_asked_to_wait(client, production_limits):
    post = PostFactory()
    client.force_login(member(post.practice, Role.PATIENT))
    allowed = production_limits["post_comment"]
    for _ in range(allowed):
        assert comment(client, post).status_code == 302

    response = comment(client, post)

    assert response.status_code == 429
    assert "A little too fast" in response.content.decode()
    assert "wait a few minutes" in response.content.decode()
    assert Comment.objects.filter(post=post).count() == allowed


def test_one_patient_s_flood_does_not_slow_another(client, production_limits):
    post = PostFactory()
    client.force_login(member(post.practice, Role.PATIENT))
    for _ in range(production_limits["post_comment"] + 1):
        comment(client, post)

    client.force_login(member(post.practice, Role.PATIENT))

    assert comment(client, post).status_code == 302


def test_reading_is_never_counted(client, settings):
    settings.POSTING_RATE_LIMITS = {"post_detail": "1/600", "post_comment": "1/600"}
    post = PostFactory()
    client.force_login(member(post.practice, Role.PATIENT))

    for _ in range(3):
        assert client.get(post.get_absolute_url()).status_code == 200
    assert comment(client, post).status_code == 302


def test_a_visitor_is_sent_to_sign_in_not_counted(client, settings):
    settings.POSTING_RATE_LIMITS = {"post_comment": "1/600"}
    post = PostFactory()

    for _ in range(3):
        response = comment(client, post)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_staff_creating_posts_too_fast_are_asked_to_wait(client, settings):
    settings.POSTING_RATE_LIMITS = {"studio_compose": "2/3600"}
    practice = PracticeFactory()
    client.force_login(member(practice, Role.EDITOR))
    compose = reverse("studio_compose", kwargs={"slug": practice.slug})
    draft = {"kind": "announcement", "topic": "non_medical", "title": "Hello", "body": "Hi"}
    for _ in range(2):
        assert client.post(compose, draft).status_code != 429

    response = client.post(compose, draft)

    assert response.status_code == 429
    assert client.get(compose).status_code == 200
