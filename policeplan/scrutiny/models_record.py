"""The office's public record before its scrutiny body: its formal decisions (the decisions
log) and the questions put to it, each linked to the plan by lineage and to the meetings
where they came up. Kept apart from `models` (which imports these) so each file reads in one
sitting.

What the public may see of them is decided by `scrutiny.disclosure`: a draft decision and a
decision's exempt part (Part 2, with its documents) only by those who run scrutiny; a draft
question by them and by the members of the body that asked it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from policeplan.core.models import BaseModel
from policeplan.core.uploads import stored_name


class PlanLinkKind(models.TextChoices):
    PRIORITY = "priority", "Priority"
    OUTCOME = "outcome", "Outcome"
    COMMITMENT = "commitment", "Commitment"


class PlanLink(models.Model):
    """A link to a part of the plan by its lineage (so it follows the item into later
    versions), with the priority it sat under and its title when linked (shown if a later
    plan no longer has it)."""

    kind = models.CharField(max_length=20, choices=PlanLinkKind.choices)
    lineage = models.UUIDField()
    priority_lineage = models.UUIDField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=300)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


def money_text(value: Decimal | None) -> str:
    """£1,250,000 or £12,345.67 (pence only when there are some); '' when there is none."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


class Decision(BaseModel):
    """A formal decision of the office ('PCD 1031'): public once published, but for its
    exempt part (Part 2), which is withheld from the public with the reason."""

    reference = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Made from the reference.")
    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="Markdown.")
    decision_maker = models.CharField(max_length=200, help_text="Who decided: their name.")
    decision_maker_role = models.CharField(max_length=200, help_text="Their role.")
    decided_on = models.DateField("date of the decision")
    value = models.DecimalField(
        "value (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    exempt_summary = models.TextField(
        "exempt part (Part 2)", blank=True, help_text="Never public. Markdown."
    )
    exempt_reason = models.CharField(
        "why Part 2 is exempt",
        max_length=300,
        blank=True,
        help_text="Shown to the public in its place.",
    )
    meeting = models.ForeignKey(
        "scrutiny.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    item = models.ForeignKey(
        "scrutiny.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exempt_summary="") | ~models.Q(exempt_reason=""),
                name="decision_part2_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="decision_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_part2(self) -> bool:
        return bool(self.exempt_reason)

    @property
    def value_text(self) -> str:
        return money_text(self.value)


def decision_document_path(instance: DecisionDocument, filename: str) -> str:
    """A name the server makes; the sender's file name is kept only as data."""
    return f"scrutiny/decisions/{instance.decision_id}/{stored_name(filename)}"


class DecisionDocument(BaseModel):
    """A document of a decision (the signed decision form, a report). One in Part 2 is
    withheld with the rest of Part 2."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=decision_document_path, max_length=300)
    original_name = models.CharField(max_length=255, help_text="Data only.")
    size = models.PositiveIntegerField(default=0)
    part2 = models.BooleanField("in Part 2 (exempt)", default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        name = self.original_name
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""


class DecisionPlanLink(PlanLink):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="plan_links")

    class Meta(PlanLink.Meta):
        constraints = [
            models.UniqueConstraint(fields=["decision", "lineage"], name="decision_links_once")
        ]


class QuestionStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting an answer"
    ANSWERED = "answered", "Answered"


class Question(BaseModel):
    """A question put to the office by a member of the body (or someone it invited), at a
    meeting or in writing, and the office's answer. Public once published."""

    committee = models.ForeignKey(
        "scrutiny.Committee", on_delete=models.PROTECT, related_name="questions"
    )
    meeting = models.ForeignKey(
        "scrutiny.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text="Empty for a question put in writing.",
    )
    item = models.ForeignKey(
        "scrutiny.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    asked_by = models.CharField(max_length=200, help_text="For example 'Amara Okoye AM'.")
    asked_on = models.DateField()
    text = models.TextField("question")
    answer = models.TextField(blank=True, help_text="Markdown.")
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-asked_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("asked_on")),
                name="question_answered_after_asked",
            ),
            models.CheckConstraint(
                condition=(models.Q(answered_on__isnull=True) & models.Q(answer=""))
                | (models.Q(answered_on__isnull=False) & ~models.Q(answer="")),
                name="question_answer_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status(self) -> str:
        return QuestionStatus.ANSWERED if self.answered_on else QuestionStatus.AWAITING

    def get_status_display(self) -> str:
        return str(QuestionStatus(self.status).label)

    def answer_due(self, days: int) -> datetime.date:
        return self.asked_on + datetime.timedelta(days=days)

    def answered_late(self, days: int) -> bool:
        """Answered, but after the day the answer was due."""
        return self.answered_on is not None and self.answered_on > self.answer_due(days)

    def is_overdue(self, days: int, now: datetime.datetime | None = None) -> bool:
        """Still unanswered more than `days` London days after it was asked."""
        if self.answered_on is not None:
            return False
        return self.answer_due(days) < timezone.localdate(now or timezone.now())


class QuestionPlanLink(PlanLink):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="plan_links")

    class Meta(PlanLink.Meta):
        constraints = [
            models.UniqueConstraint(fields=["question", "lineage"], name="question_links_once")
        ]
