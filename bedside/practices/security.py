"""Two small protections Django does not ship: a Permissions-Policy, and posting rate limits.

``PermissionsPolicy`` tells the browser that no page of ours may use the camera, the
microphone, the visitor's location and the like, so an injected script or an embedded
player cannot ask for them either (``PERMISSIONS_POLICY`` in settings).

``PostingRateLimits`` counts each signed-in person's form posts to the pages named in
``POSTING_RATE_LIMITS`` (URL name → ``"count/seconds"``) and answers the friendly 429 page
past the limit. It counts at the door, not in the services, so the demo, the sweeps and the
API calling the same services are never throttled — the same choice the support groups
made for their own limits (``bedside/community/ratelimit.py``).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bedside.core.ratelimit import Limit, RateLimited, consume


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": []}`` → ``camera=()``; ``{"fullscreen": ["self"]}`` → ``fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicy:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def parse_limit(text: str) -> Limit:
    """``"10/600"``: ten tries per 600 seconds."""
    count, seconds = text.split("/")
    return Limit(count=int(count), seconds=int(seconds))


class PostingRateLimits:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        limits: dict[str, str] = settings.POSTING_RATE_LIMITS
        match = request.resolver_match
        name = match.url_name if match is not None else None
        if request.method != "POST" or name is None or name not in limits:
            return None
        if not request.user.is_authenticated:
            return None  # the view sends visitors to sign in; nothing to count yet
        try:
            consume(scope=name, who=request.user.pk, limit=parse_limit(limits[name]))
        except RateLimited as error:
            context = {"status": error.status, "message": error.message}
            return render(request, "error.html", context, status=error.status)
        return None
