"""Reading the audit trail: one practice's rows, filtered, newest first, by keyset.

The trail itself (``bedside/audit/``) sits low in the layers and knows nothing of
practices' pages; the viewer and its CSV export live here, above notify, with the rest of
compliance.
"""

import zoneinfo
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import QueryDict

from bedside.audit.models import AuditEvent
from bedside.core.cursor import Cursor, Page, keyset_page
from bedside.practices.models import Practice

PAGE_SIZE = 50
MAX_FILTER = 100


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    target_type: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "AuditFilters":
        """Filters from a query string; malformed dates are dropped, never an error."""
        return cls(
            actor=query.get("actor", "").strip()[:MAX_FILTER],
            action=query.get("action", "").strip()[:MAX_FILTER],
            date_from=_day(query.get("from")),
            date_to=_day(query.get("to")),
            target_type=query.get("target_type", "").strip()[:MAX_FILTER],
        )

    def as_query(self) -> dict[str, str]:
        """The non-empty filters under their query-string names, for links and the export."""
        pairs = {
            "actor": self.actor,
            "action": self.action,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "target_type": self.target_type,
        }
        return {name: value for name, value in pairs.items() if value}

    def as_detail(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items() if value}


def _zone(practice: Practice) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def audit_events(practice: Practice, filters: AuditFilters) -> "QuerySet[AuditEvent]":
    """This practice's rows only, narrowed by ``filters`` (dates in the practice's zone)."""
    rows = AuditEvent.objects.filter(practice_id=practice.pk)
    if filters.actor:
        rows = rows.filter(actor_label__icontains=filters.actor)
    if filters.action:
        rows = rows.filter(action__startswith=filters.action)
    if filters.target_type:
        rows = rows.filter(target_type=filters.target_type)
    zone = _zone(practice)
    if filters.date_from:
        rows = rows.filter(at__gte=datetime.combine(filters.date_from, time.min, zone))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, zone)
        rows = rows.filter(at__lt=end)
    return rows


def audit_page(
    practice: Practice, filters: AuditFilters, *, cursor: str | None, size: int = PAGE_SIZE
) -> Page[AuditEvent]:
    """One page, newest first: one range scan on ``audit_practice_time`` whatever the page."""
    return keyset_page(
        audit_events(practice, filters), field="at", cursor=Cursor.decode(cursor), size=size
    )


def target_types(practice: Practice) -> list[str]:
    """The kinds of things this practice's trail mentions, for the filter's choices."""
    rows = AuditEvent.objects.filter(practice_id=practice.pk).exclude(target_type="")
    return sorted(set(rows.order_by().values_list("target_type", flat=True).distinct()))
