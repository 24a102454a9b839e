from django.urls import path

from bedside.studio import review_views, views

studio = "p/<slug:slug>/studio"

urlpatterns = [
    path(f"{studio}/", views.studio_posts, name="studio_posts"),
    path(f"{studio}/posts/new/", views.studio_compose, name="studio_compose"),
    path(f"{studio}/posts/<int:post_id>/edit/", views.studio_post_edit, name="studio_post_edit"),
    path(
        f"{studio}/posts/<int:post_id>/review/",
        review_views.studio_post_review,
        name="studio_post_review",
    ),
    path(f"{studio}/preview/", views.studio_preview, name="studio_preview"),
    path(f"{studio}/calendar/", views.studio_calendar, name="studio_calendar"),
    path(
        f"{studio}/approvals/waiting/",
        review_views.studio_approval_queue,
        name="studio_approval_queue",
    ),
    path(f"{studio}/approvals/", review_views.studio_approvals, name="studio_approvals"),
    path(
        f"{studio}/approvals/save/",
        review_views.studio_approvals_save,
        name="studio_approvals_save",
    ),
]
