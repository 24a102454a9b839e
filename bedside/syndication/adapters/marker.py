"""The lookup marker for networks without an idempotency key: the post's link, marked.

Facebook, Instagram, X and LinkedIn take no idempotency header, so a retry after a timeout
cannot ask the network "did my first try land?" by key. Instead every copy carries the
post's address with ``?s=<marker>``, a short form of the delivery's key; ``find_existing``
reads the account's newest posts and looks for it. Bedside's pages ignore the parameter.
"""

import hashlib
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bedside.syndication.adapters.base import Outgoing, Problem
from bedside.syndication.compose import Fitted, fit

PARAMETER = "s"
MARKER_LENGTH = 13


def marker(key: str) -> str:
    """13 characters: the delivery key itself (a TID), else a digest of it.

    The same length whatever the key, so the composer's preview (made with a stand-in key)
    measures exactly what the delivery will send.
    """
    if len(key) == MARKER_LENGTH and key.isalnum():
        return key
    return hashlib.sha256(key.encode()).hexdigest()[:MARKER_LENGTH]


def marked_url(url: str, key: str) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != PARAMETER]
    query.append((PARAMETER, marker(key)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def carries(text: str, key: str) -> bool:
    """Whether ``text`` (a caption, an expanded link) holds this delivery's marker."""
    return f"{PARAMETER}={marker(key)}" in text


def warning_head(post: Outgoing) -> str:
    """Networks without content warnings get the warning at the head of the text."""
    return f"Content warning: {post.content_warning}" if post.content_warning else ""


def fit_marked(
    post: Outgoing, *, limit: int, measure: Callable[[str], int], link_words: str = ""
) -> Fitted:
    """The post's text fitted to ``limit``, ending with its marked link (``find_existing``
    looks for that link, so every network that relies on it must send it whole)."""
    return fit(
        head=warning_head(post),
        title=post.title,
        body=post.text,
        url=f"{link_words}{marked_url(post.url, post.key)}",
        limit=limit,
        measure=measure,
    )


VIDEO_STAYS = Problem("The video stays on Bedside; the post links to it.", blocking=False)
