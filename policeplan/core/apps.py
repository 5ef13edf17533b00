from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "policeplan.core"
    label = "core"
    verbose_name = "Office, accounts and audit"
