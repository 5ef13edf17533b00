"""Disclosure control and presentation of figures: the same rules for every page, download
and API response. Counts below DISCLOSURE_MIN_COUNT are shown as 'fewer than N', and rates
and percentages built on them are withheld; survey results on bases below SURVEY_MIN_BASE
are not shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from policeplan.performance import units


@dataclass(frozen=True)
class Shown:
    value: str
    interval: str
    numerator: str
    base: str
    suppressed: bool
    raw: float | None  # the number charts and sorting use; None when withheld
    digits: str = ""  # the figure without its unit, for a heading with the unit beside it
    unit: str = ""  # the unit and base: "per 1,000 residents", "of people asked", "crimes"
    population: str = ""  # for a rate: "mid-2022 population"
    population_note: str = ""  # when another year's population was used, why


def present(figure: Any, unit: str, dataset: str = "") -> Shown:
    """How a stored value may be shown to the public, with its unit (performance.units)."""
    limit = settings.DISCLOSURE_MIN_COUNT
    numerator, base = figure.numerator, figure.denominator
    base_text = f"{base:,.0f}" if base is not None else ""
    unit_words = units.words(unit, dataset)
    year = getattr(figure, "population_year", None) if unit == "rate_per_1000" else None
    population = units.population_text(year)
    note = units.population_note(
        year, bool(getattr(figure, "population_carried", False)), figure.period_start
    )
    if dataset == "pas":
        if base is None or base < settings.SURVEY_MIN_BASE:
            return Shown("not shown", "", "", base_text, True, None, "", unit_words)
    elif numerator < limit:
        low = f"fewer than {limit}"
        shown = units.join(low, unit_words) if unit == "count" else "not shown"
        return Shown(shown, "", low, base_text, True, None, "", unit_words, population, note)
    return Shown(
        units.figure(figure.value, unit, dataset),
        units.interval(figure.lower, figure.upper, unit, dataset),
        f"{numerator:,.0f}",
        base_text,
        False,
        figure.value,
        units.number(figure.value, unit),
        unit_words,
        population,
        note,
    )
