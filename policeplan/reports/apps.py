from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "policeplan.reports"
    verbose_name = "Reports"
