"""The public's reports: every kind with its archive of editions, each edition as a page, a
tagged PDF (made once at publication, served from storage) and a CSV of every figure in it.
Staff who prepare reports see drafts at the same addresses, marked as drafts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from policeplan.core.csvsafe import to_csv
from policeplan.core.roles import Perm, can
from policeplan.reports import assemble, documents, selectors
from policeplan.reports.kinds import SLUGS, ReportKind

# How long a client is asked to wait while the PDF is being made.
PDF_RETRY_AFTER_SECONDS = 10


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    published = list(selectors.reports_published())
    kinds = [
        {
            "kind": kind,
            "slug": SLUGS[kind],
            "editions": [r for r in published if r.kind == kind],
        }
        for kind in ReportKind
    ]
    return render(
        request,
        "reports/index.html",
        {
            "kinds": kinds,
            "summaries": selectors.consultation_summaries(),
            "section": "reports",
        },
    )


@require_safe
def archive(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = selectors.kind_from_slug(kind_slug)
    return render(
        request,
        "reports/archive.html",
        {
            "kind": kind,
            "slug": kind_slug,
            "editions": list(selectors.reports_published(kind=kind)),
            "section": "reports",
        },
    )


def _private_if_draft(response: HttpResponse, report: Any) -> HttpResponse:
    """A draft is for the staff member who asked: never stored by a cache, never indexed."""
    if not report.is_published:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _edition(request: HttpRequest, kind_slug: str, period: str) -> tuple:
    kind = selectors.kind_from_slug(kind_slug)
    report = selectors.report_for_viewer(kind=kind, period_key=period, user=request.user)
    return report, selectors.report_contents(report=report)


@require_safe
def edition(request: HttpRequest, kind_slug: str, period: str) -> HttpResponse:
    report, snapshot = _edition(request, kind_slug, period)
    revised = selectors.revised_since(snapshot=snapshot) if report.is_published else []
    response = render(
        request,
        "reports/edition.html",
        {
            "report": report,
            "r": snapshot,
            "draft": not report.is_published,
            "slug": kind_slug,
            "revised": revised,
            "for_pdf": False,
            "charts": documents.chart_svgs(snapshot),
            "chart_alt": documents.chart_alt,
            "may_prepare": can(request.user, Perm.PREPARE_REPORTS),
            "section": "reports",
        },
    )
    return _private_if_draft(response, report)


@require_safe
def edition_pdf(request: HttpRequest, kind_slug: str, period: str) -> HttpResponse:
    """The PDF made at publication, byte for byte, whatever has changed since; while it is
    still being made, 503 with Retry-After and a page that says so. A draft's PDF is made for
    staff on request (stored by its content)."""
    report, snapshot = _edition(request, kind_slug, period)
    if report.is_published:
        pdf = selectors.report_pdf(report=report)
    else:
        pdf = documents.draft_pdf(report=report, snapshot=snapshot)
    if pdf is None:
        busy = render(
            request,
            "reports/pdf_preparing.html",
            {"report": report, "slug": kind_slug, "section": "reports"},
            status=503,
        )
        busy["Retry-After"] = str(PDF_RETRY_AFTER_SECONDS)
        busy["Cache-Control"] = "no-store"
        return _private_if_draft(busy, report)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{kind_slug}-{report.period_key}{'-draft' if not report.is_published else ''}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return _private_if_draft(response, report)


@require_safe
def edition_csv(request: HttpRequest, kind_slug: str, period: str) -> HttpResponse:
    """Every figure the report shows, as published (or, for a draft, as it stands)."""
    report, snapshot = _edition(request, kind_slug, period)
    rows = assemble.figure_rows(snapshot)
    response = HttpResponse(
        to_csv(
            assemble.FIGURE_COLUMNS, ([row[c] for c in assemble.FIGURE_COLUMNS] for row in rows)
        ),
        content_type="text/csv; charset=utf-8",
    )
    name = f"{kind_slug}-{report.period_key}{'-draft' if not report.is_published else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private_if_draft(response, report)


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def edition_docx(request: HttpRequest, kind_slug: str, period: str) -> HttpResponse:
    """The report as a Word document, from the snapshot: a published one made once and kept
    in storage; a draft's made for the staff member who asks."""
    report, snapshot = _edition(request, kind_slug, period)
    data = selectors.report_docx(report=report, snapshot=snapshot)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    name = f"{kind_slug}-{report.period_key}{'-draft' if not report.is_published else ''}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private_if_draft(response, report)


@require_safe
def summaries(request: HttpRequest) -> HttpResponse:
    """Every published summary of consultation responses and each of its archived versions."""
    return render(
        request,
        "reports/summaries.html",
        {"consultations": selectors.summary_editions(), "section": "reports"},
    )


@require_safe
def summary_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    pdf = selectors.summary_edition_pdf(slug=slug, number=number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-summary-version-{number}.pdf"'
    return response
