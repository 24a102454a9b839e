"""Test-only URLconf: the real site plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bedside.core.errors import NotAllowed
from bedside.urls import urlpatterns as site_urlpatterns

SECRET_DETAIL = "the database password is hunter2"


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET_DETAIL)


def refuse_by_rule(request: HttpRequest) -> HttpResponse:
    raise NotAllowed("Only the practice's staff may do that.")


urlpatterns = [
    path("test-errors/crash/", crash),
    path("test-errors/refuse/", refuse),
    path("test-errors/refuse-by-rule/", refuse_by_rule),
    *site_urlpatterns,
]
