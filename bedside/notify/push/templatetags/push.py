from django import template
from django.conf import settings

from bedside.notify.push.keys import is_push_configured

register = template.Library()


@register.simple_tag
def vapid_public_key() -> str:
    """The key browsers subscribe with, or "" while push is not set up."""
    return settings.VAPID_PUBLIC_KEY.strip() if is_push_configured() else ""
