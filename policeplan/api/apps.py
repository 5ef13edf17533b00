from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "policeplan.api"
    label = "api"
    verbose_name = "Public API"
