"""Feed autodiscovery: the ``<link rel="alternate">`` tags a page's head offers readers."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from bedside.posts.feeds import FEED_PILLARS, pillar_slug
from bedside.posts.models import Pillar
from bedside.practices.models import Practice

register = template.Library()

FORMATS = (("atom", "application/atom+xml", "Atom"), ("rss", "application/rss+xml", "RSS"))


@dataclass(frozen=True)
class FeedLink:
    mime_type: str
    title: str
    href: str


@register.inclusion_tag("posts/_feed_links.html")
def feed_links(practice: Practice, pillar: str = "") -> dict[str, list[FeedLink]]:
    """The practice's feeds, then ``pillar``'s; on a page of no one pillar, every pillar's."""
    slug = practice.slug
    links = [
        FeedLink(
            mime,
            _title(f"{practice.name}: posts", fmt),
            reverse(f"practice_feed_{fmt}", args=[slug]),
        )
        for fmt, mime, _ in FORMATS
    ]
    pillars = [Pillar(pillar)] if pillar in Pillar.values else list(FEED_PILLARS)
    for each in pillars:
        if each not in FEED_PILLARS:
            continue
        for fmt, mime, _ in FORMATS:
            href = reverse(f"pillar_feed_{fmt}", args=[slug, pillar_slug(each)])
            links.append(FeedLink(mime, _title(f"{practice.name}: {each.label}", fmt), href))
    return {"links": links}


def _title(title: str, fmt: str) -> str:
    # The Atom link keeps the bare title readers have already subscribed under.
    return title if fmt == "atom" else f"{title} (RSS)"
