"""Reports: one edition per kind and period. A draft is assembled from the live records each
time it is shown; publishing freezes what it shows (every figure and text) into `snapshot`,
with the hashes of the imported files behind the figures, and from then on the page, the PDF
and the CSV show that snapshot and nothing recomputed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from policeplan.core.models import BaseModel
from policeplan.reports.kinds import ReportKind

# A PDF not made this long after publishing is taken to be lost with its worker.
PDF_LATE = datetime.timedelta(minutes=10)


class PdfState(models.TextChoices):
    NONE = "", "Not started"
    QUEUED = "queued", "Waiting to start"
    RENDERING = "rendering", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Report(BaseModel):
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    period_key = models.CharField(max_length=20)
    period_label = models.CharField(max_length=80)
    period_start = models.CharField(max_length=7)
    period_end = models.CharField(max_length=7)
    plan_version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.PROTECT, related_name="reports"
    )
    foreword = models.TextField(blank=True, help_text="Markdown.")
    # What the Specified Information Order and s.12 ask an annual report to say (Markdown).
    functions = models.TextField(
        "how the office exercised its functions", blank=True, help_text="Markdown."
    )
    national_priorities = models.TextField(
        "contribution to national policing priorities", blank=True, help_text="Markdown."
    )
    inspection = models.TextField(
        "latest inspection (PEEL) findings", blank=True, help_text="Markdown."
    )
    complaints = models.TextField("complaints handling", blank=True, help_text="Markdown.")

    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Frozen at publication: everything the report shows, and what its figures came from.
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    sources = models.JSONField(default=dict, blank=True)

    pdf_state = models.CharField(max_length=12, choices=PdfState.choices, default="", blank=True)
    pdf_progress = models.PositiveSmallIntegerField(default=0)  # per cent
    pdf_step = models.CharField(max_length=120, blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)  # in default storage
    pdf_error = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_key"], name="one_report_a_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def pdf_may_retry(self) -> bool:
        """Failed, or still not made long after publishing (its worker died): make it again."""
        if self.pdf_state == PdfState.FAILED:
            return True
        late = self.published_at is not None and timezone.now() - self.published_at > PDF_LATE
        return late and self.pdf_state in (PdfState.QUEUED, PdfState.RENDERING)


class SummaryEdition(models.Model):
    """One published version of a consultation's summary of responses, frozen: the PDF made
    from it, kept for good. The summary page shows the current version; each time what it
    publishes changes (the office's responses, the plan changes it led to), the worker that
    makes its PDF records a new edition here, so every version a reader saw stays readable."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    html_sha256 = models.CharField(max_length=64)
    pdf_name = models.CharField(max_length=200)
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["consultation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="one_edition_number"),
        ]

    def __str__(self) -> str:
        return f"Summary of responses, version {self.number}"
