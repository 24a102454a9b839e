"""Template helpers for the reaction bar, which templates cannot work out alone."""

from dataclasses import dataclass

from django import template

from bedside.posts import queries
from bedside.posts.models import Post, ReactionKind
from bedside.practices.models import StaffProfile

register = template.Library()


@dataclass(frozen=True)
class ReactionButton:
    kind: str
    label: str
    is_pressed: bool
    count: int | None


@register.simple_tag
def reaction_buttons(post: Post, counts: dict[str, int] | None = None) -> list[ReactionButton]:
    """One button per kind: pressed if the viewer gave it; counted when ``counts`` is known."""
    given: set[str] = getattr(post, "viewer_reaction_kinds", set())
    return [
        ReactionButton(
            kind=kind,
            label=label,
            is_pressed=kind in given,
            count=None if counts is None else counts.get(kind, 0),
        )
        for kind, label in ReactionKind.choices
    ]


@register.simple_tag(takes_context=True)
def spotlight_posts(context: template.Context, profile: StaffProfile) -> list[Post]:
    """Posts about a team member, for the profile page the practices app renders.

    A template tag keeps the layering: practices' templates may show posts without the
    practices app importing the posts app.
    """
    return queries.spotlight_posts(profile, context["request"].user)
