from django.urls import path

from bedside.notify.push import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("notifications/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("notifications/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
]
