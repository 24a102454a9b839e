"""Markdown from staff and patients, rendered and then sanitized with nh3.

The renderer refuses raw HTML, and nh3 (ammonia) is the guarantee: whatever the
renderer emits, only an allow-list of tags and attributes reaches a page.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table")


def render_markdown(text: str) -> str:
    """Safe HTML for ``text``; links open with rel="nofollow noopener" ."""
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(text: str, limit: int = 200) -> str:
    """Markdown reduced to plain text, e.g. for summaries and OpenGraph descriptions."""
    stripped = nh3.clean(_markdown.render(text), tags=set()).strip()
    stripped = " ".join(stripped.split())
    return stripped if len(stripped) <= limit else stripped[: limit - 1].rstrip() + "…"
