"""Fixed-window counters in the cache: posting and reporting slow down floods and bots.

The pages count each try before calling the service (as the poll pages do), so the demo
and other callers of the services are not throttled.

The same scheme as the engagement pillar's (siblings never import one another): the first
hit creates the counter with ``cache.add``, the next ones ``incr`` it.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

from bedside.core.errors import Conflict


class RateLimited(Conflict):
    """Too many tries in the window: the page says so and asks to wait (429)."""

    status = 429


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


POSTING = Limit(count=10, seconds=600)
REPORTING = Limit(count=10, seconds=3600)


def consume(*, scope: str, who: int, limit: Limit) -> None:
    """Count one try for ``who`` in ``scope``; raise ``RateLimited`` past ``limit``."""
    window = int(time.time() // limit.seconds)
    key = f"bedside:rate:community:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=limit.seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=limit.seconds * 2)
        count = 1
    if count > limit.count:
        raise RateLimited("You are posting a little fast. Please wait a few minutes and try again.")
