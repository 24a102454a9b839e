from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "bedside.practices"
    label = "practices"
    verbose_name = "Practices"
