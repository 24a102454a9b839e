from django.urls import path

from bedside.syndication import views

studio = "p/<slug:slug>/studio"

urlpatterns = [
    path(f"{studio}/channels/", views.channels, name="syndication_channels"),
    path(f"{studio}/channels/bluesky/", views.connect_bluesky, name="syndication_bluesky"),
    path(f"{studio}/channels/mastodon/", views.connect_mastodon, name="syndication_mastodon"),
    path(
        f"{studio}/channels/<int:channel_id>/disconnect/",
        views.disconnect,
        name="syndication_disconnect",
    ),
    path(
        f"{studio}/posts/<int:post_id>/deliveries/",
        views.delivery_log,
        name="syndication_deliveries",
    ),
    path(
        f"{studio}/posts/<int:post_id>/deliveries/<int:delivery_id>/retry/",
        views.retry,
        name="syndication_retry",
    ),
    # One address for every practice: it is registered with each Mastodon server once.
    path(
        "studio/mastodon/callback/", views.mastodon_callback, name="syndication_mastodon_callback"
    ),
]
