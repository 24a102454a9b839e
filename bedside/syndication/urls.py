from django.urls import path

from bedside.syndication import connect_views, views

studio = "p/<slug:slug>/studio"

urlpatterns = [
    path(f"{studio}/channels/", views.channels, name="syndication_channels"),
    path(f"{studio}/channels/bluesky/", views.connect_bluesky, name="syndication_bluesky"),
    path(f"{studio}/channels/mastodon/", views.connect_mastodon, name="syndication_mastodon"),
    path(
        f"{studio}/channels/mastodon/continue/",
        views.continue_mastodon,
        name="syndication_mastodon_continue",
    ),
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
    # X, LinkedIn, a Facebook Page and Instagram (bedside/syndication/connect_views.py).
    path(
        f"{studio}/channels/connect/meta/token/",
        connect_views.page_token,
        name="syndication_page_token",
    ),
    path(
        f"{studio}/channels/connect/<slug:provider>/",
        connect_views.connect,
        name="syndication_connect",
    ),
    path(
        f"{studio}/channels/connect/<slug:provider>/start/",
        connect_views.start,
        name="syndication_connect_start",
    ),
    path(
        f"{studio}/channels/connect/<slug:provider>/pick/",
        connect_views.pick,
        name="syndication_connect_pick",
    ),
    # One address per network, registered with the install's app there.
    path(
        "studio/oauth/<slug:provider>/callback/",
        connect_views.callback,
        name="syndication_oauth_callback",
    ),
    # One address for every practice: it is registered with each Mastodon server once.
    path(
        "studio/mastodon/callback/", views.mastodon_callback, name="syndication_mastodon_callback"
    ),
]
