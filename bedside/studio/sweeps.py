"""The studio's sweep: scheduled posts whose time has passed, published (the clock runs it).

The task enqueued at scheduling time normally publishes a post on the minute; this finds
any it missed (a queue lost, a backend that cannot defer, a post rescheduled while its task
waited) and publishes them the same idempotent way.
"""

import logging

from bedside.posts.services import due_post_ids
from bedside.studio.services import publish_due

logger = logging.getLogger(__name__)


def publish_due_posts() -> int:
    """Publish every scheduled post that is due; the number this sweep published."""
    published = 0
    for post_id in due_post_ids():
        try:
            if publish_due(post_id=post_id) is not None:
                published += 1
        except Exception:
            # One broken row must not hold back the others; the next sweep retries it.
            logger.exception("could not publish scheduled post %s", post_id)
    if published:
        logger.info("published %s scheduled post(s)", published)
    return published
