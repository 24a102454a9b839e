"""The root URLs with notify's pages, until bedside/urls.py includes them (see the report)."""

from django.urls import URLPattern, URLResolver, include, path

from bedside.urls import urlpatterns as root_urlpatterns


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


urlpatterns: list[URLPattern | URLResolver] = list(root_urlpatterns)
_present = _names(urlpatterns)
if "notifications" not in _present:
    urlpatterns.append(path("", include("bedside.notify.urls")))
if "push_subscribe" not in _present:
    urlpatterns.append(path("", include("bedside.notify.push.urls")))
