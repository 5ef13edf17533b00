"""Public pages once a consultation's results are published: the summary of responses (HTML
and PDF from one template) and 'you said, we did' for the consultation and for each theme.
Staff who analyse can read them before they are published, marked as a preview."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from policeplan.analysis import documents, selectors
from policeplan.consultations import selectors as consultations
from policeplan.consultations.models import Consultation
from policeplan.core.roles import Perm, can


def _published(request: HttpRequest, slug: str) -> tuple[Consultation, bool]:
    consultation = consultations.consultation_for_viewer(slug=slug, user=request.user)
    preview = consultation.results_published_at is None
    if preview and not can(request.user, Perm.ANALYSE):
        raise Http404("The results of this consultation are not published")
    return consultation, preview


# How long a client is asked to wait while another request renders the PDF.
PDF_RETRY_AFTER_SECONDS = 5


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, preview = _published(request, slug)
    return render(
        request,
        "analysis/results.html",
        {
            **documents.results_report(consultation=consultation, preview=preview),
            "section": "consultations",
        },
    )


@require_safe
def results_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The same report as a PDF (tagged, with its title and language set), served from the
    store: rendered once per content, never per request. While another request renders it,
    503 with Retry-After."""
    consultation, preview = _published(request, slug)
    pdf = documents.results_pdf(consultation=consultation, preview=preview)
    if pdf is None:
        busy = render(
            request,
            "analysis/results_pdf_preparing.html",
            {"consultation": consultation, "section": "consultations"},
            status=503,
        )
        busy["Retry-After"] = str(PDF_RETRY_AFTER_SECONDS)
        busy["Cache-Control"] = "no-store"
        return busy
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{consultation.slug}-summary.pdf"'
    return response


@require_safe
def you_said(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, preview = _published(request, slug)
    rows = selectors.theme_responses(consultation=consultation)
    return render(
        request,
        "analysis/you_said.html",
        {
            "consultation": consultation,
            "preview": preview,
            "rows": rows,
            "section": "consultations",
        },
    )


@require_safe
def you_said_theme(request: HttpRequest, slug: str, theme: str) -> HttpResponse:
    consultation, preview = _published(request, slug)
    item = selectors.theme_response_public(consultation=consultation, slug=theme)
    changes = list(item.plan_changes.select_related("from_version__plan", "to_version"))
    quotes: list[str] = []
    count = None
    for question in [*selectors.free_text_questions(consultation=consultation), None]:
        frame = selectors.codeframe_final(consultation=consultation, question=question)
        found = frame.themes.filter(lineage=item.lineage).first() if frame else None
        if frame is not None and found is not None:
            quotes = selectors.theme_quotes(codeframe=frame, theme=found, limit=5)
            summary = selectors.codeframe_summary(codeframe=frame)
            count = next((c for c in summary.themes if c.theme.pk == found.pk), None)
            break
    return render(
        request,
        "analysis/you_said_theme.html",
        {
            "consultation": consultation,
            "preview": preview,
            "item": item,
            "quotes": quotes,
            "count": count,
            "changes": changes,
            "measures": selectors.measure_headlines(changes=changes),
            "section": "consultations",
        },
    )
