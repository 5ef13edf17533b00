from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "policeplan.scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        from policeplan.plans.signals import version_published
        from policeplan.scrutiny.services.reviews import version_published as open_review

        version_published.connect(open_review, dispatch_uid="scrutiny.open_plan_review")
