"""Each measure's headline: its latest figure, shown with disclosure control, and how it is
doing by the readable rules. Used by the performance home page and by 'you said, we did'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policeplan.core import dates
from policeplan.dashboards import wording
from policeplan.performance import selectors as performance
from policeplan.performance.disclosure import Shown, present
from policeplan.performance.models import Area, MeasureValue
from policeplan.plans.models import Measure
from policeplan.warehouse import periods

if TYPE_CHECKING:
    from policeplan.warehouse import assess


def _figure(v: MeasureValue) -> assess.Figure:
    from policeplan.warehouse import assess  # its statistics load scipy: when first used

    return assess.Figure(
        v.period_kind,
        v.period_key,
        v.period_end,
        v.value,
        v.lower,
        v.upper,
        v.numerator,
        v.denominator,
    )


def assess_measure(m: Measure, values: list[MeasureValue]) -> assess.Assessment:
    """How the measure is doing on these figures (of one kind of period), by the readable
    rules, with its numeric target when it has one."""
    from policeplan.warehouse import assess, stats  # scipy loads here, not at start-up

    target = None
    if m.target_kind and m.target_value is not None:
        scale = 100 if m.unit == "percentage" and m.target_kind == "level" else 1
        target = assess.Target(m.target_kind, m.target_value / scale)
    return assess.assess(
        [_figure(v) for v in values],
        statistic=stats.statistic(m.dataset, m.unit),
        direction=m.direction,
        baseline_period=m.baseline_period,
        target=target,
    )


def for_measures(measures: list[Measure], *, area: Area | None) -> dict[int, dict[str, Any]]:
    """By measure id: its assessment, its latest figure, that figure as shown, and whether
    the measure's figures are made up (the demonstration's, for measures with no public data)."""
    figures = performance.headline_figures(
        lineages=[str(m.lineage) for m in measures], area=area, kinds=set(periods.KINDS)
    )
    made_up = performance.made_up_lineages() if measures else set()
    from policeplan.warehouse import assess  # scipy loads here, not at start-up

    headlines = {}
    for m in measures:
        mine = figures.get(str(m.lineage), [])
        # The headline period, else (figures supplied from elsewhere) the longest one given.
        given = {v.period_kind for v in mine}
        kind = next(
            (
                k
                for k in (assess.headline_kind(m.frequency), *reversed(periods.KINDS))
                if k in given
            ),
            "",
        )
        values = [v for v in mine if v.period_kind == kind]
        result = assess_measure(m, values)
        latest = next(
            (v for v in values if result.latest and v.period_key == result.latest.period_key), None
        )
        headlines[m.pk] = {
            "assessment": result,
            "shown": present(latest, m.unit, m.dataset) if latest else None,
            "latest": latest,
            "made_up": str(m.lineage) in made_up,
        }
    return headlines


def figure_text(shown: Shown | None) -> str:
    """A figure as the public reads it, with its unit: '2.81 per 1,000 residents',
    '73.4%', '1,234 crimes'; 'fewer than 10' or 'not shown' when disclosure control withholds
    it; 'No figures yet' (never 0) when there is none. Every plan page that shows a measure's
    figure calls this one function."""
    if shown is None:
        return "No figures yet"
    # performance.units has already given the figure its unit ('2.81 per 1,000 residents').
    return shown.value


@dataclass(frozen=True)
class Summary:
    """A measure's latest figure and status in words, for the plan's pages."""

    figure: str  # with its unit, or 'No figures yet'
    period: str  # 'April 2024 to March 2025'; '' when there is no figure
    status: str  # 'Improving', 'Meets its target', ...; '' when there is no figure
    status_classes: str  # the GOV.UK tag's colour (the words say the same)
    area: str  # the area the figure is for
    made_up: bool = False  # made up for the demonstration: the page says so beside it


def summaries(measures: list[Measure], *, area: Area | None) -> dict[int, Summary]:
    """By measure id: its latest figure for the area and how it is doing, as words."""
    heads = for_measures(measures, area=area)
    out = {}
    for m in measures:
        h = heads[m.pk]
        latest = h["latest"]
        out[m.pk] = Summary(
            figure=figure_text(h["shown"]),
            period=dates.months(latest.period_start, latest.period_end) if latest else "",
            status=wording.rag_label(h["assessment"]) if latest else "",
            status_classes=wording.RAG_CLASSES[h["assessment"].rag] if latest else "",
            area=area.name if area is not None else "",
            made_up=bool(h["made_up"]),
        )
    return out
