"""The counted-link redirect, at the site root so links stay short in emails and posts."""

from django.urls import path

from bedside.analytics import links

urlpatterns = [
    path("go/<str:token>/", links.follow_link, name=links.URL_NAME),
]
