"""Template tags of notify, for pages of higher layers (the studio's post edit page)."""

from django import template

from bedside.notify.models import Broadcast
from bedside.posts.models import Post

register = template.Library()


@register.simple_tag
def broadcast_for(post: Post) -> Broadcast | None:
    """The post's broadcast, if it has started: one query."""
    return Broadcast.objects.filter(post=post).first()
