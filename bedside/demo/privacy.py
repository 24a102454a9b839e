"""Data rights in the demo: every demo account's address on record, ready to be changed.

The demo makes its accounts directly, as an invitation would, so allauth holds no record of
their addresses; without one the "Email addresses" page would show none and the change flow
would have nothing to tell. Each demo login gets its address as the verified, primary one,
through the same service the privacy page calls. Then sign in as ``patient@`` and open
Account → Privacy and your data to download, change the address, or delete the account.
Idempotent, so ``make demo`` runs it on a database seeded before this existed.
"""

from django.db.models import Q

from bedside.demo import riverside
from bedside.practices.models import User
from bedside.privacy.services import prepare_email_change


def add_email_records() -> int:
    """Record each demo login's address; returns how many accounts were looked at."""
    accounts = User.objects.filter(
        Q(email__endswith=f"@{riverside.DEMO_DOMAIN}") | Q(email=riverside.SECOND_OWNER.email)
    )
    count = 0
    for user in accounts.iterator():
        prepare_email_change(user=user)
        count += 1
    return count
