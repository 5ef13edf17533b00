"""Reads for reports: the archive, one edition as a reader or a member of staff may see it, its
contents (the frozen snapshot once published, assembled now while a draft), its checklist and
whether its figures were revised after publication."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404

from policeplan.core.roles import Perm, can
from policeplan.performance import selectors as performance
from policeplan.reports import assemble, checklist
from policeplan.reports.kinds import KIND_BY_SLUG, ReportKind
from policeplan.reports.models import PdfState, Report

PERIOD_KEY = re.compile(r"[0-9]{4}-[0-9]{2}(-Q[1-4])?")


def kind_from_slug(slug: str) -> ReportKind:
    try:
        return KIND_BY_SLUG[slug]
    except KeyError:
        raise Http404("No such kind of report") from None


def reports_published(*, kind: str | None = None) -> QuerySet[Report]:
    found = Report.objects.filter(published_at__isnull=False)
    if kind is not None:
        found = found.filter(kind=kind)
    return found.defer("snapshot", "sources").order_by("kind", "-period_end")


def report_for_viewer(*, kind: str, period_key: str, user: Any) -> Report:
    """A published edition; a draft only for staff who prepare reports (404 to others, so a
    draft's existence does not leak). A key no period has (a NUL byte, which PostgreSQL
    refuses in a query, included) is 404 before any lookup."""
    if not PERIOD_KEY.fullmatch(period_key):
        raise Http404("No such report")
    found = (
        Report.objects.select_related("plan_version__plan", "published_by")
        .filter(kind=kind, period_key=period_key)
        .first()
    )
    if found is None or (not found.is_published and not can(user, Perm.PREPARE_REPORTS)):
        raise Http404("No such report")
    return found


def reports_for_staff() -> QuerySet[Report]:
    return (
        Report.objects.select_related("plan_version__plan", "published_by")
        .defer("snapshot", "sources")
        .order_by("kind", "-period_end")
    )


def report_for_staff(*, pk: int) -> Report:
    found = Report.objects.select_related("plan_version__plan", "published_by").filter(pk=pk)
    report = found.first()
    if report is None:
        raise Http404("No such report")
    return report


def report_contents(*, report: Report) -> dict[str, Any]:
    """What the report shows: the snapshot frozen at publication, never recomputed; a draft's
    contents as they stand now."""
    if report.is_published and report.snapshot is not None:
        return report.snapshot
    return assemble.assemble(report)


def report_requirements(*, report: Report, snapshot: dict[str, Any]) -> list[Any]:
    return checklist.requirements(report=report, snapshot=snapshot)


def revised_since(*, snapshot: dict[str, Any]) -> list[str]:
    """The measures any of whose published figures (the force's, a BCU's or a borough's, for
    the same period) has since been revised or withdrawn, by title (one query): the page's
    banner names them. A figure withheld when published is not compared."""
    shown = []
    for m in assemble.measures_of(snapshot):
        if not m["period_key"]:
            continue
        for a in m["areas"]:
            if a["value"] is not None:
                shown.append((m, a, (m["lineage"], a["area_id"], m["kind"], m["period_key"])))
    now = performance.figures_at(keys=[key for _m, _a, key in shown])
    revised: list[str] = []
    for m, a, key in shown:
        current = now.get(key)
        published = (a["value"], a["lower"], a["upper"])
        changed = current is None or not all(
            _same(x, y) for x, y in zip(current, published, strict=True)
        )
        if changed and m["title"] not in revised:
            revised.append(m["title"])
    return revised


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def report_pdf(*, report: Report) -> bytes | None:
    """A published report's PDF as made at publication; None while it is being made."""
    if report.pdf_state != PdfState.READY or not report.pdf_name:
        return None
    try:
        with default_storage.open(report.pdf_name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def consultation_summaries() -> list[Any]:
    """The published summaries of consultation responses (the analysis app's documents)."""
    from policeplan.consultations import selectors as consultations

    return [
        c
        for group in consultations.consultations_public().values()
        for c in group
        if c.results_published_at is not None
    ]


def report_docx(*, report: Report, snapshot: dict[str, Any]) -> bytes:
    """The report as a Word document: a published one built once from its snapshot and kept
    in storage under the snapshot's hash; a draft's built now."""
    from django.core.files.base import ContentFile

    from policeplan.reports import docx

    if not report.is_published or not report.snapshot_sha256:
        return docx.build(snapshot)
    name = f"generated/reports/{report.pk}/{report.snapshot_sha256}.docx"
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        data = docx.build(snapshot)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
        return data


def summary_editions() -> list[tuple[Any, list[Any]]]:
    """Each consultation with published results and its archived summaries, newest first."""
    from policeplan.reports.models import SummaryEdition

    published = {c.pk: c for c in consultation_summaries()}
    by_consultation: dict[int, list[Any]] = {}
    for edition in SummaryEdition.objects.filter(consultation_id__in=published).order_by("-number"):
        by_consultation.setdefault(edition.consultation_id, []).append(edition)
    return [(c, by_consultation.get(pk, [])) for pk, c in published.items()]


def summary_edition_pdf(*, slug: str, number: int) -> bytes:
    """An archived summary's PDF, byte for byte; 404 when there is none (or its results are
    no longer published)."""
    from policeplan.reports.models import SummaryEdition

    edition = SummaryEdition.objects.filter(
        consultation__slug=slug, consultation__results_published_at__isnull=False, number=number
    ).first()
    if edition is None:
        raise Http404("No such edition")
    try:
        with default_storage.open(edition.pdf_name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise Http404("No such edition") from None
