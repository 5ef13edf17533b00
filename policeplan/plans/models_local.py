"""A borough's local priorities for a year, as agreed, with the evidence they were agreed on
(frozen: the pack is stored as it was, with its SHA-256)."""

from __future__ import annotations

from django.db import models

from policeplan.core.models import BaseModel


class LocalPriorities(BaseModel):
    borough = models.ForeignKey(
        "performance.Area", on_delete=models.PROTECT, related_name="local_priorities"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year it starts: 2026 is 2026-27."
    )
    chosen = models.JSONField(help_text="The menu's slugs, in the order agreed.")
    chosen_titles = models.JSONField(help_text="Their titles when agreed.")
    mandatory = models.JSONField(help_text="The mandatory priorities when agreed.")
    council = models.CharField(max_length=200, help_text="Who agreed it for the council.")
    commander = models.CharField(max_length=200, help_text="The borough or BCU commander.")
    partnership = models.CharField(max_length=200, help_text="The community safety partnership.")
    agreed_on = models.DateField()
    evidence = models.JSONField()
    evidence_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-year", "borough__name"]
        verbose_name_plural = "local priorities"
        constraints = [
            models.UniqueConstraint(fields=["borough", "year"], name="plans_local_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.borough} {self.year}-{str(self.year + 1)[2:]}"

    @property
    def year_label(self) -> str:
        return f"{self.year}-{str(self.year + 1)[2:]}"
