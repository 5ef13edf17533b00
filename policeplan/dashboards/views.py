"""Public performance pages: every measure of the current plan, by priority and outcome,
and a page per measure for any area and kind of period. Figures come from stored values."""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from markupsafe import Markup

from policeplan.core import pagecache
from policeplan.core import selectors as core_selectors
from policeplan.core.csvsafe import to_csv
from policeplan.dashboards import headline, wording
from policeplan.performance import charts, choices, units
from policeplan.performance import selectors as performance
from policeplan.performance.disclosure import present
from policeplan.performance.models import Area, AreaLevel, MeasureGap, MeasureValue
from policeplan.plans import selectors as plans
from policeplan.plans.models import Measure
from policeplan.warehouse import periods


def _choose(
    request: HttpRequest, m: Measure, areas: list[Area], kinds: list[str]
) -> tuple[Area | None, str]:
    """The area and kind of period asked for; when none is asked for, the force area and the
    headline period. Asking for one the measure does not have raises choices.Unavailable:
    never another area or period shown as if it were the one asked for."""
    from policeplan.warehouse import assess  # scipy loads with the first figures, not at start-up

    area = choices.choose_area(
        choices.single(request.GET, "area", choices.area_options(areas)), areas
    )
    kind = choices.choose_kind(
        choices.single(request.GET, "period", choices.kind_options(kinds)), kinds
    )
    if area is None:
        force = performance.main_force()
        area = next((a for a in areas if force and a.pk == force.pk), areas[0] if areas else None)
    if kind is None:
        default_kind = assess.headline_kind(m.frequency)
        kind = default_kind if default_kind in kinds or not kinds else kinds[0]
    return area, kind


def _unavailable(
    request: HttpRequest, m: Measure, lineage: str, problem: choices.Unavailable
) -> HttpResponse:
    """The page for a query the measure cannot answer: what was asked, why not, and links to
    what it has (keeping the other choices that were fine)."""
    kept = {
        k: request.GET[k]
        for k in ("area", "period")
        if k != problem.parameter and len(request.GET.getlist(k)) == 1
    }
    links = [
        (o.label, "?" + urlencode({**kept, problem.parameter: o.value})) for o in problem.available
    ]
    return render(
        request,
        "dashboards/unavailable.html",
        {
            "measure": m,
            "problem": problem,
            "asked": {"area": "area", "period": "kind of period"}.get(
                problem.parameter, problem.parameter
            ),
            "links": links,
            "section": "performance",
        },
        status=problem.status,
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    current = plans.plan_current_public()
    if current.version is None:
        raise Http404("No plan has been published")
    framework = plans.plan_version_framework(version=current.version)
    measures = [m for p in framework for o in p.outcomes.all() for m in o.measures.all()]
    force = performance.main_force()
    headlines = headline.for_measures(measures, area=force)
    return render(
        request,
        "dashboards/home.html",
        {
            "version": current.version,
            "priorities": framework,
            "headlines": headlines,
            "force": force,
            "rag_classes": wording.RAG_CLASSES,
            "rag_label": wording.rag_label,
            "rule_text": wording.rule_text,
            "section": "performance",
        },
    )


_STAMPS: dict[str, tuple[float, tuple[Any, ...]]] = {}


def _stamps(lineage: str) -> tuple[Any, ...]:
    """What a measure page's content depends on: its definition, its figures (with caveats
    and maps) and the office. Read from the database at most once a second per measure in
    each process (PAGE_STAMP_SECONDS), so under load a page costs no queries; a change shows
    within that second."""
    now = time.monotonic()
    hit = _STAMPS.get(lineage)
    if hit is not None and now - hit[0] < settings.PAGE_STAMP_SECONDS:
        return hit[1]
    stamps = (
        plans.measure_public_stamp(lineage=lineage),  # 404 for a measure that is not public
        performance.figures_version(lineage=lineage),
        core_selectors.office_stamp(),
    )
    if len(_STAMPS) > 1000:  # bounded, whatever lineages are asked for
        _STAMPS.clear()
    _STAMPS[lineage] = (now, stamps)
    return stamps


@require_safe
def measure(request: HttpRequest, lineage: str) -> HttpResponse:
    """A measure page, cached per measure definition, area, period, disclosure settings,
    caveats and the time the figures were computed: a recomputation or a caveat changes the
    key, so every worker shows new figures within PAGE_STAMP_SECONDS.

    The public (signed out, no messages waiting) all see the same page: it is cached whole,
    with this response's CSP nonce put in on the way out. Staff pages differ by person
    (their name, their menu), so for them only the body is cached."""
    key = hashlib.sha256(
        repr(
            (
                str(lineage),
                *_stamps(str(lineage)),
                request.GET.getlist("area"),
                request.GET.getlist("period"),
                settings.DISCLOSURE_MIN_COUNT,
                settings.SURVEY_MIN_BASE,
                static("application.css"),  # a new release's assets
            )
        ).encode()
    ).hexdigest()
    shared = not request.user.is_authenticated and not get_messages(request)
    page_key = f"measure-page:{key}"
    if shared and (page := cache.get(page_key)) is not None:
        return HttpResponse(pagecache.thaw(page, request))
    m = plans.measure_public(lineage=str(lineage))
    cached = cache.get(f"measure-body:{key}")
    if cached is None:
        try:
            context = _measure_context(request, m, str(lineage))
        except choices.Unavailable as problem:
            return _unavailable(request, m, str(lineage), problem)
        area = context["area"]
        cached = {
            "title": f"{m.title} – {area.name}" if area else m.title,
            "description": (
                f"{m.title}{f', {area.name}' if area else ''}: {m.description} The latest "
                "figure and how it has changed over time, by area, with 95% intervals."
            ),
            "body": render_to_string("dashboards/_measure_body.html", context, request),
        }
        cache.set(f"measure-body:{key}", cached, 60 * 60)
    response = render(
        request,
        "dashboards/measure.html",
        {
            "page_title": cached["title"],
            # A body cached by the release before descriptions has none: its title serves.
            "page_description": cached.get("description", cached["title"]),
            "body": Markup(cached["body"]),  # noqa: S704 - our own template's output
            "permalink": _permalink(request),
            "section": "performance",
        },
    )
    if shared:
        cache.set(page_key, pagecache.freeze(response.content.decode(), request), 60 * 60)
    return response


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


def _permalink(request: HttpRequest) -> str:
    """This view's address with only the parameters that choose it (the page is cached by
    them, so nothing else a visitor adds may reach the cached copy)."""
    chosen = {k: request.GET[k] for k in ("area", "period") if request.GET.get(k)}
    query = f"?{urlencode(chosen)}" if chosen else ""
    return request.build_absolute_uri(request.path) + query


def _measure_context(request: HttpRequest, m: Measure, lineage: str) -> dict:
    from policeplan.warehouse import assess  # scipy loads with the first figures, not at start-up

    areas = performance.measure_areas(lineage=str(lineage))
    kinds = performance.measure_kinds(lineage=str(lineage))
    area, kind = _choose(request, m, areas, kinds)
    values = performance.measure_figures(lineage=str(lineage), area=area, kind=kind) if area else []
    result = headline.assess_measure(m, values)
    latest = values[-1] if values else None
    comparison = []
    if latest:
        for v in performance.measure_comparison(
            lineage=str(lineage), kind=kind, period_key=latest.period_key
        ):
            comparison.append((v, present(v, m.unit, m.dataset)))
        comparison.sort(key=lambda pair: (pair[1].raw is None, -(pair[1].raw or 0)))
    comparison_gaps = (
        performance.measure_comparison_gaps(
            lineage=str(lineage), kind=kind, period_key=latest.period_key
        )
        if latest and comparison
        else []
    )
    shown_rows = [(v, present(v, m.unit, m.dataset)) for v in values]
    # Periods of the measure's span with no figure: rows that say so and why, null on the
    # chart (a gap in the line), never 0. Withheld figures stay figures (shown_rows).
    gaps = performance.measure_gaps(lineage=str(lineage), area=area, kind=kind) if area else []
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
    return {
        "measure": m,
        "made_up": str(lineage) in performance.made_up_lineages(),
        "version": m.outcome.priority.version,
        "boundary_map": charts.svg(boundary) if boundary else "",
        "boundary_spec": charts.spec_json(boundary) if boundary else "",
        "map_legend": _legend_text(legend, m.unit, m.dataset),
        "areas": areas,
        "area": area,
        "kinds": [(k, periods.KIND_LABELS[k]) for k in kinds],
        "kind": kind,
        "rows": list(reversed(table_rows)),
        "trend_chart": charts.svg(trend) if trend else "",
        "trend_spec": charts.spec_json(trend) if trend else "",
        "tile_map": tile_map,
        "caveats": caveats,
        "break_months": [c.effective_from for c in caveats if c.is_series_break],
        "ranked_chart": charts.svg(ranked) if ranked else "",
        "ranked_spec": charts.spec_json(ranked) if ranked else "",
        "latest": latest,
        "latest_shown": present(latest, m.unit, m.dataset) if latest else None,
        "assessment": result,
        "target_shown": units.figure(result.target_level, m.unit, m.dataset)
        if result.target_level is not None
        else "",
        "rule_text": wording.rule_text(result),
        "figure_column": units.column_title(m.unit, m.dataset),
        "unit_words": units.words(m.unit, m.dataset),
        "no_figures_reason": _no_figures_reason(m, areas),
        "change_text": wording.change_text(result.change, m.unit),
        "long_term_text": wording.change_text(result.long_term_change, m.unit)
        if result.long_term
        else "",
        "computed_at": max((v.computed_at for v in values), default=None),
        "data_to": wording.month_name(latest.period_end) if latest else "",
        "next_update": wording.next_update(
            frequency=m.frequency, dataset=m.dataset, last_month=latest.period_end if latest else ""
        ),
        "methodology": wording.methodology(
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
        "how_made": performance.measure_how_made(concepts=list(m.concepts), dataset=m.dataset),
        "coverage": performance.measure_coverage(lineage=lineage) if m.concepts else None,
        "population": performance.population_span() if m.unit == "rate_per_1000" else None,
        "baseline_text": wording.change_text(result.change_from_baseline, m.unit)
        if result.baseline
        else "",
        "comparison": comparison,
        "comparison_gaps": comparison_gaps,
        "rules": assess.RULES,
        "rag_label_names": {
            k: " or ".join(sorted({wording.RAG_LABELS[k], wording.TARGET_LABELS[k]}, reverse=True))
            for k in wording.RAG_LABELS
        },
        "min_count": settings.DISCLOSURE_MIN_COUNT,
        "rag_classes": wording.RAG_CLASSES,
        "rag_label": wording.rag_label,
        "section": "performance",
    }


def _no_figures_reason(m: Measure, areas: list[Area]) -> str:
    """Why a measure has no figures at all, when the reason is known: never shown as 0."""
    if m.dataset and m.unit == "rate_per_1000" and not performance.populations_exist():
        return (
            "There are no figures for this measure: it is a rate per 1,000 residents, and no "
            "population estimates have been imported to work it out from."
        )
    if areas:  # figures, or periods not available with their reasons
        return ""
    return "There are no figures for this measure yet: they appear once its data has been imported."


LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0"
MADE_UP = "Made up for the demonstration: not police statistics"


def _csv_problem(problem: choices.Unavailable) -> HttpResponse:
    """A download that cannot be made: the reason and the choices, as plain text."""
    return HttpResponse(
        problem.as_text(), status=problem.status, content_type="text/plain; charset=utf-8"
    )


@require_safe
def measure_csv(request: HttpRequest, lineage: str) -> HttpResponse:
    """The figures behind a measure page's tables, as CSV: one area over time (table=trend) or
    every borough for one period (table=boroughs). Suppressed exactly as on the page; a
    choice the measure does not have is refused with what it has, never answered with
    another area's or period's figures."""
    m = plans.measure_public(lineage=str(lineage))
    areas = performance.measure_areas(lineage=str(lineage))
    kinds = performance.measure_kinds(lineage=str(lineage))
    try:
        tables = (
            choices.Option("trend", "One area over time"),
            choices.Option("boroughs", "Every borough for one period"),
        )
        table = choices.single(request.GET, "table", tables) or "trend"
        if table not in {"trend", "boroughs"}:
            raise choices.Unavailable(
                400,
                "table",
                choices.quoted(table),
                f"‘{choices.quoted(table)}’ is not a table of this page.",
                tables,
            )
        if table == "boroughs" and not any(a.level == AreaLevel.BOROUGH for a in areas):
            raise choices.Unavailable(
                404,
                "table",
                table,
                "This measure has no figures by borough.",
                tables[:1],
            )
        chosen_area, kind = _choose(request, m, areas, kinds)
        asked_key = choices.single(request.GET, "key")
    except choices.Unavailable as problem:
        return _csv_problem(problem)
    caveats = "; ".join(
        f"From {c.effective_from}: {c.title}"
        for c in performance.caveats_for(
            dataset=m.dataset, categories=list(m.categories), concepts=list(m.concepts)
        )
    )
    assessed_key = ""
    assessment = None
    gaps: list[MeasureGap] = []
    if table == "boroughs":
        area = None
        values = []
        latest_area = performance.main_force() or (areas[0] if areas else None)
        if latest_area:
            series = performance.measure_figures(lineage=str(lineage), area=latest_area, kind=kind)
            options = [choices.Option(v.period_key, v.period_label) for v in reversed(series)]
            try:
                key = choices.choose_period(asked_key, options) or (
                    series[-1].period_key if series else ""
                )
            except choices.Unavailable as problem:
                return _csv_problem(problem)
            values = performance.measure_comparison(lineage=str(lineage), kind=kind, period_key=key)
            gaps = performance.measure_comparison_gaps(
                lineage=str(lineage), kind=kind, period_key=key
            )
    else:
        area = chosen_area
        values = (
            performance.measure_figures(lineage=str(lineage), area=area, kind=kind) if area else []
        )
        assessment = headline.assess_measure(m, values)
        assessed_key = assessment.latest.period_key if assessment.latest else ""
        gaps = performance.measure_gaps(lineage=str(lineage), area=area, kind=kind) if area else []
    suffix = units.csv_suffix(m.unit)
    header = [
        "measure",
        "area_code",
        "area_name",
        "period_type",
        "period",
        "first_month",
        "last_month",
        "figure",
        f"value_{suffix}",
        f"lower_95_{suffix}",
        f"upper_95_{suffix}",
        "numerator",
        "base",
        "suppressed",
        "not_available_reason",
        "unit",
        "population_year",
        "population_note",
        "status",
        "status_rule",
        "status_reason",
        "caveats",
        "source",
        "licence",
    ]
    made_up = str(lineage) in performance.made_up_lineages()
    rows = []
    for v in values:
        shown = present(v, m.unit, m.dataset)
        status = (
            [wording.rag_label(assessment), assessment.rule_name, assessment.reason]
            if assessment is not None and v.period_key == assessed_key
            else ["", "", ""]
        )
        rows.append(
            [
                m.title,
                v.area.code if area is None else area.code,
                v.area.name if area is None else area.name,
                v.period_kind,
                v.period_label,
                v.period_start,
                v.period_end,
                shown.value,
                "" if shown.suppressed else round(v.value, 6),
                "" if shown.suppressed else round(v.lower, 6),
                "" if shown.suppressed else round(v.upper, 6),
                shown.numerator.replace(",", "") if not shown.suppressed else shown.numerator,
                shown.base.replace(",", ""),
                "yes" if shown.suppressed else "no",
                "",
                units.column_title(m.unit, m.dataset),
                v.population_year if m.unit == "rate_per_1000" and v.population_year else "",
                shown.population_note,
                *status,
                caveats,
                MADE_UP if made_up else m.get_data_source_kind_display(),
                MADE_UP if made_up else LICENCE,
            ]
        )
    for g in gaps:  # no figure for the period: empty values and the reason, never 0
        rows.append(
            [
                m.title,
                g.area.code,
                g.area.name,
                g.period_kind,
                g.period_label,
                g.period_start,
                g.period_end,
                "Not available",
                *([""] * 5),
                "no",
                g.reason,
                units.column_title(m.unit, m.dataset),
                "",
                "",
                "",
                "",
                "",
                caveats,
                MADE_UP if made_up else m.get_data_source_kind_display(),
                MADE_UP if made_up else LICENCE,
            ]
        )
    rows.sort(key=lambda row: row[6])  # by period, as the page's table (oldest first)
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    name = f"{m.slug}-{table}-{kind}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
