from typing import Any

from django import template

from bedside.posts.models import Post, Visibility
from bedside.syndication.queries import has_channels, previews_for

register = template.Library()


@register.inclusion_tag("syndication/_previews.html")
def syndication_previews(post: Post) -> dict[str, Any]:
    """Each connected network's version of ``post`` and what would stop it, before publishing."""
    private = post.visibility != Visibility.PUBLIC
    previews = previews_for(post) if post.pk and not private else []
    return {"post": post, "previews": previews, "private": private and has_channels(post)}
