"""Every change to practices, memberships, invitations and the team goes through here.

Each service validates its input, loads and checks permission with ``can``/``require``,
writes in one transaction and enqueues background work with ``transaction.on_commit``.
Errors are those of ``bedside.core.errors``; an ``Invalid`` names the form field it
belongs to. The package is split by concept; import from ``bedside.practices.services``.
"""

from bedside.practices.services.invitations import create_invitation, revoke_invitation
from bedside.practices.services.membership import (
    change_role,
    clean_display_name,
    complete_tour,
    join_practice,
)
from bedside.practices.services.practice_profile import (
    HoursSpan,
    LocationDetails,
    PracticeDetails,
    delete_location,
    save_location,
    update_practice_profile,
)
from bedside.practices.services.team import StaffDetails, TeamPlacement, save_staff_profile

__all__ = [
    "HoursSpan",
    "LocationDetails",
    "PracticeDetails",
    "StaffDetails",
    "TeamPlacement",
    "change_role",
    "clean_display_name",
    "complete_tour",
    "create_invitation",
    "delete_location",
    "join_practice",
    "revoke_invitation",
    "save_location",
    "save_staff_profile",
    "update_practice_profile",
]
