from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "policeplan.performance"
    label = "performance"
    verbose_name = "Performance data"
