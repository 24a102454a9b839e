"""``{% compliance_panel post user %}``: the identifier guard's panel on a post's edit page.

It shows what the guard found (highlighted in place), the authorizations the post relies
on, a form to attach another, and, for roles that may, the override form. Its forms post to
the compliance views, which come back to the edit page.
"""

from typing import Any

from django import template

from bedside.compliance.queries import panel_for
from bedside.posts.models import Post
from bedside.practices.permissions import Action, can

register = template.Library()


@register.inclusion_tag("compliance/_panel.html", takes_context=True)
def compliance_panel(context: template.Context, post: Post, user: Any) -> dict[str, Any]:
    may_manage = can(user, Action.MANAGE_AUTHORIZATIONS, post)
    return {
        "post": post,
        "practice": post.practice,
        "panel": panel_for(post),
        "may_manage": may_manage,
        "may_override": can(user, Action.OVERRIDE_IDENTIFIERS, post),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
