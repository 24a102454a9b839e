from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bedside.core"
    label = "core"
