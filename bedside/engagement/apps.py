from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "bedside.engagement"
    label = "engagement"
    verbose_name = "Polls and quizzes"
