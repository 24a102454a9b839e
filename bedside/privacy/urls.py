from django.urls import path

from bedside.privacy import views

urlpatterns = [
    path("account/privacy/", views.privacy_home, name="privacy"),
    path("account/privacy/download/", views.download_my_data, name="privacy_download"),
    path("account/privacy/email/", views.change_my_email, name="privacy_change_email"),
    path("account/privacy/delete/", views.delete_my_account, name="privacy_delete"),
    path("account/privacy/deleted/", views.account_deleted, name="privacy_deleted"),
]
