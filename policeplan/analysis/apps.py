from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "policeplan.analysis"
    verbose_name = "Response analysis"
