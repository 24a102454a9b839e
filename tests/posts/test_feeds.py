from datetime import timedelta

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bedside.posts.models import Status, Visibility
from tests.factories.posts import PostFactory

pytestmark = pytest.mark.django_db


def fetch(client, practice):
    response = client.get(reverse("practice_feed_atom", args=[practice.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_the_atom_feed_holds_only_public_published_posts(client, practice, other_practice):
    public = PostFactory(
        practice=practice, title="Flu clinic on Saturday", body="Walk in, **no** booking."
    )
    PostFactory(practice=practice, title="For patients only", visibility=Visibility.PATIENTS)
    PostFactory(practice=practice, title="A draft", status=Status.DRAFT, published_at=None)
    PostFactory(practice=practice, title="Archived", status=Status.ARCHIVED, published_at=None)
    PostFactory(practice=other_practice, title="Another practice's news")
    feed = fetch(client, practice)
    assert feed.version == "atom10"
    assert feed.feed.title == practice.name
    assert [entry.title for entry in feed.entries] == ["Flu clinic on Saturday"]
    entry = feed.entries[0]
    assert entry.link == f"{settings.SITE_URL}{public.get_absolute_url()}"
    assert "<strong>no</strong>" in entry.summary
    assert {tag.term for tag in entry.tags} == {"Announcement", "Non-medical"}


def test_the_atom_feed_links_are_absolute_from_the_site_url(client, practice):
    PostFactory(practice=practice)
    feed = fetch(client, practice)
    assert feed.feed.link == f"{settings.SITE_URL}/p/{practice.slug}/"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{settings.SITE_URL}/p/{practice.slug}/feed.atom"]
    assert all(entry.id.startswith(settings.SITE_URL) for entry in feed.entries)


def test_the_atom_feed_holds_the_50_newest(client, practice):
    now = timezone.now()
    posts = [
        PostFactory(practice=practice, published_at=now - timedelta(minutes=i)) for i in range(55)
    ]
    feed = fetch(client, practice)
    assert [entry.title for entry in feed.entries] == [post.title for post in posts[:50]]


def test_an_unknown_practice_has_no_feed(client):
    assert client.get(reverse("practice_feed_atom", args=["nobody"])).status_code == 404
