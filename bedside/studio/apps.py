from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "bedside.studio"
    label = "studio"
    verbose_name = "Studio"
