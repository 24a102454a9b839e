"""Posting and reporting in support groups slow down floods and bots, on the house's
fixed-window counters (``bedside/core/ratelimit.py``) under the community's own keys.

The pages count each try before calling the service (as the poll pages do), so the demo
and other callers of the services are not throttled.
"""

from bedside.core import ratelimit
from bedside.core.ratelimit import Limit, RateLimited

__all__ = ["POSTING", "REPORTING", "Limit", "RateLimited", "consume"]

POSTING = Limit(count=10, seconds=600)
REPORTING = Limit(count=10, seconds=3600)
SLOW_DOWN = "You are posting a little fast. Please wait a few minutes and try again."


def consume(*, scope: str, who: int, limit: Limit) -> None:
    """Count one try for ``who`` in ``scope``; raise ``RateLimited`` past ``limit``."""
    ratelimit.consume(scope=f"community:{scope}", who=who, limit=limit, message=SLOW_DOWN)
