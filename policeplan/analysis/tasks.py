"""Background work for analysis: a theme engine's run, and the published summary's PDF."""

from __future__ import annotations

from policeplan.core.jobs import job


@job(time_limit=60 * 60)
def run_analysis(run_id: int) -> None:
    from policeplan.analysis.services import analysis_run_execute

    analysis_run_execute(run_id=run_id)


@job(time_limit=10 * 60)
def prepare_results_pdf(consultation_id: int) -> None:
    from policeplan.analysis.documents import results_pdf_prepare

    results_pdf_prepare(consultation_id=consultation_id)
