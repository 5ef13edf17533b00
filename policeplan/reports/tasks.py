"""Background work for reports: making a published report's PDF (with its progress)."""

from __future__ import annotations

from policeplan.core.jobs import enqueue, job


@job(time_limit=10 * 60)
def make_report_pdf(report_id: int) -> None:
    from policeplan.reports.services import report_pdf_make

    report_pdf_make(report_id=report_id)


@job(time_limit=10 * 60)
def make_draft_pdf(report_id: int) -> None:
    from policeplan.reports.documents import draft_pdf_make

    draft_pdf_make(report_id=report_id)


def _pdfs_still_to_make() -> int:
    """After a restore from a backup whose jobs were in Redis: a report whose PDF was queued
    or being made when the backup was taken is queued again (else its PDF address would
    answer "try again later" until someone pressed "Make the PDF again")."""
    from policeplan.reports.models import PdfState, Report

    waiting = list(
        Report.objects.filter(pdf_state__in=[PdfState.QUEUED, PdfState.RENDERING]).values_list(
            "pk", flat=True
        )
    )
    Report.objects.filter(pk__in=waiting).update(
        pdf_state=PdfState.QUEUED, pdf_progress=0, pdf_step="Queued again after a restore"
    )
    for pk in waiting:
        enqueue(make_report_pdf, pk)
    return len(waiting)


AFTER_RESTORE = [_pdfs_still_to_make]
