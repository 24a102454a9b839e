"""Where the current request comes from, for audit rows written deep inside services.

Services take no request; the middleware below sets a context variable for the length of
each request, and ``record`` reads it, so "from where" is never forgotten by a caller.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Origin:
    ip_address: str | None
    user_agent: str


_origin: ContextVar[Origin | None] = ContextVar("bedside_audit_origin", default=None)


def current_origin() -> Origin | None:
    return _origin.get()


def origin_of(request: HttpRequest) -> Origin:
    # REMOTE_ADDR is the client as the WSGI server saw it; a proxy in front must set it
    # (gunicorn's forwarded_allow_ips), never a header the client could forge.
    return Origin(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("user-agent", "")[:200],
    )


class AuditOrigin:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
