from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "policeplan.analysis"
    verbose_name = "Response analysis"

    def ready(self) -> None:
        from policeplan.analysis.receivers import texts_erased
        from policeplan.consultations.signals import responses_erased

        responses_erased.connect(texts_erased, dispatch_uid="analysis.texts_erased")
