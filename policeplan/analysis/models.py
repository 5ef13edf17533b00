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
