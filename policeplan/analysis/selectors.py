"""Reads for analysis."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from policeplan.analysis.models import Codeframe, Theme


def codeframe_history(*, question: Any) -> list[Codeframe]:
    """Every version of a question's codeframe, newest first, each with its themes."""
    return list(
        Codeframe.objects.filter(question=question)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "pk")))
        .order_by("-version")
    )
