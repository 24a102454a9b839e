from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "bedside.notify.push"
    label = "push"
    verbose_name = "Web push"

    def ready(self) -> None:
        from django.core import checks

        from bedside.notify.push.keys import check_vapid_settings

        checks.register(check_vapid_settings, checks.Tags.security)
