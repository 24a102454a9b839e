"""A practice's public posts as an Atom feed, with absolute links from ``SITE_URL``."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from bedside.posts.models import Post
from bedside.posts.queries import atom_entries
from bedside.posts.views import absolute
from bedside.practices.models import Practice
from bedside.practices.permissions import access_practice


class PracticeAtomFeed(Feed[Post, Practice]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Practice:
        return access_practice(slug)

    def title(self, practice: Practice) -> str:
        return practice.name

    def subtitle(self, practice: Practice) -> str:
        return practice.tagline or f"News from {practice.name}"

    def link(self, practice: Practice) -> str:
        return absolute(practice.get_absolute_url())

    def feed_url(self, practice: Practice) -> str:
        return absolute(reverse("practice_feed_atom", kwargs={"slug": practice.slug}))

    def items(self, practice: Practice) -> list[Post]:
        return atom_entries(practice)

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        return post.body_html

    def item_link(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def item_guid(self, post: Post) -> str:
        return absolute(post.get_absolute_url())

    def item_pubdate(self, post: Post) -> datetime | None:
        return post.published_at

    def item_updateddate(self, post: Post) -> datetime:
        return post.updated_at

    def item_author_name(self, post: Post) -> str:
        return post.practice.name

    def item_categories(self, post: Post) -> list[str]:
        return [post.get_kind_display(), post.get_topic_display()]
