"""The syndication queue: one task per delivery attempt, on its own queue.

Run by ``manage.py db_worker --queue-name syndication`` (``make demo`` starts one), so a
slow or dead network never holds up the default queue's emails and publishing.
"""

from django.tasks import task

QUEUE = "syndication"


@task(queue_name=QUEUE)
def run_delivery(delivery_id: int) -> str:
    """Publish or retract one delivery, whichever its status asks; returns the new status."""
    from bedside.syndication.engine import run  # the engine enqueues this task

    return run(delivery_id)


@task(queue_name=QUEUE)
def pull_responses(delivery_id: int) -> bool:
    """Read likes, shares and replies of one delivered post back from its network."""
    from bedside.syndication.engine import pull

    return pull(delivery_id)
