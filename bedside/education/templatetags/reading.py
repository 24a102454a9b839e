"""``{% related_reading post %}``: articles and answers to read next, on any post's page.

Load with ``{% load reading %}``; the tag needs the request in the context (the viewer
decides which posts may be shown).
"""

from typing import Any

from django import template

from bedside.education.search import RELATED_LIMIT
from bedside.education.search import related_reading as related_posts
from bedside.posts.models import Post

register = template.Library()


@register.inclusion_tag("education/search/_related_reading.html", takes_context=True)
def related_reading(
    context: template.Context, post: Post, limit: int = RELATED_LIMIT
) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or not isinstance(post, Post):
        return {"related": []}
    return {"related": related_posts(post, viewer, limit=limit)}
