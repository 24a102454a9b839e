import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bedside.posts.models import Kind, Status, Topic, Visibility
from tests.factories.posts import PostFactory, PostImageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FORMATS = [("atom", "atom10", "application/atom+xml"), ("rss", "rss20", "application/rss+xml")]


def fetch(client, practice, fmt="atom", pillar=None):
    if pillar is None:
        url = reverse(f"practice_feed_{fmt}", args=[practice.slug])
    else:
        url = reverse(f"pillar_feed_{fmt}", args=[practice.slug, pillar])
    response = client.get(url)
    assert response.status_code == 200
    mime = {f: m for f, _, m in FORMATS}[fmt]
    assert response["Content-Type"].startswith(mime)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    parsed["raw"] = response.content
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


@pytest.mark.parametrize(("fmt", "version", "mime"), FORMATS)
def test_both_formats_leave_out_patients_only_posts_and_drafts(
    client, practice, other_practice, fmt, version, mime
):
    PostFactory(practice=practice, title="Open to all")
    PostFactory(practice=practice, title="For patients only", visibility=Visibility.PATIENTS)
    PostFactory(practice=practice, title="A draft", status=Status.DRAFT, published_at=None)
    PostFactory(practice=other_practice, title="Another practice's news")
    feed = fetch(client, practice, fmt)
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == ["Open to all"]
    assert b"For patients only" not in feed.raw


def test_the_rss_feed_follows_the_validators_rules(client, practice):
    now = timezone.now()
    posts = [
        PostFactory(practice=practice, published_at=now - timedelta(hours=i)) for i in range(3)
    ]
    feed = fetch(client, practice, "rss")
    channel = ET.fromstring(feed.raw).find("channel")  # noqa: S314 (our own output)
    assert channel is not None
    assert channel.findtext("link") == f"{settings.SITE_URL}/p/{practice.slug}/"
    assert channel.findtext("description")
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None and self_link.get("rel") == "self"
    assert self_link.get("href") == f"{settings.SITE_URL}/p/{practice.slug}/feed.rss"
    items = channel.findall("item")
    guids = [item.find("guid") for item in items]
    assert len({guid.text for guid in guids}) == len(posts)
    assert all(guid.get("isPermaLink") == "true" for guid in guids)
    for item, post in zip(items, posts, strict=True):
        assert item.findtext("link") == f"{settings.SITE_URL}{post.get_absolute_url()}"
        date = item.findtext("pubDate")
        assert re.fullmatch(
            r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}", date
        )
        assert parsedate_to_datetime(date) == post.published_at.replace(microsecond=0)


def test_the_atom_feed_links_are_absolute_from_the_site_url(client, practice):
    PostFactory(practice=practice)
    feed = fetch(client, practice)
    assert feed.feed.link == f"{settings.SITE_URL}/p/{practice.slug}/"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{settings.SITE_URL}/p/{practice.slug}/feed.atom"]
    assert all(entry.id.startswith(settings.SITE_URL) for entry in feed.entries)


def test_atom_ids_are_unique_and_entries_carry_updated_dates(client, practice):
    for _ in range(4):
        PostFactory(practice=practice)
    root = ET.fromstring(fetch(client, practice).raw)  # noqa: S314 (our own output)
    ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(entry.find(f"{ATOM}updated") is not None for entry in root.findall(f"{ATOM}entry"))
    assert root.findtext(f"{ATOM}updated")


def test_summaries_are_the_sanitized_body(client, practice):
    PostFactory(practice=practice, body="Hello <script>alert(1)</script> **world**")
    for fmt, _, _ in FORMATS:
        feed = fetch(client, practice, fmt)
        assert "<strong>world</strong>" in feed.entries[0].summary
        assert b"<script" not in feed.raw and b"&lt;script" not in feed.raw


@pytest.mark.parametrize(("fmt", "version", "mime"), FORMATS)
def test_the_first_image_is_the_enclosure(client, practice, fmt, version, mime):
    post = PostFactory(practice=practice)
    first = PostImageFactory(post=post, position=0)
    PostImageFactory(post=post, position=1)
    entry = fetch(client, practice, fmt).entries[0]
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert len(enclosures) == 1
    assert enclosures[0].href == f"{settings.SITE_URL}{first.image.url}"
    assert enclosures[0].type == "image/jpeg"
    assert int(enclosures[0].length) == len(first.image.read()) > 0


@pytest.mark.parametrize(("fmt", "version", "mime"), FORMATS)
def test_a_pillar_feed_holds_only_that_pillars_public_posts(client, practice, fmt, version, mime):
    PostFactory(practice=practice, kind=Kind.ARTICLE, topic=Topic.MEDICAL, title="Sleep and you")
    PostFactory(practice=practice, kind=Kind.ANSWER, topic=Topic.MEDICAL, title="Is flu shot safe?")
    PostFactory(
        practice=practice, kind=Kind.ARTICLE, title="Members' guide", visibility=Visibility.PATIENTS
    )
    PostFactory(practice=practice, kind=Kind.TEAM, title="Meet Dr. Ada")
    PostFactory(practice=practice, kind=Kind.ANNOUNCEMENT, title="New hours")
    feed = fetch(client, practice, fmt, pillar="trusted-source")
    assert feed.version == version
    assert feed.feed.title == f"{practice.name}: Trusted source"
    assert sorted(entry.title for entry in feed.entries) == ["Is flu shot safe?", "Sleep and you"]
    people = fetch(client, practice, fmt, pillar="people")
    assert [entry.title for entry in people.entries] == ["Meet Dr. Ada"]


def test_a_pillar_feed_links_itself(client, practice):
    feed = fetch(client, practice, "atom", pillar="involvement")
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{settings.SITE_URL}/p/{practice.slug}/feeds/involvement.atom"]


@pytest.mark.parametrize("pillar", ["support", "nothing", "trusted_source"])
def test_pillars_without_public_posts_or_unknown_have_no_feed(client, practice, pillar):
    url = reverse("pillar_feed_rss", args=[practice.slug, pillar])
    assert client.get(url).status_code == 404


def test_the_atom_feed_holds_the_50_newest(client, practice):
    now = timezone.now()
    posts = [
        PostFactory(practice=practice, published_at=now - timedelta(minutes=i)) for i in range(55)
    ]
    feed = fetch(client, practice)
    assert [entry.title for entry in feed.entries] == [post.title for post in posts[:50]]


def test_an_unknown_practice_has_no_feed(client):
    assert client.get(reverse("practice_feed_atom", args=["nobody"])).status_code == 404
    assert client.get(reverse("practice_feed_rss", args=["nobody"])).status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["practice_feed_rss", "practice_feed_atom"])
def test_a_feed_costs_the_same_queries_for_3_or_30_posts(client, practice, name):
    url = reverse(name, args=[practice.slug])
    for _ in range(3):
        PostImageFactory(post=PostFactory(practice=practice))
    count_queries(client, url)  # the first request of a test also fills per-process caches
    few = count_queries(client, url)
    for _ in range(27):
        PostImageFactory(post=PostFactory(practice=practice))
    assert count_queries(client, url) == few <= 4


def test_the_practice_page_offers_every_feed_to_readers(client, practice):
    html = client.get(reverse("practice_home", args=[practice.slug])).content.decode()
    for fmt, mime in (("atom", "application/atom+xml"), ("rss", "application/rss+xml")):
        assert f'type="{mime}"' in html
        assert f'href="/p/{practice.slug}/feed.{fmt}"' in html
        for pillar in ("trusted-source", "people", "involvement", "spread-the-word"):
            assert f'href="/p/{practice.slug}/feeds/{pillar}.{fmt}"' in html
    assert "/feeds/support." not in html


def test_a_pillar_page_offers_its_pillars_feeds(client, practice):
    html = client.get(reverse("practice_team", args=[practice.slug])).content.decode()
    assert (
        f'<link rel="alternate" type="application/rss+xml" '
        f'title="{practice.name}: The people behind the practice (RSS)" '
        f'href="/p/{practice.slug}/feeds/people.rss">'
    ) in html
    assert "/feeds/involvement." not in html


def test_a_post_page_offers_its_pillars_feed(client, practice):
    post = PostFactory(practice=practice, kind=Kind.TEAM)
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'href="/p/{practice.slug}/feeds/people.atom"' in html
    assert "/feeds/spread-the-word." not in html
