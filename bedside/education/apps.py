from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "bedside.education"
    label = "education"
    verbose_name = "Education"
