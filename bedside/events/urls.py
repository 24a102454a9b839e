from django.urls import path

from bedside.events import views

urlpatterns = [
    path("p/<slug:slug>/events/<int:post_id>/", views.event_detail, name="event_detail"),
    path("p/<slug:slug>/events/<int:post_id>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("p/<slug:slug>/events/<int:post_id>/event.ics", views.event_ics, name="event_ics"),
    path("p/<slug:slug>/studio/events/new/", views.studio_event_new, name="studio_event_new"),
    path(
        "p/<slug:slug>/studio/events/<int:post_id>/edit/",
        views.studio_event_edit,
        name="studio_event_edit",
    ),
    path(
        "p/<slug:slug>/studio/events/<int:post_id>/attendees/",
        views.studio_event_attendees,
        name="studio_event_attendees",
    ),
    path(
        "p/<slug:slug>/studio/events/<int:post_id>/attendees.csv",
        views.studio_event_attendees_csv,
        name="studio_event_attendees_csv",
    ),
    path(
        "p/<slug:slug>/studio/events/<int:post_id>/attendees/<int:rsvp_id>/check-in/",
        views.studio_event_checkin,
        name="studio_event_checkin",
    ),
]
