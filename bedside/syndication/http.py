"""The one place that makes HTTP clients for the networks: short timeouts, no redirects.

Every call to a network runs on the syndication queue with at most 10 s per request, so a
dead network costs one worker ten seconds, never the other queues. Tests replace
``transport`` with an ``httpx.MockTransport`` (or a wrapper around a real one).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "Bedside (syndication)"

transport: httpx.BaseTransport | None = None


def make_client() -> httpx.Client:
    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    )


@contextmanager
def using_transport(replacement: httpx.BaseTransport) -> Iterator[None]:
    """Send every network call through ``replacement`` for the duration (tests)."""
    global transport
    previous, transport = transport, replacement
    try:
        yield
    finally:
        transport = previous
