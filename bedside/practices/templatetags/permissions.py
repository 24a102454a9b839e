"""``{% may "action" obj as flag %}``: templates ask the same kernel as views."""

from typing import Any

from django import template

from bedside.practices.permissions import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, obj: Any) -> bool:
    return can(context["request"].user, Action(action), obj)
