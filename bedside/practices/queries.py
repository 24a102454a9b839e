"""Reads the practices pages need, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from bedside.core.cursor import Cursor, Page, keyset_page
from bedside.practices.models import (
    STAFF_ROLES,
    Invitation,
    Location,
    Membership,
    OpeningHours,
    Practice,
    StaffProfile,
)

MEMBERS_PAGE_SIZE = 50
INVITATIONS_PAGE_SIZE = 50


def visible_team(practice: Practice) -> list[StaffProfile]:
    """The team page: visible profiles in the practice's chosen order (one query)."""
    return list(
        StaffProfile.objects.filter(practice=practice, is_visible=True).select_related("practice")
    )


def studio_team(practice: Practice) -> list[StaffProfile]:
    """Every profile, hidden ones too, with the linked account for permission checks."""
    return list(
        StaffProfile.objects.filter(practice=practice).select_related("practice", "membership")
    )


def locations_with_hours(practice: Practice) -> list[Location]:
    """Locations in order, each with its opening hours (two queries)."""
    return list(
        Location.objects.filter(practice=practice).prefetch_related(
            Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at"))
        )
    )


def staff_memberships(practice: Practice) -> "QuerySet[Membership]":
    """Staff seats, the accounts a team profile may be linked to."""
    return Membership.objects.filter(practice=practice, role__in=STAFF_ROLES).order_by(
        "display_name"
    )


def members_page(practice: Practice, cursor: Cursor | None) -> Page[Membership]:
    """Members, newest first: display names only, never the account's real name or email."""
    queryset = Membership.objects.filter(practice=practice).only(
        "id", "practice_id", "display_name", "role", "created_at"
    )
    return keyset_page(queryset, field="created_at", cursor=cursor, size=MEMBERS_PAGE_SIZE)


def invitations_page(practice: Practice, cursor: Cursor | None) -> Page[Invitation]:
    queryset = Invitation.objects.filter(practice=practice).select_related("practice")
    return keyset_page(queryset, field="created_at", cursor=cursor, size=INVITATIONS_PAGE_SIZE)
