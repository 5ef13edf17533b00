from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "policeplan.consultations"
    verbose_name = "Consultations"
