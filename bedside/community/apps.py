from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "bedside.community"
    label = "community"
    verbose_name = "Support groups"
