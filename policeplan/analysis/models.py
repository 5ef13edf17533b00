"""Codeframes: the themes analysts code answers into, per question, with every version kept.

A codeframe starts as the machine's suggestion; analysts rename, merge, split, add and remove
themes and then finalise it. Editing a finalised codeframe makes a new version (the old one
stays exactly as it was), and a theme keeps its lineage across versions, so an assignment
made against one version can be followed to the theme it became.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from policeplan.core.models import BaseModel


class Codeframe(BaseModel):
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.PROTECT, related_name="codeframes"
    )
    question = models.ForeignKey(
        "consultations.Question",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="codeframes",
        help_text="Empty for the codeframe of written submissions and event notes.",
    )
    version = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    engine = models.CharField(max_length=40, blank=True, help_text="Which engine suggested it.")
    change_note = models.TextField(blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreement = models.JSONField(
        null=True,
        blank=True,
        help_text="The machine's agreement with the analysts' blind coding of a random sample.",
    )
    agreement_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "question", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question", "version"], name="codeframe_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Codeframe v{self.version} for {self.question or 'written submissions'}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class Theme(models.Model):
    codeframe = models.ForeignKey(Codeframe, on_delete=models.CASCADE, related_name="themes")
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    examples = models.JSONField(
        default=list, blank=True, help_text="Example quotes: [{'answer': id, 'text': ...}]."
    )
    share = models.FloatField(null=True, blank=True, help_text="Share of answers, as suggested.")
    came_from = models.JSONField(
        default=list, blank=True, help_text="Lineages of the themes merged or split into this one."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["codeframe", "lineage"], name="theme_once_per_version")
        ]

    def __str__(self) -> str:
        return self.label


class Stance(models.TextChoices):
    AGREE = "agree", "Agree"
    DISAGREE = "disagree", "Disagree"
    MIXED = "mixed", "Mixed"
    UNCLEAR = "unclear", "Unclear"


class CodedText(models.Model):
    """One text coded against one version of a codeframe: an answer to the question, a written
    submission (the response's body) or an event's notes. The text itself stays where it is,
    so a withdrawn response drops out of every count."""

    codeframe = models.ForeignKey(Codeframe, on_delete=models.CASCADE, related_name="texts")
    answer = models.ForeignKey(
        "consultations.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    response = models.ForeignKey(
        "consultations.Response", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "consultations.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    themes = models.ManyToManyField(Theme, through="TextTheme", related_name="texts")
    machine = models.JSONField(
        default=list, blank=True, help_text="The machine's coding: [{theme, confidence}]."
    )
    confidence = models.FloatField(
        default=0, help_text="The least certain of the machine's decisions (0 when none fits)."
    )
    stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    evidence_rich = models.BooleanField(default=False)
    evidence = models.JSONField(default=list, blank=True, help_text="Kinds of evidence given.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_sample = models.BooleanField(default=False, help_text="Drawn for blind coding.")
    blind = models.JSONField(
        null=True, blank=True, help_text="The analyst's blind coding: theme lineages."
    )
    blind_at = models.DateTimeField(null=True, blank=True)
    blind_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["confidence", "pk"]
        indexes = [models.Index(fields=["codeframe", "confidence"])]
        constraints = [
            models.UniqueConstraint(
                fields=["codeframe", "answer"],
                condition=models.Q(answer__isnull=False),
                name="coded_answer_once",
            ),
            models.UniqueConstraint(
                fields=["codeframe", "response"],
                condition=models.Q(answer__isnull=True, response__isnull=False),
                name="coded_submission_once",
            ),
            models.UniqueConstraint(
                fields=["codeframe", "event"],
                condition=models.Q(event__isnull=False),
                name="coded_event_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} coded against {self.codeframe}"

    @property
    def text(self) -> str:
        if self.answer is not None:
            return self.answer.text
        if self.event is not None:
            return self.event.notes
        return self.response.body if self.response is not None else ""

    @property
    def source(self) -> str:
        if self.answer_id:
            return "Answer"
        if self.event_id:
            return "Event notes"
        return self.response.get_channel_display() if self.response is not None else ""


class TextTheme(models.Model):
    coded = models.ForeignKey(CodedText, on_delete=models.CASCADE, related_name="links")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")
    confidence = models.FloatField(null=True, blank=True, help_text="Empty when an analyst set it.")
    by_analyst = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coded", "theme"], name="text_theme_once")]

    def __str__(self) -> str:
        return f"{self.theme} on text {self.coded_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class AnalysisRun(models.Model):
    """One background run of the engine over a codeframe: assigning themes to every text."""

    codeframe = models.ForeignKey(Codeframe, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.codeframe}: {self.get_status_display()}"


class Redaction(models.Model):
    """A phrase an analyst masked in a response before it can be quoted, and why."""

    response = models.ForeignKey(
        "consultations.Response", on_delete=models.CASCADE, related_name="redactions"
    )
    phrase = models.CharField(max_length=300)
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Masked in response {self.response_id}: {self.reason}"


class ThemeResponse(BaseModel):
    """'You said, we did' for one theme: what people said and the office's response. Keyed by
    the theme's lineage, so it follows the theme through later versions of the codeframe."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="theme_responses"
    )
    lineage = models.UUIDField()
    label = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    you_said = models.TextField("what people said", help_text="A summary in plain English.")
    we_did = models.TextField("our response", help_text="The office's response. Markdown.")

    class Meta:
        ordering = ["consultation", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "lineage"], name="one_response_a_theme"
            ),
            models.UniqueConstraint(fields=["consultation", "slug"], name="theme_response_slug"),
        ]

    def __str__(self) -> str:
        return self.label


class PlanChange(BaseModel):
    """A change between the consultation draft and the final plan, and the themes and the
    scrutiny body's recommendations that caused it (at least one of either)."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="plan_changes"
    )
    from_version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.PROTECT, related_name="+"
    )
    to_version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(
        "what changed", max_length=300, help_text="As the version comparison names it."
    )
    summary = models.TextField("how it changed and why")
    themes = models.ManyToManyField(ThemeResponse, related_name="plan_changes", blank=True)
    recommendations = models.ManyToManyField(
        "scrutiny.Recommendation", related_name="plan_changes", blank=True
    )
    measure_lineage = models.UUIDField(
        null=True, blank=True, help_text="The measure in the final plan that tracks it."
    )

    class Meta:
        ordering = ["consultation", "pk"]

    def __str__(self) -> str:
        return self.item
