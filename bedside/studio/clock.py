"""The house's sweeps, run in turn by ``manage.py clock``.

A sweep finds rows whose state says work is due and does it, idempotently; the clock runs
each in its own ``try`` so one failing sweep never stops the others or the clock.
"""

import logging
from collections.abc import Callable

from bedside.analytics import sweeps as analytics_sweeps
from bedside.compliance.sweeps import expire_authorizations
from bedside.notify import sweeps as notify_sweeps
from bedside.studio.services import tell_about_broken_channels
from bedside.studio.sweeps import publish_due_posts
from bedside.syndication import sweeps as syndication_sweeps

logger = logging.getLogger(__name__)

Sweep = Callable[[], object]

SWEEPS: tuple[tuple[str, Sweep], ...] = (
    ("studio.publish_due_posts", publish_due_posts),
    ("notify.run_all", notify_sweeps.run_all),
    ("analytics.run", analytics_sweeps.run),
    ("compliance.expire_authorizations", expire_authorizations),
    # Retries, removals, reconciling with the posts' state, counts and replies every 15 min.
    ("syndication.run", syndication_sweeps.run),
    ("studio.tell_about_broken_channels", tell_about_broken_channels),
)


def run_sweeps(sweeps: tuple[tuple[str, Sweep], ...] = SWEEPS) -> dict[str, bool]:
    """Run every sweep once; which ones finished without an error."""
    finished = {}
    for name, sweep in sweeps:
        try:
            sweep()
        except Exception:
            logger.exception("sweep %s failed", name)
            finished[name] = False
        else:
            finished[name] = True
    return finished
