"""Background work of the studio: publishing a scheduled post on time."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def publish_scheduled_post(post_id: int) -> bool:
    """Publish the post if it is still scheduled and due; True if this run published it.

    Enqueued with ``run_after`` at the scheduled time. A post unscheduled, rescheduled to
    later or already published by the sweep is left alone, so a retry or a second worker
    after a restart publishes nothing twice.
    """
    from bedside.studio.services import publish_due  # the services enqueue this task

    published = publish_due(post_id=post_id) is not None
    if published:
        logger.info("published scheduled post %s", post_id)
    return published
