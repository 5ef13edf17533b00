"""Background work for reports: making a published report's PDF (with its progress)."""

from __future__ import annotations

from django.tasks import task


@task()
def make_report_pdf(report_id: int) -> None:
    from policeplan.reports.services import report_pdf_make

    report_pdf_make(report_id=report_id)


@task()
def make_draft_pdf(report_id: int) -> None:
    from policeplan.reports.documents import draft_pdf_make

    draft_pdf_make(report_id=report_id)
