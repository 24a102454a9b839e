"""A practice's public posts as open feeds: RSS 2.0 and Atom, for the practice and per pillar.

Only published posts visible to everyone go out; a patients-only post never does. Links,
GUIDs and enclosures are absolute from ``SITE_URL`` (feed readers fetch from elsewhere), and
the GUID is the post's canonical page, which never changes once published. A feed costs the
same few queries whatever it holds: the practice, the posts, their images.
"""

import mimetypes
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed

from bedside.posts.models import PILLAR_OF_KIND, Pillar, Post, PostImage
from bedside.posts.queries import feed_entries
from bedside.posts.views import absolute
from bedside.practices.models import Practice
from bedside.practices.permissions import access_practice


def pillar_slug(pillar: Pillar) -> str:
    """The pillar as it reads in a URL: ``trusted-source``."""
    return pillar.value.replace("_", "-")


def kinds_of(pillar: Pillar) -> list[str]:
    return [kind for kind, of in PILLAR_OF_KIND.items() if of == pillar]


# Pillars whose posts can be public. Support groups are patients-only by design, so they
# have no open feed at all rather than one that is always empty.
FEED_PILLARS: tuple[Pillar, ...] = tuple(pillar for pillar in Pillar if kinds_of(pillar))
PILLAR_OF_SLUG = {pillar_slug(pillar): pillar for pillar in FEED_PILLARS}


@dataclass(frozen=True)
class FeedScope:
    practice: Practice
    pillar: Pillar | None = None


class PracticeFeed(Feed[Post, FeedScope]):
    """What the RSS and Atom feeds share; the subclasses name the format and the URL."""

    feed_type: type[SyndicationFeed] = Atom1Feed
    url_name = "practice_feed_atom"
    pillar_url_name = "pillar_feed_atom"

    def get_object(self, request: HttpRequest, slug: str, pillar: str | None = None) -> FeedScope:
        practice = access_practice(slug)
        if pillar is None:
            return FeedScope(practice)
        if pillar not in PILLAR_OF_SLUG:
            raise Http404("No such feed.")
        return FeedScope(practice, PILLAR_OF_SLUG[pillar])

    def title(self, scope: FeedScope) -> str:
        if scope.pillar is None:
            return scope.practice.name
        return f"{scope.practice.name}: {scope.pillar.label}"

    def description(self, scope: FeedScope) -> str:
        return scope.practice.tagline or f"News from {scope.practice.name}"

    def subtitle(self, scope: FeedScope) -> str:
        return self.description(scope)

    def link(self, scope: FeedScope) -> str:
        return absolute(scope.practice.get_absolute_url())

    def feed_url(self, scope: FeedScope) -> str:
        slug = scope.practice.slug
        if scope.pillar is None:
            return absolute(reverse(self.url_name, kwargs={"slug": slug}))
        kwargs = {"slug": slug, "pillar": pillar_slug(scope.pillar)}
        return absolute(reverse(self.pillar_url_name, kwargs=kwargs))

    def items(self, scope: FeedScope) -> list[Post]:
        kinds = None if scope.pillar is None else kinds_of(scope.pillar)
        return feed_entries(scope.practice, kinds=kinds)

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        # Sanitized by the service that wrote ``body`` (bedside/core/sanitizer.py).
        return post.body_html

    def item_link(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def item_guid(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def item_guid_is_permalink(self, post: Post) -> bool:
        return True

    def item_pubdate(self, post: Post) -> datetime | None:
        return post.published_at

    def item_updateddate(self, post: Post) -> datetime:
        return post.updated_at

    def item_author_name(self, post: Post) -> str:
        return post.practice.name

    def item_categories(self, post: Post) -> list[str]:
        return [post.get_kind_display(), post.get_topic_display()]

    def item_enclosures(self, post: Post) -> list[Enclosure]:
        images: list[PostImage] = list(post.images.all())  # prefetched by feed_entries
        return [enclosure(images[0])] if images else []


def enclosure(image: PostImage) -> Enclosure:
    """The first picture of a post, as RSS and Atom carry it."""
    mime_type = mimetypes.guess_type(image.image.name or "")[0] or "image/jpeg"
    return Enclosure(absolute(image.image.url), str(stored_size(image)), mime_type)


def stored_size(image: PostImage) -> int:
    """The file's byte size; 0 when storage cannot say, as the RSS Advisory Board advises."""
    try:
        return int(image.image.size)
    except (OSError, ValueError):
        return 0


class PracticeAtomFeed(PracticeFeed):
    feed_type = Atom1Feed
    url_name = "practice_feed_atom"
    pillar_url_name = "pillar_feed_atom"


class PracticeRssFeed(PracticeFeed):
    feed_type = Rss201rev2Feed
    url_name = "practice_feed_rss"
    pillar_url_name = "pillar_feed_rss"
