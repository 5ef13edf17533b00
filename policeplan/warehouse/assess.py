"""How a measure is doing: its latest figure against the same period a year before and
against its baseline, and the RAG status that follows, by rules people can read.

RAG rules (shown on every measure page):
- Green: a significant change since the same period last year in the direction of good.
- Red: a significant change in the other direction.
- Amber: no significant change (the interval includes no change).
- Grey: the measure gives context only (no direction of good), or there is nothing to
  compare with yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from policeplan.warehouse import periods, stats

RULES = [
    (
        "green",
        "Green",
        "A significant change since the same period last year, in the direction of good.",
    ),
    ("red", "Red", "A significant change since the same period last year, in the other direction."),
    ("amber", "Amber", "No significant change since the same period last year."),
    ("grey", "Grey", "Context only, or nothing to compare with yet."),
]


@dataclass(frozen=True)
class Figure:
    """What assessment needs of a stored value."""

    period_kind: str
    period_key: str
    period_end: str
    value: float
    lower: float
    upper: float
    numerator: float
    denominator: float | None


@dataclass(frozen=True)
class Assessment:
    latest: Figure | None
    year_before: Figure | None
    change: stats.Change | None
    baseline: Figure | None
    change_from_baseline: stats.Change | None
    rag: str
    reason: str


def compare(later: Figure, earlier: Figure, unit: str) -> stats.Change | None:
    if unit == "percentage":
        a = stats.Estimate(
            later.value, later.lower, later.upper, later.numerator, later.denominator
        )
        b = stats.Estimate(
            earlier.value, earlier.lower, earlier.upper, earlier.numerator, earlier.denominator
        )
        return stats.proportion_difference(a, b)
    exposure_later = later.denominator or 1.0
    exposure_earlier = earlier.denominator or 1.0
    return stats.rate_ratio(
        int(later.numerator), int(earlier.numerator), exposure_later, exposure_earlier
    )


def headline_kind(frequency: str) -> str:
    """Annual measures are judged by financial year; the others over a rolling year."""
    return "financial_year" if frequency == "annually" else "rolling_12"


def assess(
    figures: list[Figure], *, unit: str, direction: str, baseline_period: str = ""
) -> Assessment:
    """Assess the latest figure of one kind of period (pass the figures of that kind)."""
    if not figures:
        return Assessment(None, None, None, None, None, "grey", "There are no figures yet.")
    by_key = {f.period_key: f for f in figures}
    latest = max(figures, key=lambda f: f.period_end)
    period = _period(latest)
    year_before = by_key.get(periods.same_period_last_year(period).key) if period else None
    change = compare(latest, year_before, unit) if year_before else None
    baseline = by_key.get(_baseline_key(baseline_period, latest.period_kind))
    from_baseline = compare(latest, baseline, unit) if baseline and baseline is not latest else None
    if direction == "neither":
        return Assessment(
            latest,
            year_before,
            change,
            baseline,
            from_baseline,
            "grey",
            "This measure gives context: it has no direction of good.",
        )
    if change is None:
        return Assessment(
            latest,
            year_before,
            None,
            baseline,
            from_baseline,
            "grey",
            "There is no figure for the same period last year to compare with.",
        )
    good = 1 if direction == "higher" else -1
    if change.direction == 0:
        rag, reason = "amber", "No significant change since the same period last year."
    elif change.direction == good:
        rag, reason = (
            "green",
            "A significant change since the same period last year, in the direction of good.",
        )
    else:
        rag, reason = (
            "red",
            "A significant change since the same period last year, in the wrong direction.",
        )
    return Assessment(latest, year_before, change, baseline, from_baseline, rag, reason)


def _period(figure: Figure) -> periods.Period | None:
    end = figure.period_end
    if figure.period_kind == "month":
        return periods.month(end)
    if figure.period_kind == "rolling_12":
        return periods.rolling_12(end)
    if figure.period_kind == "financial_year":
        return periods.financial_year(periods.financial_year_of(end))
    if figure.period_kind == "quarter":
        return periods.quarter(periods.financial_year_of(end), int(figure.period_key[-1]))
    return None


def _baseline_key(baseline: str, kind: str) -> str:
    """A baseline like '2021-22' is a financial year; as a rolling year it ends in March."""
    text = baseline.strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit():
        if kind == "financial_year":
            return text
        if kind == "rolling_12":
            return f"R12-{int(text[:4]) + 1}-03"
    return ""
