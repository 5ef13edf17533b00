"""Public pages once a consultation's results are published: the summary of responses (HTML
and PDF from one template) and 'you said, we did' for the consultation and for each theme.
Staff who analyse can read them before they are published, marked as a preview."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from policeplan.analysis import selectors
from policeplan.consultations import selectors as consultations
from policeplan.consultations.models import Consultation
from policeplan.core.roles import Perm, can


def _published(request: HttpRequest, slug: str) -> tuple[Consultation, bool]:
    consultation = consultations.consultation_for_viewer(slug=slug, user=request.user)
    preview = consultation.results_published_at is None
    if preview and not can(request.user, Perm.ANALYSE):
        raise Http404("The results of this consultation are not published")
    return consultation, preview


def _report(consultation: Consultation, preview: bool) -> dict[str, Any]:
    report = selectors.results_report(
        consultation=consultation, min_cell=settings.EQUALITY_MIN_CELL
    )
    return {"consultation": consultation, "preview": preview, **report}


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, preview = _published(request, slug)
    return render(
        request,
        "analysis/results.html",
        {**_report(consultation, preview), "section": "consultations"},
    )


@require_safe
def results_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The same report as a PDF (tagged, with its title and language set)."""
    import weasyprint

    consultation, preview = _published(request, slug)
    html = render_to_string(
        "analysis/results_pdf.html", _report(consultation, preview), request=request
    )
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
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
