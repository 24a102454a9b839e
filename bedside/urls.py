"""Root URL map. Each app owns its patterns; practice pages live under /p/<slug>/."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

# The admin signs in through allauth's pages, so its second step (two-factor) is never skipped.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("bedside.posts.urls")),
    path("", include("bedside.practices.urls")),
    path("", include("bedside.notify.urls")),
    path("", include("bedside.notify.push.urls")),
    path("", include("bedside.events.urls")),
    path("", include("bedside.education.urls")),
    path("", include("bedside.education.search_urls")),
    path("", include("bedside.engagement.urls")),
    path("", include("bedside.engagement.contests.urls")),
    path("", include("bedside.community.urls")),
    path("", include("bedside.analytics.urls")),
    path("", include("bedside.analytics.link_urls")),
    path("", include("bedside.compliance.urls")),
    path("", include("bedside.studio.urls")),
    path("", include("bedside.syndication.urls")),
    path("", include("bedside.privacy.urls")),
]

if settings.SERVE_MEDIA:
    # Media from Django only in the embedded install; production serves it from the proxy.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
