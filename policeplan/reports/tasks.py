"""Background work for reports: making a published report's PDF (with its progress)."""

from __future__ import annotations

from policeplan.core.jobs import job


@job(time_limit=10 * 60)
def make_report_pdf(report_id: int) -> None:
    from policeplan.reports.services import report_pdf_make

    report_pdf_make(report_id=report_id)


@job(time_limit=10 * 60)
def make_draft_pdf(report_id: int) -> None:
    from policeplan.reports.documents import draft_pdf_make

    draft_pdf_make(report_id=report_id)
