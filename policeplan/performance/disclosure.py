"""Disclosure control and presentation of figures: the same rules for every page, download
and API response. Counts below DISCLOSURE_MIN_COUNT are shown as 'fewer than N', and rates
and percentages built on them are withheld; survey results on bases below SURVEY_MIN_BASE
are not shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Shown:
    value: str
    interval: str
    numerator: str
    base: str
    suppressed: bool
    raw: float | None  # the number charts and sorting use; None when withheld


def number(x: float, unit: str) -> str:
    if unit == "percentage":
        return f"{x * 100:.1f}%"
    if unit == "rate_per_1000":
        return f"{x:.2f}"
    return f"{x:,.0f}"


def present(figure: Any, unit: str, dataset: str = "") -> Shown:
    """How a stored value may be shown to the public."""
    limit = settings.DISCLOSURE_MIN_COUNT
    numerator, base = figure.numerator, figure.denominator
    base_text = f"{base:,.0f}" if base is not None else ""
    if dataset == "pas":
        if base is None or base < settings.SURVEY_MIN_BASE:
            return Shown("not shown", "", "", base_text, True, None)
    elif numerator < limit:
        low = f"fewer than {limit}"
        shown = low if unit == "count" else "not shown"
        return Shown(shown, "", low, base_text, True, None)
    return Shown(
        number(figure.value, unit),
        f"{number(figure.lower, unit)} to {number(figure.upper, unit)}",
        f"{numerator:,.0f}",
        base_text,
        False,
        figure.value,
    )
