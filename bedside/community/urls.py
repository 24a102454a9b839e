from django.urls import path

from bedside.community import views

G = "p/<slug:slug>/groups/<slug:group_slug>/"
T = G + "t/<int:thread_id>/"
S = "p/<slug:slug>/studio/groups/"

urlpatterns = [
    path("p/<slug:slug>/groups/", views.group_list, name="group_list"),
    path(G, views.group_detail, name="group_detail"),
    path(G + "join/", views.group_join, name="group_join"),
    path(G + "leave/", views.group_leave, name="group_leave"),
    path(G + "new/", views.thread_new, name="thread_new"),
    path(T, views.group_thread, name="group_thread"),
    path(T + "reply/", views.thread_reply, name="thread_reply"),
    path(T + "follow/", views.thread_follow, name="thread_follow"),
    path(T + "react/", views.post_react, name="post_react"),
    path(T + "report/", views.post_report, name="post_report"),
    path(T + "edit/", views.post_edit, name="post_edit"),
    path(T + "delete/", views.post_delete, name="post_delete"),
    path(S, views.studio_groups, name="studio_groups"),
    path(S + "log/", views.studio_group_log, name="studio_group_log"),
    path(S + "new/", views.studio_group_new, name="studio_group_new"),
    path(S + "crisis-resources/", views.studio_crisis_resources, name="studio_crisis_resources"),
    path(S + "moderate/<str:kind>/<int:post_id>/", views.studio_moderate, name="studio_moderate"),
    path(S + "members/<int:member_id>/", views.studio_member_action, name="studio_member_action"),
    path(
        S + "reports/<int:report_id>/dismiss/",
        views.studio_report_dismiss,
        name="studio_report_dismiss",
    ),
    path(
        S + "alerts/<int:alert_id>/handle/", views.studio_alert_handle, name="studio_alert_handle"
    ),
    path(S + "<slug:group_slug>/members/", views.studio_group_members, name="studio_group_members"),
]
