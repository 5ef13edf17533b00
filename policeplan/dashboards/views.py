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
from policeplan.performance import charts, choices, units, wording
from policeplan.performance import selectors as performance
from policeplan.performance.disclosure import present
from policeplan.performance.models import Area, AreaLevel, MeasureGap
from policeplan.plans import selectors as plans
from policeplan.plans.models import Measure


def _choose(
    request: HttpRequest, m: Measure, areas: list[Area], kinds: list[str]
) -> tuple[Area | None, str]:
    """The area and kind of period asked for, or the presenter's defaults; one the measure
    does not have raises choices.Unavailable."""
    return performance.measure_choice(
        measure=m,
        areas=areas,
        kinds=kinds,
        area=choices.single(request.GET, "area", choices.area_options(areas)),
        kind=choices.single(request.GET, "period", choices.kind_options(kinds)),
    )


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
    headlines = performance.measure_headlines(measures=measures, area=force)
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
        performance.commentary_version(lineage=lineage),
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


def _permalink(request: HttpRequest) -> str:
    """This view's address with only the parameters that choose it (the page is cached by
    them, so nothing else a visitor adds may reach the cached copy)."""
    chosen = {k: request.GET[k] for k in ("area", "period") if request.GET.get(k)}
    query = f"?{urlencode(chosen)}" if chosen else ""
    return request.build_absolute_uri(request.path) + query


def _measure_context(request: HttpRequest, m: Measure, lineage: str) -> dict:
    """The presenter's view of the measure for the area and period asked for, with its
    charts drawn (SVG for every reader, the spec for the interactive version)."""
    from policeplan.warehouse import assess  # scipy loads with the first figures, not at start-up

    areas = performance.measure_areas(lineage=lineage)
    kinds = performance.measure_kinds(lineage=lineage)
    area, kind = _choose(request, m, areas, kinds)
    shown = performance.measure_view(measure=m, areas=areas, kinds=kinds, area=area, kind=kind)
    context = shown.as_dict()
    for name, spec in (
        ("trend", shown.trend),
        ("ranked", shown.ranked),
        ("boundary", shown.boundary),
    ):
        context.pop(name)
        drawn = "boundary_map" if name == "boundary" else f"{name}_chart"
        context[drawn] = charts.svg(spec) if spec else ""
        context[f"{name}_spec"] = charts.spec_json(spec) if spec else ""
    latest = context.get("latest")
    return {
        **context,
        # Approved commentary on the force area's figure for the period the headline shows;
        # drafts are never public.
        "commentary": performance.commentary_for(
            measure_lineage=lineage, period_kind=kind, period_key=latest.period_key
        )
        if latest and area and area.level == AreaLevel.FORCE
        else None,
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
        assessment = performance.measure_assessment(measure=m, values=values)
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
