from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "policeplan.scrutiny"
    verbose_name = "Scrutiny"
