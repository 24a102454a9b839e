from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "bedside.syndication"
    label = "syndication"
    default_auto_field = "django.db.models.BigAutoField"
