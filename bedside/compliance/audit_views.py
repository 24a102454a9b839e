"""The audit log viewer and its CSV export: owners and compliance officers only."""

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bedside.audit.models import AuditEvent
from bedside.compliance import services
from bedside.compliance.audit_log import AuditFilters, audit_page, target_types
from bedside.compliance.views import compliance_page
from bedside.posts.views import signed_in
from bedside.practices.models import Practice
from bedside.practices.permissions import Action

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["At", "Actor", "Action", "Target type", "Target id", "Target", "Detail", "IP address",
          "User agent"]  # fmt: skip


def _cell(value: str) -> str:
    """A spreadsheet must not run a label or a user agent as a formula (CSV injection)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@compliance_page(Action.VIEW_AUDIT_LOG)
@require_GET
def audit_log(request: HttpRequest, practice: Practice) -> HttpResponse:
    filters = AuditFilters.from_query(request.GET)
    page = audit_page(practice, filters, cursor=request.GET.get("cursor"))
    context = {
        "practice": practice,
        "page": page,
        "filters": filters,
        "query": filters.as_query(),
        "query_string": urlencode(filters.as_query()),
        "target_types": target_types(practice),
    }
    return render(request, "compliance/audit_log.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _row(event: AuditEvent) -> list[str]:
    at: datetime = timezone.localtime(event.at)
    detail = json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
    values = [at.isoformat(timespec="seconds"), event.actor_label, event.action,
              event.target_type, event.target_id, event.target_label, detail,
              event.ip_address or "", event.user_agent]  # fmt: skip
    return [_cell(value) for value in values]


@compliance_page(Action.VIEW_AUDIT_LOG)
@require_GET
def audit_log_csv(request: HttpRequest, practice: Practice) -> StreamingHttpResponse:
    filters = AuditFilters.from_query(request.GET)
    rows = services.export_audit_log(by=signed_in(request), practice=practice, filters=filters)
    writer = csv.writer(_Echo())
    zone = timezone.get_current_timezone()

    def lines() -> Iterator[Any]:
        with timezone.override(zone):
            yield writer.writerow(HEADER)
            for event in rows.iterator(chunk_size=2000):
                yield writer.writerow(_row(event))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{practice.slug}-audit-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
