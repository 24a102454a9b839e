"""Search and readability URLs, kept apart from the rest of education's routes."""

from django.urls import path

from bedside.education import search_views

urlpatterns = [
    path("p/<slug:slug>/search/", search_views.education_search, name="education_search"),
    path(
        "p/<slug:slug>/studio/readability/",
        search_views.readability_check,
        name="readability_check",
    ),
]
