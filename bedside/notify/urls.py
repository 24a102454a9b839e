from django.urls import URLPattern, path

from bedside.notify import views

urlpatterns: list[URLPattern] = [
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/<int:notification_id>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notify/unsubscribe/<str:token>/", views.unsubscribe, name="notify_unsubscribe"),
    path("p/<slug:slug>/notifications/", views.preferences, name="notify_preferences"),
    path(
        "p/<slug:slug>/studio/broadcasts/<int:post_id>/",
        views.broadcast_progress,
        name="broadcast_progress",
    ),
]
