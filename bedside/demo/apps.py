from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Seed data and the one-command demo; the top layer, free to call every app's services."""

    name = "bedside.demo"
    label = "demo"
    verbose_name = "Demo and seed data"
