"""The body's reports and their numbered recommendations, the office's formal response to each
(with milestones and dated progress), and the body's statutory review of a draft plan.

A report is a draft (seen by those who run scrutiny and the body's own members) until it is
published; a response is the office's draft (seen only by those who run scrutiny) until it is
published. `scrutiny.disclosure` decides both. A target date that has been published never
moves silently: each change after publication keeps the old date, the new one and the reason
(`DateChange`), and the public pages show that history.

Recommendations point at the plan by lineage (priority, outcome, measure, commitment), as
`analysis.PlanChange.measure_lineage` does, so a link survives the plan's next version.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from policeplan.core.models import BaseModel
from policeplan.scrutiny.formats import BodyFormat


class ReportKind(models.TextChoices):
    DRAFT_PLAN = "draft_plan", "Report on the draft plan"
    ANNUAL_REPORT = "annual_report", "Report on the annual report"
    INVESTIGATION = "investigation", "Investigation"


class Report(BaseModel):
    """A report of the body, with numbered recommendations the office must respond to."""

    committee = models.ForeignKey(
        "scrutiny.Committee", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="The report's text.")
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    document_url = models.URLField(blank=True, max_length=500, help_text="The report as published.")
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version of the plan it reviews (a report on the draft plan).",
    )
    published_on = models.DateField("published", null=True, blank=True)
    response_due_on = models.DateField("response due", null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class Recommendation(BaseModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField("recommendation")
    boroughs = models.ManyToManyField(
        "performance.Area",
        blank=True,
        related_name="recommendations",
        help_text="The boroughs it concerns (shown on their pages).",
    )

    class Meta:
        ordering = ["report", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="one_recommendation_per_number"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="recommendation_number"),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class PlanElement(models.TextChoices):
    PRIORITY = "priority", "Priority"
    OUTCOME = "outcome", "Outcome"
    MEASURE = "measure", "Measure"
    COMMITMENT = "commitment", "Commitment"


class RecommendationLink(models.Model):
    """A plan element a recommendation concerns, by lineage (stable across versions)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="links"
    )
    element = models.CharField(max_length=20, choices=PlanElement.choices)
    lineage = models.UUIDField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "element", "lineage"], name="recommendation_link_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_element_display()} {self.lineage}"


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTLY = "partly", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class OfficeResponse(BaseModel):
    """The office's formal response to one recommendation."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="response"
    )
    decision = models.CharField(max_length=20, choices=ResponseDecision.choices)
    reasons = models.TextField()
    will_do = models.TextField("what the office will do", blank=True)
    target_on = models.DateField("by when", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation"]

    def __str__(self) -> str:
        return f"Response to {self.recommendation}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Milestone(BaseModel):
    response = models.ForeignKey(
        OfficeResponse, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=300)
    due_on = models.DateField("due")
    done_on = models.DateField("done", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, now: Any = None) -> bool:
        """Not done and its due day (a London day) has passed."""
        return self.done_on is None and self.due_on < timezone.localdate(now or timezone.now())


class MilestoneUpdate(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date")
    text = models.TextField("update")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"


class DateChange(models.Model):
    """A published target date moved: from what, to what, and why. Of a response's 'by when'
    or of a milestone's due date (exactly one of the two)."""

    response = models.ForeignKey(
        OfficeResponse, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(response__isnull=True) & models.Q(milestone__isnull=False))
                | (models.Q(response__isnull=False) & models.Q(milestone__isnull=True)),
                name="date_change_of_one_thing",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="date_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.old_date} → {self.new_date}: {self.reason[:60]}"


class PlanReview(BaseModel):
    """The body's statutory review of a plan version published for consultation: opened when
    the version is published, with the dates the body has to report."""

    committee = models.ForeignKey(
        "scrutiny.Committee", on_delete=models.PROTECT, related_name="plan_reviews"
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField("opens")
    closes_on = models.DateField("closes")

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "plan_version"], name="one_review_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="review_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.plan_version_id} by {self.committee_id}"

    def is_open(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on
