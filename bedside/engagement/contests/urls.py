from django.urls import path

from bedside.engagement.contests import views

PUBLIC = "p/<slug:slug>/contests/<int:post_id>/"
STUDIO = "p/<slug:slug>/studio/contests/"

urlpatterns = [
    path(PUBLIC, views.contest_detail, name="contest_detail"),
    path(f"{PUBLIC}enter/", views.contest_enter, name="contest_enter"),
    path(f"{PUBLIC}rules/", views.contest_rules, name="contest_rules"),
    path(f"{PUBLIC}entries/", views.contest_entries, name="contest_entries"),
    path(f"{PUBLIC}verify/", views.contest_verify, name="contest_verify"),
    path(f"{PUBLIC}draw.json", views.contest_draw_json, name="contest_draw_json"),
    path(f"{PUBLIC}entries/<int:entry_id>/claim/", views.contest_claim, name="contest_claim"),
    path(f"{STUDIO}new/", views.studio_contest_new, name="studio_contest_new"),
    path(f"{STUDIO}<int:post_id>/edit/", views.studio_contest_edit, name="studio_contest_edit"),
    path(f"{STUDIO}<int:post_id>/draw/", views.studio_contest_draw, name="studio_contest_draw"),
    path(f"{STUDIO}<int:post_id>/close/", views.studio_contest_close, name="studio_contest_close"),
]
