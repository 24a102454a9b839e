from django.urls import path

from bedside.analytics import views

analytics = "p/<slug:slug>/studio/analytics"

urlpatterns = [
    path(f"{analytics}/", views.analytics_dashboard, name="analytics_dashboard"),
    path(f"{analytics}/report/", views.analytics_report, name="analytics_report"),
    path(f"{analytics}/<slug:table>.csv", views.analytics_csv, name="analytics_csv"),
]
