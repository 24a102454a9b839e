from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "bedside.events"
    label = "events"
    verbose_name = "Events"
