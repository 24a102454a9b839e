from django.urls import path

from bedside.compliance import audit_views, views

studio = "p/<slug:slug>/studio"
one = f"{studio}/authorizations/<int:authorization_id>"
post = f"{studio}/posts/<int:post_id>"

urlpatterns = [
    path(f"{studio}/authorizations/", views.authorization_list, name="compliance_authorizations"),
    path(
        f"{studio}/authorizations/new/",
        views.authorization_new,
        name="compliance_authorization_new",
    ),
    path(f"{one}/", views.authorization_detail, name="compliance_authorization"),
    path(
        f"{one}/document/",
        views.authorization_document,
        name="compliance_authorization_document",
    ),
    path(f"{one}/revoke/", views.authorization_revoke, name="compliance_authorization_revoke"),
    path(f"{post}/authorizations/attach/", views.post_attach, name="compliance_attach"),
    path(
        f"{post}/authorizations/<int:authorization_id>/detach/",
        views.post_detach,
        name="compliance_detach",
    ),
    path(f"{post}/identifiers/override/", views.post_override, name="compliance_override"),
    path(f"{studio}/audit/", audit_views.audit_log, name="audit_log"),
    path(f"{studio}/audit/export.csv", audit_views.audit_log_csv, name="audit_log_csv"),
]
