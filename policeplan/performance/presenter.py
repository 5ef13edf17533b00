"""The one measure presenter: what a measure shows for an area and a kind of period (its
figure, interval, period, change, status, charts and table rows), as plain dataclasses.
A dashboard, a tracker, a report and a 'you said, we did' page all take a measure from here,
so it looks the same wherever it appears. Nothing here knows of requests or templates:
reached through `performance.selectors`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from policeplan.performance import charts, units, wording
from policeplan.performance import selectors as performance
from policeplan.performance.disclosure import Shown, present
from policeplan.performance.models import Area, MeasureGap, MeasureValue
from policeplan.warehouse import periods

if TYPE_CHECKING:
    from policeplan.plans.models import Measure
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


def figure_text(shown: Shown | None) -> str:
    """A figure as the public reads it, with its unit: '2.81 per 1,000 residents',
    '73.4%', '1,234 crimes'; 'fewer than 10' or 'not shown' when disclosure control withholds
    it; 'No figures yet' (never 0) when there is none."""
    if shown is None:
        return "No figures yet"
    # performance.units has already given the figure its unit ('2.81 per 1,000 residents').
    return shown.value


@dataclass(frozen=True)
class Headline:
    """A measure's latest headline figure for an area and how it is doing: what every page
    that names a measure shows beside it."""

    measure: Measure
    assessment: assess.Assessment
    latest: MeasureValue | None  # None when there is no figure
    shown: Shown | None  # the latest figure after disclosure control
    area: str  # the area the figure is for (named even when it has none yet)
    made_up: bool = False  # made up for the demonstration: the page says so beside it

    @property
    def figure(self) -> str:
        """With its unit, or 'No figures yet' (never 0)."""
        return figure_text(self.shown)

    @property
    def interval(self) -> str:
        """Its 95% interval with its unit; '' when none is shown."""
        return self.shown.interval if self.shown is not None else ""

    @property
    def period(self) -> str:
        """The period as the measure's page names it ('12 months to March 2025')."""
        return self.latest.period_label if self.latest is not None else ""

    @property
    def status(self) -> str:
        """'Improving', 'Meets its target', ...; '' when there is no figure."""
        return wording.rag_label(self.assessment) if self.latest is not None else ""

    @property
    def status_classes(self) -> str:
        """The GOV.UK tag's colour (the words say the same); '' when there is no figure."""
        return wording.RAG_CLASSES[self.assessment.rag] if self.latest is not None else ""


def headlines(measures: list[Measure], *, area: Area | None) -> dict[int, Headline]:
    """By measure id: its latest headline figure for the area (the headline kind of period,
    else the longest one it has), shown with disclosure control, and how it is doing."""
    figures = performance.headline_figures(
        lineages=[str(m.lineage) for m in measures], area=area, kinds=set(periods.KINDS)
    )
    made_up = performance.made_up_lineages() if measures else set()
    from policeplan.warehouse import assess  # scipy loads here, not at start-up

    out = {}
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
        out[m.pk] = Headline(
            measure=m,
            assessment=result,
            latest=latest,
            shown=present(latest, m.unit, m.dataset) if latest else None,
            area=area.name if area is not None else "",
            made_up=str(m.lineage) in made_up,
        )
    return out


def choose(
    m: Measure, *, areas: list[Area], kinds: list[str], area: str | None, kind: str | None
) -> tuple[Area | None, str]:
    """The area and kind of period asked for (their codes); when none is asked for, the force
    area and the headline period. Asking for one the measure does not have raises
    choices.Unavailable: never another area or period shown as if it were the one asked for."""
    from policeplan.performance import choices
    from policeplan.warehouse import assess  # scipy loads with the first figures, not at start-up

    chosen_area = choices.choose_area(area, areas)
    chosen_kind = choices.choose_kind(kind, kinds)
    if chosen_area is None:
        force = performance.main_force()
        chosen_area = next(
            (a for a in areas if force and a.pk == force.pk), areas[0] if areas else None
        )
    if chosen_kind is None:
        default_kind = assess.headline_kind(m.frequency)
        chosen_kind = default_kind if default_kind in kinds or not kinds else kinds[0]
    return chosen_area, chosen_kind


def _plotted(v: MeasureValue, shown: Any, **where: str) -> dict[str, Any]:
    """A figure as a chart draws it (the raw numbers: null when withheld, never 0) and as its
    tooltip tells it (as shown, with its unit)."""
    withheld = shown.raw is None
    return {
        **where,
        "value": None if withheld else v.value,
        "lower": None if withheld else v.lower,
        "upper": None if withheld else v.upper,
        "label": v.period_label,
        "shown": shown.value,
        "interval": shown.interval,
    }


def _not_available(gap: MeasureGap) -> dict[str, Any]:
    """A period with no figure as a chart draws it: null (a gap), and why in its tooltip."""
    return {
        "end": gap.period_end,
        "value": None,
        "lower": None,
        "upper": None,
        "label": gap.period_label,
        "shown": f"Not available: {gap.reason}",
        "interval": "",
    }


def _legend_text(legend: list[dict[str, Any]], unit: str, dataset: str) -> list[dict[str, Any]]:
    """Each map band's range with its unit: '2.10 to 2.95 per 1,000 residents'."""
    return [
        {**band, "text": units.interval(band["low"], band["high"], unit, dataset)}
        for band in legend
    ]


def no_figures_reason(m: Measure, areas: list[Area]) -> str:
    """Why a measure has no figures at all, when the reason is known: never shown as 0."""
    if m.dataset and m.unit == "rate_per_1000" and not performance.populations_exist():
        return (
            "There are no figures for this measure: it is a rate per 1,000 residents, and no "
            "population estimates have been imported to work it out from."
        )
    if areas:  # figures, or periods not available with their reasons
        return ""
    return "There are no figures for this measure yet: they appear once its data has been imported."


@dataclass(frozen=True)
class MeasureView:
    """Everything a measure shows for one area and kind of period: its latest figure, how it
    has changed and its status in words, its table rows (newest first; a period with no
    figure is a row with its reason, never 0), the boroughs' figures for the same period,
    and the Vega-Lite specs of its charts (None when there is too little to draw)."""

    measure: Measure
    made_up: bool
    version: Any
    areas: list[Area]
    area: Area | None
    kinds: list[tuple[str, str]]  # (kind, its label)
    kind: str
    rows: list[tuple[Any, Shown | None]]  # (figure or gap, as shown); None for a gap
    latest: MeasureValue | None
    latest_shown: Shown | None
    assessment: assess.Assessment
    target_shown: str
    rule_text: str
    change_text: str
    long_term_text: str
    baseline_text: str
    figure_column: str
    unit_words: str
    no_figures_reason: str
    computed_at: datetime.datetime | None
    data_to: str
    next_update: str
    methodology: str
    how_made: Any
    coverage: Any
    population: Any
    caveats: list[Any]
    break_months: list[str]
    comparison: list[tuple[MeasureValue, Shown]]  # every borough, highest first
    comparison_gaps: list[MeasureGap]
    map_legend: list[dict[str, Any]]
    tile_map: dict[str, Any]
    trend: dict[str, Any] | None  # the chart specs
    ranked: dict[str, Any] | None
    boundary: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        """Its fields by name (shallow: the models stay models), for a template."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def measure_view(
    m: Measure,
    *,
    areas: list[Area],
    kinds: list[str],
    area: Area | None,
    kind: str,
    until: str | None = None,
) -> MeasureView:
    """What the measure shows for this area and kind of period (chosen by `choose`); with
    `until` (YYYY-MM), only the periods ending by that month: as a report for it shows."""
    lineage = str(m.lineage)
    values = performance.measure_figures(lineage=lineage, area=area, kind=kind) if area else []
    if until is not None:
        values = [v for v in values if v.period_end <= until]
    result = assess_measure(m, values)
    latest = values[-1] if values else None
    comparison = []
    if latest:
        for v in performance.measure_comparison(
            lineage=lineage, kind=kind, period_key=latest.period_key
        ):
            comparison.append((v, present(v, m.unit, m.dataset)))
        comparison.sort(key=lambda pair: (pair[1].raw is None, -(pair[1].raw or 0)))
    comparison_gaps = (
        performance.measure_comparison_gaps(
            lineage=lineage, kind=kind, period_key=latest.period_key
        )
        if latest and comparison
        else []
    )
    shown_rows = [(v, present(v, m.unit, m.dataset)) for v in values]
    # Periods of the measure's span with no figure: rows that say so and why, null on the
    # chart (a gap in the line), never 0. Withheld figures stay figures (shown_rows).
    gaps = performance.measure_gaps(lineage=lineage, area=area, kind=kind) if area else []
    if until is not None:
        gaps = [g for g in gaps if g.period_end <= until]
    table_rows: list[tuple[Any, Any]] = sorted(
        [*shown_rows, *((g, None) for g in gaps)], key=lambda row: row[0].period_end
    )
    points = [
        _plotted(v, s, end=v.period_end) if s is not None else _not_available(v)
        for v, s in table_rows
    ]
    bars = [_plotted(v, s, area=v.area.name) for v, s in comparison if s.raw is not None]
    caveats = performance.caveats_for(
        dataset=m.dataset, categories=list(m.categories), concepts=list(m.concepts)
    )
    breaks = [{"month": c.effective_from, "label": c.title} for c in caveats if c.is_series_break]
    plotted = sum(1 for p in points if p["value"] is not None)
    trend = charts.trend_spec(points, m.unit, breaks, m.dataset) if plotted > 1 else None
    ranked = charts.ranked_spec(bars, m.unit, m.dataset) if len(bars) > 1 else None
    tile_map = charts.tile_map(
        [
            {
                "x": v.area.tile_x,
                "y": v.area.tile_y,
                "label": v.area.tile_label,
                "name": v.area.name,
                "value": s.raw,
                "text": s.digits,  # the caption gives the unit: a square is too small for it
            }
            for v, s in comparison
            if v.area.tile_x is not None
        ]
    )
    shapes = performance.area_boundaries(area_ids=[v.area_id for v, _ in comparison])
    if tile_map:
        tile_map["legend"] = _legend_text(tile_map["legend"], m.unit, m.dataset)
    cuts, legend = charts.bands([s.raw for _, s in comparison])
    boundary = (
        charts.boundary_spec(
            [
                {
                    "name": v.area.name,
                    "geometry": shapes[v.area_id],
                    "fill": charts.shade(s.raw, cuts)[0],
                    "shown": s.value,
                }
                for v, s in comparison
                if v.area_id in shapes
            ]
        )
        if shapes and legend
        else None
    )
    return MeasureView(
        measure=m,
        made_up=lineage in performance.made_up_lineages(),
        version=m.outcome.priority.version,
        areas=areas,
        area=area,
        kinds=[(k, periods.KIND_LABELS[k]) for k in kinds],
        kind=kind,
        rows=list(reversed(table_rows)),
        latest=latest,
        latest_shown=present(latest, m.unit, m.dataset) if latest else None,
        assessment=result,
        target_shown=units.figure(result.target_level, m.unit, m.dataset)
        if result.target_level is not None
        else "",
        rule_text=wording.rule_text(result),
        change_text=wording.change_text(result.change, m.unit),
        long_term_text=wording.change_text(result.long_term_change, m.unit)
        if result.long_term
        else "",
        baseline_text=wording.change_text(result.change_from_baseline, m.unit)
        if result.baseline
        else "",
        figure_column=units.column_title(m.unit, m.dataset),
        unit_words=units.words(m.unit, m.dataset),
        no_figures_reason=no_figures_reason(m, areas),
        computed_at=max((v.computed_at for v in values), default=None),
        data_to=wording.month_name(latest.period_end) if latest else "",
        next_update=wording.next_update(
            frequency=m.frequency, dataset=m.dataset, last_month=latest.period_end if latest else ""
        ),
        methodology=wording.methodology(
            dataset=m.dataset,
            unit=m.unit,
            categories=performance.measure_counted_names(
                concepts=list(m.concepts), dataset=m.dataset
            )
            if m.concepts
            else list(m.categories),
            numerators=list(m.numerator_categories),
            source=m.get_data_source_kind_display(),
        ),
        # How this figure is made: concepts and their names, population, coverage.
        how_made=performance.measure_how_made(concepts=list(m.concepts), dataset=m.dataset),
        coverage=performance.measure_coverage(lineage=lineage) if m.concepts else None,
        population=performance.population_span() if m.unit == "rate_per_1000" else None,
        caveats=caveats,
        break_months=[c.effective_from for c in caveats if c.is_series_break],
        comparison=comparison,
        comparison_gaps=comparison_gaps,
        map_legend=_legend_text(legend, m.unit, m.dataset),
        tile_map=tile_map,
        trend=trend,
        ranked=ranked,
        boundary=boundary,
    )
