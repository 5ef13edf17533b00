"""Writes for reports: start an edition, write its texts, publish it (frozen), make its PDF."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from policeplan.core import dates, jobs
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record, model_changes
from policeplan.performance import selectors as performance
from policeplan.reports import assemble, checklist
from policeplan.reports.kinds import BadPeriod, period_of
from policeplan.reports.models import PdfState, Report

log = logging.getLogger(__name__)

TEXT_FIELDS = assemble.TEXTS


class NotReady(Exception):
    """Publishing refused: the requirements named are not met."""

    def __init__(self, missing: list[checklist.Requirement]) -> None:
        super().__init__(f"{len(missing)} things are missing")
        self.missing = missing


def report_create(*, user: Any, kind: str, period_key: str, plan_version: Any) -> Report:
    """A new draft edition; ValidationError naming the field for a bad or taken period."""
    ensure(user, Perm.PREPARE_REPORTS)
    try:
        period = period_of(kind, period_key)
    except BadPeriod as bad:
        raise ValidationError({"period_key": str(bad)}) from None
    if plan_version.published_at is None or plan_version.state != "final":
        raise ValidationError({"plan_version": "Choose a published final plan."})
    this_month = timezone.localdate().strftime("%Y-%m")
    if period.end >= this_month:
        raise ValidationError(
            {"period_key": f"{period.label} has not ended yet: a report covers a past period."}
        )
    plan_starts = plan_version.plan.starts_on.strftime("%Y-%m")
    if period.end < plan_starts:
        raise ValidationError(
            {
                "period_key": f"{period.label} ended before the plan started "
                f"({dates.day(plan_version.plan.starts_on)}): choose a period it covers."
            }
        )
    with transaction.atomic():
        if Report.all_objects.filter(kind=kind, period_key=period.key).exists():
            raise ValidationError(
                {"period_key": f"There is already a report of this kind for {period.label}."}
            )
        report = Report(
            kind=kind,
            period_key=period.key,
            period_label=period.label,
            period_start=period.start,
            period_end=period.end,
            plan_version=plan_version,
            created_by=user,
            modified_by=user,
        )
        report.full_clean()
        report.save()
        audit_record(actor=user, action="report.create", obj=report)
    return report


def report_texts_save(*, user: Any, report: Report, **texts: str) -> Report:
    """Change a draft's texts (foreword and the annual report's statutory statements)."""
    ensure(user, Perm.PREPARE_REPORTS)
    with transaction.atomic():
        found = Report.objects.select_for_update().get(pk=report.pk)
        if found.is_published:
            raise ValidationError("This report is published: its texts can no longer change.")
        before = {name: getattr(found, name) for name in TEXT_FIELDS}
        for name in TEXT_FIELDS:
            if name in texts:
                setattr(found, name, texts[name])
        found.modified_by = user
        found.full_clean()
        found.save(update_fields=[*TEXT_FIELDS, "modified_by", "modified_at"])
        audit_record(
            actor=user,
            action="report.texts",
            obj=found,
            changes=model_changes(found, TEXT_FIELDS, before),
        )
    return found


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode("utf-8")
    ).hexdigest()


def report_publish(*, user: Any, report: Report) -> Report:
    """Freeze the report: store everything it shows and the files its figures came from,
    then make its PDF in the background. Refused (NotReady, naming each missing item) while
    any commentary it shows is not approved or, for an annual report, a statutory item is
    missing. Publishing twice publishes once."""
    ensure(user, Perm.PUBLISH_REPORTS)
    with transaction.atomic():
        found = (
            Report.objects.select_for_update()
            .select_related("plan_version__plan")
            .get(pk=report.pk)
        )
        if found.is_published:
            return found
        snapshot = assemble.assemble(found)
        missing = checklist.missing(report=found, snapshot=snapshot)
        if missing:
            raise NotReady(missing)
        now = timezone.now()
        snapshot["published_on"] = dates.day(now)
        found.snapshot = snapshot
        found.snapshot_sha256 = snapshot_digest(snapshot)
        found.sources = {"imports": performance.import_sources()}
        found.published_at = now
        found.published_by = user
        found.modified_by = user
        found.pdf_state = PdfState.QUEUED
        found.pdf_progress = 0
        found.pdf_step = ""
        found.save()
        audit_record(
            actor=user,
            action="report.publish",
            obj=found,
            changes={"snapshot_sha256": ["", found.snapshot_sha256]},
        )
        from policeplan.reports import tasks

        jobs.enqueue(tasks.make_report_pdf, found.pk)
    return found


def report_pdf_retry(*, user: Any, report: Report) -> Report:
    """Queue a published report's PDF again after it failed or was lost with its worker."""
    ensure(user, Perm.PUBLISH_REPORTS)
    with transaction.atomic():
        found = Report.objects.select_for_update().get(pk=report.pk)
        if found.is_published and found.pdf_may_retry:
            found.pdf_state, found.pdf_progress, found.pdf_error = PdfState.QUEUED, 0, ""
            found.save(update_fields=["pdf_state", "pdf_progress", "pdf_error"])
            audit_record(actor=user, action="report.pdf_retry", obj=found)
            from policeplan.reports import tasks

            jobs.enqueue(tasks.make_report_pdf, found.pk)
    return found


def _progress(report_id: int) -> Any:
    def record(percent: int, step: str) -> None:
        Report.objects.filter(pk=report_id).update(pdf_progress=percent, pdf_step=step[:120])

    return record


def report_pdf_make(*, report_id: int) -> None:
    """Make a published report's PDF from its snapshot and store it (the job). Once made it
    is never made again: the file served is the one made at publication."""
    from policeplan.reports import documents

    report = Report.objects.filter(pk=report_id, published_at__isnull=False).first()
    if report is None or report.pdf_state == PdfState.READY:
        return
    Report.objects.filter(pk=report_id).update(
        pdf_state=PdfState.RENDERING, pdf_progress=5, pdf_step="Starting"
    )
    try:
        pdf = documents.render(report.snapshot, draft=False, progress=_progress(report_id))
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"generated/reports/{report_id}/{digest}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(pdf))
    except Exception as error:
        log.exception("Making the PDF of report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            pdf_state=PdfState.FAILED, pdf_step="Failed", pdf_error=str(error)[:2000]
        )
        return
    Report.objects.filter(pk=report_id).update(
        pdf_state=PdfState.READY, pdf_progress=100, pdf_step="Ready", pdf_name=name
    )


def summary_edition_record(*, consultation: Any, html: str, pdf: bytes) -> Any:
    """Archive this version of a published summary of responses (its PDF, made from `html`)
    unless it is the same as the latest edition: the worker calls it each time it makes the
    summary's PDF. Returns the new edition, or None when nothing changed."""
    from django.db import IntegrityError

    from policeplan.reports.models import SummaryEdition

    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    try:
        with transaction.atomic():
            latest = (
                SummaryEdition.objects.select_for_update()
                .filter(consultation=consultation)
                .order_by("-number")
                .first()
            )
            if latest is not None and latest.html_sha256 == digest:
                return None
            number = (latest.number if latest else 0) + 1
            pdf_digest = hashlib.sha256(pdf).hexdigest()
            name = default_storage.save(
                f"generated/summaries/{consultation.pk}/{number}-{pdf_digest}.pdf",
                ContentFile(pdf),
            )
            edition = SummaryEdition.objects.create(
                consultation=consultation,
                number=number,
                published_at=timezone.now(),
                html_sha256=digest,
                pdf_name=name,
                pdf_sha256=pdf_digest,
            )
            audit_record(actor=None, action="summary.edition", obj=edition)
            return edition
    except IntegrityError:  # another worker recorded the same version at the same moment
        return None
