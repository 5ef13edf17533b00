"""How a measure is doing: its latest figure against the same period a year before, against
its baseline and against its target, and the RAG status that follows, by rules people can
read (shown on every measure page).

With a numeric target (a level to reach, or a change from the baseline in per cent):
- Green: the latest figure meets the target.
- Amber: short of the target, but the target is within the figure's 95% interval.
- Red: short of the target, and the whole interval is on the wrong side of it.

Without one:
- Green: a significant change since the same period last year in the direction of good.
- Red: a significant change in the other direction.
- Amber: no significant change (the interval includes no change).

Grey: the measure gives context only (no direction of good).

Cannot be assessed yet: there is no figure yet, no figure for the same period last year, or
the target is a change from a baseline there is no figure for (none set, or the baseline is
before the figures start). The reason says which; a status never quietly falls back to
another rule, and every status names the rule that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass

from policeplan.warehouse import periods, stats

RULES = [
    ("green", "Green", "It meets its target; without a target, a significant change since the "
     "same period last year, in the direction of good."),
    ("amber", "Amber", "Short of its target, but the target is within the figure's 95% "
     "interval; without a target, no significant change since the same period last year."),
    ("red", "Red", "Short of its target, with the whole 95% interval on the wrong side of it; "
     "without a target, a significant change since the same period last year, in the other "
     "direction."),
    ("grey", "Grey", "Context only: the measure has no direction of good."),
    ("none", "Cannot be assessed yet", "No figure yet, no figure for the same period last "
     "year, or a target set as a change from a baseline that has no figure: the status says "
     "which."),
]  # fmt: skip

# The rules a status can come from, as the page names them.
RULE_NAMES = {
    "target": "a numeric target",
    "baseline": "a change from the baseline",
    "change": "a significant change since the same period last year",
    "context": "a context measure",
}


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
class Target:
    """A numeric target: 'level' (a figure to reach, in the measure's own unit: a percentage
    as a share from 0 to 1) or 'change' (a change from the baseline, in per cent: -10 is a
    10% reduction)."""

    kind: str
    value: float

    def level(self, baseline: Figure | None) -> float | None:
        if self.kind == "level":
            return self.value
        if self.kind == "change" and baseline is not None:
            return baseline.value * (1 + self.value / 100)
        return None


@dataclass(frozen=True)
class Assessment:
    latest: Figure | None
    year_before: Figure | None
    change: stats.Change | None
    baseline: Figure | None
    change_from_baseline: stats.Change | None
    rag: str
    reason: str
    target_level: float | None = None
    long_term: Figure | None = None  # the same period 3 to 5 years before (the earliest of them)
    long_term_change: stats.Change | None = None
    long_term_years: int = 0
    rule: str = ""  # which rule produced the status: a key of RULE_NAMES

    @property
    def rule_name(self) -> str:
        return RULE_NAMES.get(self.rule, "")


def compare(later: Figure, earlier: Figure, statistic: str) -> stats.Change | None:
    """The change from one figure to another: a difference of proportions, or a rate ratio
    (counts, rates, and one count over another)."""
    if statistic == "proportion":
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
    figures: list[Figure],
    *,
    statistic: str,
    direction: str,
    baseline_period: str = "",
    target: Target | None = None,
) -> Assessment:
    """Assess the latest figure of one kind of period (pass the figures of that kind)."""
    rule = _rule(direction, target)
    if not figures:
        return Assessment(
            None, None, None, None, None, "none", "There are no figures yet.", rule=rule
        )
    by_key = {f.period_key: f for f in figures}
    latest = max(figures, key=lambda f: f.period_end)
    period = _period(latest)
    year_before = by_key.get(periods.same_period_last_year(period).key) if period else None
    change = compare(latest, year_before, statistic) if year_before else None
    baseline = by_key.get(_baseline_key(baseline_period, latest.period_kind))
    from_baseline = (
        compare(latest, baseline, statistic) if baseline and baseline is not latest else None
    )
    level = target.level(baseline) if target else None
    if rule == "baseline" and level is None:
        rag, reason = "none", _no_baseline(baseline_period, latest, figures)
    else:
        rag, reason = _rate(latest, direction, level, change)
    long_term, long_term_change, years = _long_term(latest, period, by_key, statistic)
    return Assessment(
        latest,
        year_before,
        change,
        baseline,
        from_baseline,
        rag,
        reason,
        target_level=level,
        long_term=long_term,
        long_term_change=long_term_change,
        long_term_years=years,
        rule=rule,
    )


def _rule(direction: str, target: Target | None) -> str:
    """The one rule that assesses this measure: never swapped for another when it cannot."""
    if direction == "neither":
        return "context"
    if target is not None:
        return "baseline" if target.kind == "change" else "target"
    return "change"


def _no_baseline(baseline_period: str, latest: Figure, figures: list[Figure]) -> str:
    """Why a target set as a change from the baseline cannot be assessed."""
    text = baseline_period.strip()
    if not text:
        return "Its target is a change from a baseline, but no baseline period is set."
    if not _baseline_key(text, latest.period_kind):
        return (
            f"Its target is a change from the baseline ({text}), a financial year: choose "
            "financial years or rolling years to see it assessed."
        )
    first = min(figures, key=lambda f: f.period_end)
    baseline_end = f"{int(text[:4]) + 1}-03"  # a financial year, and the rolling year to March
    if baseline_end < first.period_end:
        start = _period(first)
        return (
            f"Its target is a change from the baseline ({text}), which is before these figures "
            f"start ({start.label if start else first.period_key})."
        )
    return f"Its target is a change from the baseline ({text}), and there is no figure for it."


LONG_TERM_YEARS = (5, 4, 3)


def _long_term(
    latest: Figure, period: periods.Period | None, by_key: dict[str, Figure], statistic: str
) -> tuple[Figure | None, stats.Change | None, int]:
    """The long-term trend: the latest figure against the same period five years before
    (else four, else three), when the figures reach that far back."""
    if period is None:
        return None, None, 0
    earlier = [period]
    for _ in range(max(LONG_TERM_YEARS)):
        earlier.append(periods.same_period_last_year(earlier[-1]))
    for years in LONG_TERM_YEARS:
        figure = by_key.get(earlier[years].key)
        if figure is not None:
            return figure, compare(latest, figure, statistic), years
    return None, None, 0


def _rate(
    latest: Figure, direction: str, level: float | None, change: stats.Change | None
) -> tuple[str, str]:
    """The RAG status and its reason, by the rules above."""
    if direction == "neither":
        return "grey", "This measure gives context: it has no direction of good."
    good = 1 if direction == "higher" else -1
    if level is not None:
        if (latest.value - level) * good >= 0:
            return "green", "It meets its target."
        if latest.lower <= level <= latest.upper:
            return "amber", "It is short of its target, but the target is within its 95% interval."
        return "red", "It is significantly short of its target."
    if change is None:
        return "none", "There is no figure for the same period last year to compare with."
    if change.direction == 0:
        return "amber", "No significant change since the same period last year."
    if change.direction == good:
        return (
            "green",
            "A significant change since the same period last year, in the direction of good.",
        )
    return "red", "A significant change since the same period last year, in the wrong direction."


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
