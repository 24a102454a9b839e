from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "bedside.analytics"
    label = "analytics"
    verbose_name = "Analytics"
