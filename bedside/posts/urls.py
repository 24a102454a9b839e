from django.urls import path

from bedside.posts import studio_views, views
from bedside.posts.feeds import PracticeAtomFeed

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/", views.practice_home, name="practice_home"),
    path("p/<slug:slug>/feed.atom", PracticeAtomFeed(), name="practice_feed_atom"),
    path("p/<slug:slug>/posts/<int:post_id>/", views.post_detail, name="post_detail"),
    path("p/<slug:slug>/posts/<int:post_id>/react/", views.post_react, name="post_react"),
    path("p/<slug:slug>/posts/<int:post_id>/comments/", views.post_comment, name="post_comment"),
    path(
        "p/<slug:slug>/comments/<int:comment_id>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("p/<slug:slug>/comments/<int:comment_id>/hide/", views.comment_hide, name="comment_hide"),
    path("p/<slug:slug>/studio/", studio_views.studio_posts, name="studio_posts"),
    path("p/<slug:slug>/studio/posts/new/", studio_views.studio_compose, name="studio_compose"),
    path(
        "p/<slug:slug>/studio/posts/<int:post_id>/edit/",
        studio_views.studio_post_edit,
        name="studio_post_edit",
    ),
    path("p/<slug:slug>/studio/preview/", studio_views.studio_preview, name="studio_preview"),
]
