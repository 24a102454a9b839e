"""The analytics sweep the clock runs once a minute."""

from bedside.analytics.recording import forget_old_salts
from bedside.analytics.rollups import RollupRun, roll_up_new_activity


def run() -> RollupRun:
    """Forget salts of past days (so old viewer hashes cannot be linked to anyone), then
    bring the rollups up to date."""
    forget_old_salts()
    return roll_up_new_activity()
