"""Votes and quiz answers slow down bots: per-patient counters on the house's fixed-window
scheme (``bedside/core/ratelimit.py``), under the engagement pillar's own keys."""

from bedside.core import ratelimit
from bedside.core.ratelimit import Limit, RateLimited

__all__ = ["Limit", "RateLimited", "consume"]

SLOW_DOWN = "You are going a little fast. Please wait a minute and try again."


def consume(*, scope: str, who: int, limit: Limit) -> None:
    """Count one try for ``who`` in ``scope``; raise ``RateLimited`` past ``limit``."""
    ratelimit.consume(scope=f"engagement:{scope}", who=who, limit=limit, message=SLOW_DOWN)
