"""A fixed-window counter in the cache, per patient: votes and quiz answers slow down bots.

The window is the current minute (``time // seconds``); the first hit creates the counter
with ``cache.add``, the next ones ``incr`` it, so concurrent requests never lose a count
on Redis. A request over the limit is refused with ``RateLimited`` (429).
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

from bedside.core.errors import Conflict


class RateLimited(Conflict):
    """Too many tries in the window: the page says so and asks to wait."""

    status = 429


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def consume(*, scope: str, who: int, limit: Limit) -> None:
    """Count one try for ``who`` in ``scope``; raise ``RateLimited`` past ``limit``."""
    window = int(time.time() // limit.seconds)
    key = f"bedside:rate:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=limit.seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=limit.seconds * 2)
        count = 1
    if count > limit.count:
        raise RateLimited("You are going a little fast. Please wait a minute and try again.")
