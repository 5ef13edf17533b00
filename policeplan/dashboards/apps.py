from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "policeplan.dashboards"
    label = "dashboards"
    verbose_name = "Public performance dashboards"
