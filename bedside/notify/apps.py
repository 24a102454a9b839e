from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "bedside.notify"
    label = "notify"
    verbose_name = "Notifications"
