from django.urls import path

from bedside.posts import views
from bedside.posts.feeds import PracticeAtomFeed, PracticeRssFeed

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/", views.practice_home, name="practice_home"),
    path("p/<slug:slug>/feed.atom", PracticeAtomFeed(), name="practice_feed_atom"),
    path("p/<slug:slug>/feed.rss", PracticeRssFeed(), name="practice_feed_rss"),
    path("p/<slug:slug>/feeds/<slug:pillar>.atom", PracticeAtomFeed(), name="pillar_feed_atom"),
    path("p/<slug:slug>/feeds/<slug:pillar>.rss", PracticeRssFeed(), name="pillar_feed_rss"),
    path("p/<slug:slug>/posts/<int:post_id>/", views.post_detail, name="post_detail"),
    path("p/<slug:slug>/posts/<int:post_id>/react/", views.post_react, name="post_react"),
    path("p/<slug:slug>/posts/<int:post_id>/comments/", views.post_comment, name="post_comment"),
    path(
        "p/<slug:slug>/comments/<int:comment_id>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("p/<slug:slug>/comments/<int:comment_id>/hide/", views.comment_hide, name="comment_hide"),
]
