from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "policeplan.plans"
    label = "plans"
    verbose_name = "Police and Crime Plans"
