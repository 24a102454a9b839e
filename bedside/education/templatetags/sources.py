"""``{{ reply.body_html|label_unreviewed_links:practice }}``: says "not reviewed by our
clinicians" after each link outside the practice's trusted sources.

Load with ``{% load sources %}``. The argument is a practice (its trusted list is read once
and kept on the practice object, so a page of replies costs one query) or a list of domains.
Text that is not already marked safe is escaped first, so the filter never lets markup in.
"""

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from bedside.education.services import trusted_domains
from bedside.practices.models import Practice
from bedside.screening.links import label_unreviewed

register = template.Library()

_CACHE_ATTRIBUTE = "_trusted_domains_cache"


def _domains_of(trusted: Practice | Iterable[str] | None) -> list[str]:
    if trusted is None:
        return []
    if isinstance(trusted, Practice):
        cached: list[str] | None = getattr(trusted, _CACHE_ATTRIBUTE, None)
        if cached is None:
            cached = trusted_domains(trusted)
            setattr(trusted, _CACHE_ATTRIBUTE, cached)
        return cached
    if isinstance(trusted, str):
        return [trusted]
    return [str(domain) for domain in trusted]


@register.filter
def label_unreviewed_links(value: object, trusted: Practice | Iterable[str] | None) -> SafeString:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    html = str(conditional_escape(text))
    return mark_safe(label_unreviewed(html, _domains_of(trusted)))  # noqa: S308 - escaped above
