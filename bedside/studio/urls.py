from django.urls import path

from bedside.studio import views

studio = "p/<slug:slug>/studio"

urlpatterns = [
    path(f"{studio}/", views.studio_posts, name="studio_posts"),
    path(f"{studio}/posts/new/", views.studio_compose, name="studio_compose"),
    path(f"{studio}/posts/<int:post_id>/edit/", views.studio_post_edit, name="studio_post_edit"),
    path(f"{studio}/preview/", views.studio_preview, name="studio_preview"),
    path(f"{studio}/calendar/", views.studio_calendar, name="studio_calendar"),
]
