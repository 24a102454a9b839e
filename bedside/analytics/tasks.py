"""Background work of analytics: bringing the rollups up to date."""

from django.tasks import task

from bedside.analytics.rollups import roll_up_new_activity


@task
def roll_up() -> int:
    """Recompute the days with new activity; how many days. Safe to run twice."""
    return roll_up_new_activity().days
