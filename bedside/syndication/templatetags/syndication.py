from typing import Any

from django import template

from bedside.posts.models import Post
from bedside.syndication.queries import previews_for

register = template.Library()


@register.inclusion_tag("syndication/_previews.html")
def syndication_previews(post: Post) -> dict[str, Any]:
    """Each connected network's version of ``post`` and what would stop it, before publishing."""
    return {"post": post, "previews": previews_for(post) if post.pk else []}
