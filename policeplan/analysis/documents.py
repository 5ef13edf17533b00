"""The summary of responses as a PDF, through the one document pipeline
(`policeplan.core.documents`): the HTML from the PDF template, the PDF stored by its hash.

The HTML is rendered without the request (the office's name passed in), so the view and the
job that prepares the PDF at publication make the same HTML, hence the same stored PDF.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from policeplan.analysis import selectors
from policeplan.core import documents
from policeplan.core import selectors as core


def results_report(*, consultation: Any, preview: bool) -> dict[str, Any]:
    report = selectors.results_report(
        consultation=consultation, min_cell=settings.EQUALITY_MIN_CELL
    )
    return {"consultation": consultation, "preview": preview, **report}


def results_pdf_html(*, consultation: Any, preview: bool) -> str:
    office = core.office_current()
    return render_to_string(
        "analysis/results_pdf.html",
        {
            **results_report(consultation=consultation, preview=preview),
            "service_name": office.name if office else "Police and Crime Plan",
        },
    )


def results_pdf(*, consultation: Any, preview: bool) -> bytes | None:
    """The stored PDF (rendered on a miss); None while another process renders it."""
    return documents.stored_pdf(
        folder=f"results/{consultation.pk}",
        html=results_pdf_html(consultation=consultation, preview=preview),
    )


def results_pdf_prepare(*, consultation_id: int) -> None:
    """Make the published summary's PDF ahead of the first request, and archive it as an
    edition when it differs from the last one (a background job)."""
    from policeplan.consultations.models import Consultation

    consultation = Consultation.objects.filter(
        pk=consultation_id, results_published_at__isnull=False
    ).first()
    if consultation is None:
        return
    html = results_pdf_html(consultation=consultation, preview=False)
    pdf = documents.stored_pdf(folder=f"results/{consultation.pk}", html=html)
    if pdf is not None:
        # Each published version is kept for good in the reports' archive.
        from policeplan.reports.services import summary_edition_record

        summary_edition_record(consultation=consultation, html=html, pdf=pdf)
