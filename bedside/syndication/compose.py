"""Fitting a post into a network's length: the title, as much of the body as fits, the link.

Networks are a way in, not the home: a post longer than the network allows goes out as its
title and the start of its body, cut at a word, followed by the link to the whole post on
Bedside. Only when even the warning, the title and the link do not fit is that a problem the
composer must show before publishing.
"""

from collections.abc import Callable
from dataclasses import dataclass

ELLIPSIS = "…"


@dataclass(frozen=True)
class Fitted:
    text: str
    length: int
    shortened: bool
    fits: bool


def fit(
    *,
    head: str,
    title: str,
    body: str,
    url: str,
    limit: int,
    measure: Callable[[str], int],
) -> Fitted:
    """``head`` (a content-warning prefix) + title + body + url within ``limit`` by ``measure``."""
    head = f"{head}\n\n" if head else ""
    tail = f"\n\n{url}" if url else ""
    full = f"{head}{title}\n\n{body}{tail}" if body else f"{head}{title}{tail}"
    length = measure(full)
    if length <= limit:
        return Fitted(full, length, shortened=False, fits=True)
    essentials = f"{head}{title}{tail}"
    if measure(essentials) > limit:
        return Fitted(full, length, shortened=False, fits=False)
    words = body.split()
    low, high = 0, len(words)
    # The longest prefix of the body's words that fits: binary search, the measure is monotone.
    while low < high:
        middle = (low + high + 1) // 2
        candidate = f"{head}{title}\n\n{' '.join(words[:middle])}{ELLIPSIS}{tail}"
        if measure(candidate) <= limit:
            low = middle
        else:
            high = middle - 1
    text = f"{head}{title}\n\n{' '.join(words[:low])}{ELLIPSIS}{tail}" if low else essentials
    return Fitted(text, measure(text), shortened=True, fits=True)
