from django.apps import AppConfig


class EstatesConfig(AppConfig):
    name = "policeplan.estates"
    verbose_name = "Estate and boroughs"
