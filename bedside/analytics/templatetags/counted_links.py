"""``{{ post.body_html|counted_links:post.pk }}``: links in a post's sanitized HTML go through
the counted redirect, so staff see which sources patients open (nothing else changes)."""

import html
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bedside.analytics.links import click_url

register = template.Library()

# The sanitizer writes every attribute double-quoted; only web links are counted.
HREF = re.compile(r'(<a\s[^>]*?href=")(https?://[^"]+)(")', re.IGNORECASE)


@register.filter
def counted_links(sanitized_html: str, post_id: int) -> SafeString:
    """Point each web link of already-sanitized HTML at the counted redirect."""

    def replace(match: re.Match[str]) -> str:
        destination = html.unescape(match.group(2))
        return (
            f"{match.group(1)}{escape(click_url(post_id=post_id, url=destination))}{match.group(3)}"
        )

    return mark_safe(HREF.sub(replace, sanitized_html))  # noqa: S308 - input is sanitized HTML
