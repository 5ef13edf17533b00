"""A report as a web page and as a tagged PDF, from one template (`reports/_body.html`) and the
one document pipeline (`policeplan.core.documents`).

Both read only the snapshot (a published report's stored one, or a draft's assembled now), so
what they show is what was published. Each chart is drawn from the spec in the snapshot: on
the page as inline SVG beside its table, in the PDF as an image with the same words as its
alternative text (WeasyPrint tags it as a Figure with /Alt).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from policeplan.core import documents
from policeplan.performance import charts
from policeplan.reports.assemble import measures_of

Progress = Callable[[int, str], None]


def chart_alt(m: dict[str, Any], which: str) -> str:
    if which == "trend":
        return (
            f"Line chart of {m['title']} for {m['area']} over time, with its 95% interval "
            "shaded. The latest figures are in the table that follows."
        )
    return (
        f"Bar chart of {m['title']} by borough for {m['period']}, highest first, with 95% "
        "intervals. The figures are in the table that follows."
    )


def chart_svgs(snapshot: dict[str, Any], progress: Progress | None = None) -> dict[str, str]:
    """Every chart of the report as SVG, by '<lineage>:<trend|ranked>' (cached per spec)."""
    wanted = [
        (f"{m['lineage']}:{which}", m[which])
        for m in measures_of(snapshot)
        for which in ("trend", "ranked")
        if m.get(which)
    ]
    out = {}
    for done, (key, spec) in enumerate(wanted, start=1):
        out[key] = charts.svg(spec)
        if progress is not None:
            progress(10 + 60 * done // len(wanted), f"Drawing chart {done} of {len(wanted)}")
    return out


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def pdf_html(snapshot: dict[str, Any], *, draft: bool, progress: Progress | None = None) -> str:
    """The HTML the PDF is made from: the body template with every chart as an image."""
    svgs = chart_svgs(snapshot, progress)
    return render_to_string(
        "reports/document.html",
        {
            "r": snapshot,
            "draft": draft,
            "for_pdf": True,
            "charts": {key: _data_uri(svg) for key, svg in svgs.items()},
            "chart_alt": chart_alt,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )


def render(snapshot: dict[str, Any], *, draft: bool, progress: Progress | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA: language, title, bookmarks from its headings)."""
    html = pdf_html(snapshot, draft=draft, progress=progress)
    if progress is not None:
        progress(75, "Laying out the pages")
    return documents.render_pdf(html)


def draft_pdf(*, report: Any, snapshot: dict[str, Any]) -> bytes | None:
    """A draft's PDF for staff to check, as it stands now: from storage when this content has
    been made; otherwise None, and a job makes it (a long report takes longer than a request
    should), once however often it is asked for."""
    from django.core.cache import caches

    from policeplan.core import jobs
    from policeplan.reports import tasks

    folder = f"reports/{report.pk}/draft"
    html = pdf_html(snapshot, draft=True)
    pdf = documents.stored_only(folder=folder, html=html)
    if pdf is None and caches["shared"].add(
        f"report-draft-pdf:{documents.pdf_name(folder=folder, html=html)}",
        1,
        timeout=documents.RENDER_LOCK_SECONDS,
    ):
        jobs.enqueue(tasks.make_draft_pdf, report.pk)
    return pdf


def draft_pdf_make(*, report_id: int) -> None:
    """Make and store a draft's PDF as it stands now (the job behind `draft_pdf`)."""
    from policeplan.reports import selectors
    from policeplan.reports.models import Report

    report = Report.objects.filter(pk=report_id, published_at__isnull=True).first()
    if report is None:
        return
    snapshot = selectors.report_contents(report=report)
    documents.stored_pdf(folder=f"reports/{report.pk}/draft", html=pdf_html(snapshot, draft=True))
