"""The service worker, and the two JSON endpoints push.js calls to (un)subscribe a browser."""

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from bedside.core.errors import DomainError, Invalid
from bedside.notify.push.services import subscribe_device, unsubscribe_device

MAX_BODY_BYTES = 4096


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js`` from the site root, so that its scope covers every page."""
    response = HttpResponse(
        render_to_string("push/sw.js", request=request),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    try:
        data = _json(request)
        keys = data.get("keys")
        keys = keys if isinstance(keys, dict) else {}
        subscription = subscribe_device(
            user=request.user,  # type: ignore[arg-type]
            endpoint=_text(data.get("endpoint")),
            p256dh=_text(keys.get("p256dh")),
            auth=_text(keys.get("auth")),
        )
    except DomainError as exc:
        return _error(exc)
    return JsonResponse({"subscribed": True, "id": subscription.pk}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    try:
        removed = unsubscribe_device(
            user=request.user,  # type: ignore[arg-type]
            endpoint=_text(_json(request).get("endpoint")),
        )
    except DomainError as exc:
        return _error(exc)
    return JsonResponse({"subscribed": False, "removed": removed})


def _error(exc: DomainError) -> JsonResponse:
    return JsonResponse({"error": exc.message, "field": exc.field}, status=exc.status)


def _json(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY_BYTES:
        raise Invalid("That subscription is too large.")
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("Send the subscription as JSON.") from None
    if not isinstance(data, dict):
        raise Invalid("Send the subscription as a JSON object.")
    return data


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
