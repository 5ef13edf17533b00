"""The public API, version 1: the current plan, its measures, areas and figures.
Thin: every answer comes from the plans and performance selectors, and figures are
withheld exactly as on the pages."""

from typing import TYPE_CHECKING, Literal
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query
from ninja.pagination import LimitOffsetPagination, paginate

from policeplan.api.schemas import (
    AreaOut,
    ErrorOut,
    MeasureDetailOut,
    MeasureOut,
    PlanOut,
    PriorityOut,
    UnavailableOut,
    ValidationErrorOut,
    ValueOut,
)
from policeplan.performance import choices, units
from policeplan.performance import selectors as performance
from policeplan.performance.disclosure import present
from policeplan.performance.models import Area
from policeplan.plans import selectors as plans
from policeplan.plans.models import Measure, PlanVersion

if TYPE_CHECKING:
    from policeplan.performance.presenter import Headline

api = NinjaAPI(
    title="Police and Crime Plan API",
    version="1",
    description="The published Police and Crime Plan, its measures and their figures by area and "
    "period. Contains public sector information licensed under the Open Government Licence v3.0.",
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
    docs_decorator=require_safe,  # the OpenAPI document is only to read
)

api.add_router("", "policeplan.scrutiny.api_meetings.router")


api.add_router("/", "policeplan.scrutiny.api.router")


@api.exception_handler(choices.Unavailable)
def unavailable(request: HttpRequest, problem: choices.Unavailable) -> HttpResponse:
    """A query for an area or period the measure does not have: said so, with what it has."""
    return api.create_response(request, problem.as_json(), status=problem.status)


def _current() -> PlanVersion:
    version = plans.plan_current_public().version
    if version is None:
        raise Http404("No plan has been published")
    return version


def _status(m: Measure, head: "Headline | None") -> dict:
    from policeplan.performance import wording

    if head is None:
        return {}
    result, latest = head.assessment, head.latest
    return {
        "status": result.rag,
        "label": wording.rag_label(result),
        "rule": result.rule,
        "rule_name": result.rule_name,
        "reason": result.reason,
        "area_code": latest.area.code if latest else None,
        "period_type": latest.period_kind if latest else None,
        "period": latest.period_label if latest else None,
    }


def _measure(
    m: Measure, priority: str, outcome: str, made_up: set[str], head: "Headline | None" = None
) -> dict:
    if head is None:
        head = performance.measure_headlines(measures=[m], area=performance.main_force())[m.pk]
    return {
        "id": m.lineage,
        "title": m.title,
        "description": m.description,
        "priority": priority,
        "outcome": outcome,
        "unit": m.unit,
        "direction": m.direction,
        "frequency": m.frequency,
        "baseline_period": m.baseline_period,
        "target": m.target,
        "target_kind": m.target_kind,
        "target_value": m.target_value,
        "computed": bool(m.dataset),
        "made_up": str(m.lineage) in made_up,
        "page": reverse("dashboards:measure", kwargs={"lineage": m.lineage}),
        "unit_text": units.words(m.unit, m.dataset),
        "status": _status(m, head),
    }


def _priorities(version: PlanVersion) -> list[dict]:
    made_up = performance.made_up_lineages()
    framework = plans.plan_version_framework(version=version)
    heads = performance.measure_headlines(
        measures=[m for p in framework for o in p.outcomes.all() for m in o.measures.all()],
        area=performance.main_force(),
    )
    return [
        {
            "title": p.title,
            "slug": p.slug,
            "summary": p.summary,
            "outcomes": [
                {
                    "title": o.title,
                    "description": o.description,
                    "measures": [
                        _measure(m, p.title, o.title, made_up, heads[m.pk])
                        for m in o.measures.all()
                    ],
                }
                for o in p.outcomes.all()
            ],
        }
        for p in framework
    ]


@api.get("/plan", response={200: PlanOut, 404: ErrorOut}, summary="The current plan")
def plan(request: HttpRequest) -> dict:
    version = _current()
    return {
        "title": version.plan.title,
        "slug": version.plan.slug,
        "starts_on": version.plan.starts_on,
        "ends_on": version.plan.ends_on,
        "version": version.number,
        "state": version.state,
        "published_at": version.published_at,
        "priorities": _priorities(version),
    }


@api.get(
    "/priorities",
    response={200: list[PriorityOut], 404: ErrorOut},
    summary="Priorities, outcomes and measures",
)
def priorities(request: HttpRequest) -> list[dict]:
    return _priorities(_current())


@api.get(
    "/measures",
    response={200: list[MeasureOut], 404: ErrorOut},
    summary="Every measure of the current plan",
)
def measures(request: HttpRequest) -> list[dict]:
    return [m for p in _priorities(_current()) for o in p["outcomes"] for m in o["measures"]]


@api.get(
    "/measures/{measure_id}",
    response={200: MeasureDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One measure, with its caveats",
)
def measure(request: HttpRequest, measure_id: UUID) -> dict:
    m = plans.measure_public(lineage=str(measure_id))
    out = _measure(m, m.outcome.priority.title, m.outcome.title, performance.made_up_lineages())
    caveats = performance.caveats_for(
        dataset=m.dataset, categories=list(m.categories), concepts=list(m.concepts)
    )
    out["caveats"] = [
        {
            "effective_from": c.effective_from,
            "title": c.title,
            "text": c.text,
            "series_break": c.is_series_break,
        }
        for c in sorted(caveats, key=lambda c: (c.effective_from, c.pk))
    ]
    return out


@api.get(
    "/areas",
    response={200: list[AreaOut], 422: ValidationErrorOut},
    summary="Areas figures are given for",
)
@paginate(LimitOffsetPagination)
def areas(
    request: HttpRequest, level: Literal["force", "bcu", "borough"] | None = None
) -> list[dict]:
    rows = (
        Area.objects.filter(level__in=["force", "bcu", "borough"])
        .select_related("parent")
        .order_by("level", "name")
    )
    if level:
        rows = rows.filter(level=level)
    return [
        {
            "code": a.code,
            "name": a.name,
            "level": a.level,
            "parent": a.parent.code if a.parent else None,
        }
        for a in rows
    ]


@api.get(
    "/measures/{measure_id}/values",
    response={
        200: list[ValueOut],
        400: UnavailableOut,
        404: UnavailableOut,
        422: ValidationErrorOut,
    },
    summary="A measure's figures",
    description="Filtered by area code and period type. An area or period type this measure "
    "has no figures for answers 404, and a malformed one (or one given twice) 400, each with "
    "the values it does have: nothing else is answered in its place. A figure that is "
    "withheld is null, never 0; a period with no figure (no records, no population) is null "
    "with `not_available_reason`.",
)
@paginate(LimitOffsetPagination)
def values(
    request: HttpRequest,
    measure_id: UUID,
    area: str | None = None,
    period_type: str | None = None,
    start: str | None = Query(None, alias="from", pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    end: str | None = Query(None, alias="to", pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
) -> list[dict]:
    m = plans.measure_public(lineage=str(measure_id))
    lineage = str(measure_id)
    areas = performance.measure_areas(lineage=lineage)
    kinds = performance.measure_kinds(lineage=lineage)
    asked_area = choices.single(request.GET, "area", choices.area_options(areas))
    asked_kind = choices.single(request.GET, "period_type", choices.kind_options(kinds))
    if asked_kind is not None:
        choices.choose_kind(asked_kind, kinds, name="period_type")
    if asked_area:
        area = choices.choose_area(asked_area, areas).code
    found = performance.measure_values_filtered(
        lineage=str(measure_id), area=area, kind=period_type, start=start, end=end
    )
    made_up = str(measure_id) in performance.made_up_lineages()
    out = []
    found_list = list(found)
    for v in found_list:
        shown = present(v, m.unit, m.dataset)
        withheld = shown.suppressed
        out.append(
            {
                "area_code": v.area.code,
                "area_name": v.area.name,
                "period_type": v.period_kind,
                "period": v.period_label,
                "first_month": v.period_start,
                "last_month": v.period_end,
                "value": None if withheld else v.value,
                "lower_95": None if withheld else v.lower,
                "upper_95": None if withheld else v.upper,
                "numerator": None if withheld else v.numerator,
                "base": v.denominator,
                "suppressed": withheld,
                "made_up": made_up,
                "unit": m.unit,
                "figure": shown.value,
                "population_year": v.population_year if m.unit == "rate_per_1000" else None,
                "population_carried": m.unit == "rate_per_1000" and v.population_carried,
                "population_note": shown.population_note,
                "not_available_reason": None,
            }
        )
    # Periods of the measure's span with no figure: null with the reason, never 0.
    gaps = list(
        performance.measure_gaps_filtered(
            lineage=lineage, area=area, kind=period_type, start=start, end=end
        )
    )
    for g in gaps:
        out.append(
            {
                "area_code": g.area.code,
                "area_name": g.area.name,
                "period_type": g.period_kind,
                "period": g.period_label,
                "first_month": g.period_start,
                "last_month": g.period_end,
                "value": None,
                "lower_95": None,
                "upper_95": None,
                "numerator": None,
                "base": None,
                "suppressed": False,
                "made_up": made_up,
                "unit": m.unit,
                "figure": "Not available",
                "population_year": None,
                "population_carried": False,
                "population_note": "",
                "not_available_reason": g.reason,
            }
        )
    if len(out) > len(found_list):  # in the figures' order: area, period type, period
        order = {v.area.code: (v.area.level, v.area.name) for v in found_list}
        order.update({g.area.code: (g.area.level, g.area.name) for g in gaps})
        out.sort(
            key=lambda r: (*order[str(r["area_code"])], str(r["period_type"]), str(r["last_month"]))
        )
    return out


api.add_router("", "policeplan.scrutiny.api_decisions.router")  # the decisions log
api.add_router("", "policeplan.reports.api.router")  # published reports, as published
api.add_router("", "policeplan.estates.api.router")  # buildings, hours, pledges, disposals
api.add_router("", "policeplan.plans.localpriorities.api.router")  # boroughs' local priorities
