from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "bedside.engagement.contests"
    label = "contests"
    verbose_name = "Contests and giveaways"
