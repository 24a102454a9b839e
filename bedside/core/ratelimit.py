"""Fixed-window counters in the cache, for any app that must slow down floods and bots.

The window is ``time // seconds``; the first hit creates the counter with ``cache.add``, the
next ones ``incr`` it, so concurrent requests never lose a count on Redis. A try over the
limit raises ``RateLimited``, a ``Conflict`` with status 429 that ``DomainErrorMiddleware``
turns into the friendly error page.

The community and engagement pillars wrap it with their own scopes and wording
(``bedside/community/ratelimit.py``, ``bedside/engagement/ratelimit.py``).
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


SLOW_DOWN = "You are going a little fast. Please wait a few minutes and try again."


def consume(*, scope: str, who: int | str, limit: Limit, message: str = SLOW_DOWN) -> None:
    """Count one try for ``who`` in ``scope``; raise ``RateLimited`` past ``limit``."""
    window = int(time.time() // limit.seconds)
    key = f"bedside:rate:core:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=limit.seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=limit.seconds * 2)
        count = 1
    if count > limit.count:
        raise RateLimited(message)
