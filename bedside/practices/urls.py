"""Pillar 3 pages: the team, joining, the welcome tour, and the staff studio for them."""

from django.urls import path

from bedside.practices import studio_views, views

studio = "p/<slug:slug>/studio"

urlpatterns = [
    path("p/<slug:slug>/team/", views.practice_team, name="practice_team"),
    path("p/<slug:slug>/team/<slug:profile_slug>/", views.team_member, name="team_member"),
    path("join/<str:token>/", views.join, name="join"),
    path("p/<slug:slug>/follow/", views.follow, name="follow"),
    path("p/<slug:slug>/welcome/", views.welcome, name="welcome"),
    path(f"{studio}/practice/", studio_views.studio_practice, name="studio_practice"),
    path(
        f"{studio}/practice/locations/new/",
        studio_views.studio_location_new,
        name="studio_location_new",
    ),
    path(
        f"{studio}/practice/locations/<int:location_id>/",
        studio_views.studio_location_edit,
        name="studio_location_edit",
    ),
    path(
        f"{studio}/practice/locations/<int:location_id>/delete/",
        studio_views.studio_location_delete,
        name="studio_location_delete",
    ),
    path(f"{studio}/team/", studio_views.studio_team_list, name="studio_team"),
    path(f"{studio}/team/new/", studio_views.studio_team_new, name="studio_team_new"),
    path(
        f"{studio}/team/<slug:profile_slug>/edit/",
        studio_views.studio_team_edit,
        name="studio_team_edit",
    ),
    path(f"{studio}/invitations/", studio_views.studio_invitations, name="studio_invitations"),
    path(
        f"{studio}/invitations/<int:invitation_id>/revoke/",
        studio_views.studio_invitation_revoke,
        name="studio_invitation_revoke",
    ),
    path(
        f"{studio}/invitations/<int:invitation_id>/poster/",
        studio_views.invitation_poster,
        name="invitation_poster",
    ),
    path(
        f"{studio}/invitations/<int:invitation_id>/qr.svg",
        studio_views.invitation_qr,
        name="invitation_qr",
    ),
    path(f"{studio}/members/", studio_views.studio_members, name="studio_members"),
    path(
        f"{studio}/members/<int:membership_id>/role/",
        studio_views.studio_member_role,
        name="studio_member_role",
    ),
]
