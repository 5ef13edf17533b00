"""A report's contents as one plain, JSON-safe dictionary (the snapshot): every figure and text
it shows, already worded, built from the other apps' selectors and the one measure presenter.

A draft is assembled afresh each time it is shown; publishing stores the dictionary, and the
templates, the PDF and the CSV read nothing else, so a published edition never changes when
figures are recomputed later. Markdown is rendered (and sanitised) here, once, into HTML.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from policeplan.core import dates
from policeplan.core import selectors as core
from policeplan.core.markdown import render_markdown
from policeplan.performance import charts
from policeplan.performance import selectors as performance
from policeplan.performance.disclosure import present
from policeplan.plans import selectors as plans
from policeplan.reports.kinds import PERIOD_KIND, SLUGS, ReportKind
from policeplan.warehouse import periods

SCHEMA = 1
# The trend table beside each chart: the latest periods, newest first; the chart shows the
# report's last five years (the dashboards have every year on record).
TREND_ROWS = 13
TREND_YEARS = 5
STATUS_ORDER = ("red", "amber", "green", "grey", "none")


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"£{amount:,.0f}"


def _month_bounds(start: str, end: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The London instants at which the period's first month starts and the month after its
    last month starts: [from, to)."""
    tz = timezone.get_default_timezone()
    after = periods.shift(end, 1)
    first = datetime.datetime(int(start[:4]), int(start[5:7]), 1, tzinfo=tz)
    last = datetime.datetime(int(after[:4]), int(after[5:7]), 1, tzinfo=tz)
    return first, last


def financial_year_of(report: Any) -> str:
    start = periods.financial_year_of(report.period_start)
    return f"{start}-{str(start + 1)[2:]}"


def _measure(m: Any, *, report: Any, priority: Any, outcome: Any) -> dict[str, Any]:
    """One measure as the report shows it: its headline figure for the force as it stood at
    the end of the report's period, with its interval, change and status; every BCU's and
    borough's figure for the same period; its trend (chart and table); its definition card;
    and the commentary on that figure."""
    lineage = str(m.lineage)
    areas = performance.measure_areas(lineage=lineage)
    kinds = performance.measure_kinds(lineage=lineage)
    area, kind = performance.measure_choice(
        measure=m, areas=areas, kinds=kinds, area=None, kind=None
    )
    view = performance.measure_view(
        measure=m, areas=areas, kinds=kinds, area=area, kind=kind, until=report.period_end
    )
    latest, shown = view.latest, view.latest_shown
    rag = view.assessment.rag if latest else "none"
    out: dict[str, Any] = {
        "lineage": lineage,
        "title": m.title,
        "url": reverse("dashboards:measure", kwargs={"lineage": m.lineage}),
        "priority": priority.title,
        "outcome": outcome.title,
        "area": area.name if area else "",
        "area_id": area.pk if area else None,
        "kind": kind,
        "kind_label": periods.KIND_LABELS.get(kind, kind),
        "made_up": view.made_up,
        "figure": shown.value if shown else "No figures yet",
        "interval": shown.interval if shown else "",
        "base": _base_words(m, shown),
        "stale": bool(latest and latest.period_end < report.period_end),
        "value": None if shown is None or shown.raw is None else latest.value,  # type: ignore[union-attr]
        "lower": None if shown is None or shown.raw is None else latest.lower,  # type: ignore[union-attr]
        "upper": None if shown is None or shown.raw is None else latest.upper,  # type: ignore[union-attr]
        "period": latest.period_label if latest else "",
        "period_key": latest.period_key if latest else "",
        "rag": rag,
        "status": _status(view) if latest else "",
        "status_classes": _status_classes(rag) if latest else "",
        "rule": view.rule_text if latest else "",
        "change": view.change_text,
        "long_term": view.long_term_text,
        "baseline_change": view.baseline_text,
        "target": view.target_shown,
        "no_figures": view.no_figures_reason
        or ("" if latest else f"There is no figure for a period ending by {report.period_label}."),
        "definition": {
            "description": m.description,
            "methodology": view.methodology,
            "source": m.get_data_source_kind_display(),
            "unit": view.unit_words,
            "frequency": m.get_frequency_display(),
            "baseline": m.baseline_period,
            "target_text": m.target,
            "owner": m.owner,
            "direction": m.get_direction_display(),
        },
        "caveats": [
            {"title": c.title, "from": c.effective_from, "text": c.text} for c in view.caveats
        ],
        "figure_column": view.figure_column,
        "trend": charts.trend_since(
            view.trend, periods.shift(report.period_end, 1 - 12 * TREND_YEARS)
        )
        if view.trend
        else None,
        "trend_rows": [
            {
                "period": row.period_label,
                "figure": s.value if s is not None else "Not available",
                "interval": s.interval if s is not None else getattr(row, "reason", ""),
            }
            for row, s in view.rows[:TREND_ROWS]
        ],
        "areas": [],
        "own_period": _own_period(m, report=report, area_id=area.pk if area else None)
        if latest and kind != PERIOD_KIND[ReportKind(report.kind)]
        else None,
        "unit": view.unit_words,
        "ranked": view.ranked,
        "commentary": "",
        "commentary_state": "",
    }
    if latest is not None:
        for v in performance.measure_period_figures(
            lineage=lineage, kind=kind, period_key=latest.period_key
        ):
            s = present(v, m.unit, m.dataset)
            out["areas"].append(
                {
                    "name": v.area.name,
                    "code": v.area.code,
                    "level": v.area.get_level_display(),
                    "numerator": s.numerator,
                    "base": s.base,
                    "area_id": v.area_id,
                    "figure": s.value,
                    "interval": s.interval,
                    "value": None if s.raw is None else v.value,
                    "lower": None if s.raw is None else v.lower,
                    "upper": None if s.raw is None else v.upper,
                }
            )
    return out


def _base_words(m: Any, shown: Any) -> str:
    """What the figure is worked out on, in words ('' for a count): the residents and the
    population estimate's year for a rate; the people asked or cases for a percentage."""
    if shown is None or not shown.base or m.unit == "count":
        return ""
    if m.unit == "rate_per_1000":
        year = f", {shown.population}" if shown.population else ""
        return f"Rate on {shown.base} residents (population estimate{year})"
    return f"Out of {shown.base}"


def _own_period(m: Any, *, report: Any, area_id: int | None) -> dict[str, str] | None:
    """The measure's figure for the report's own period (the quarter, the month or the
    financial year itself), for the force, when it has one: beside the headline figure."""
    kind = PERIOD_KIND[ReportKind(report.kind)]
    if area_id is None:
        return None
    found = next(
        (
            v
            for v in performance.measure_period_figures(
                lineage=str(m.lineage), kind=kind, period_key=report.period_key
            )
            if v.area_id == area_id
        ),
        None,
    )
    if found is None:
        return None
    shown = present(found, m.unit, m.dataset)
    return {
        "label": found.period_label,
        "kind_label": periods.KIND_LABELS[kind],
        "figure": shown.value,
        "interval": shown.interval,
        "value": None if shown.raw is None else found.value,  # type: ignore[dict-item]
    }


def _status(view: Any) -> str:
    from policeplan.performance import wording

    return wording.rag_label(view.assessment)


def _status_classes(rag: str) -> str:
    from policeplan.performance import wording

    return wording.RAG_CLASSES.get(rag, "govuk-tag--grey")


def _commentary(measures: list[dict[str, Any]]) -> None:
    """Each measure's commentary on the figure it shows (approved text only; the state is
    kept so the checklist can name what is missing)."""
    by_period: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in measures:
        if item["period_key"]:
            by_period.setdefault((item["kind"], item["period_key"]), []).append(item)
    for (kind, key), items in by_period.items():
        status = performance.commentary_status(
            measure_lineages=[i["lineage"] for i in items], period_kind=kind, period_key=key
        )
        for item in items:
            found = status[item["lineage"]]
            item["commentary_state"] = found.state
            if found.approved and found.commentary is not None:
                item["commentary"] = str(render_markdown(found.commentary.text))


def _rag_summary(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from policeplan.performance import wording

    # By status in words ('Short of its target' and 'Getting worse' are both red, and say
    # different things), worst first.
    counts: dict[tuple[str, str], int] = {}
    for item in measures:
        if item["period_key"]:  # a measure with no figure has no status: counted apart
            key = (item["rag"], item["status"])
            counts[key] = counts.get(key, 0) + 1
    order = {rag: i for i, rag in enumerate(STATUS_ORDER)}
    out = [
        {"rag": rag, "label": label, "classes": wording.RAG_CLASSES[rag], "count": n}
        for (rag, label), n in sorted(counts.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    ]
    without = sum(1 for item in measures if not item["period_key"])
    if without:
        out.append({"rag": "", "label": "No figure", "classes": "", "count": without})
    return out


def _recommendations(report: Any) -> list[dict[str, Any]]:
    """The committee's recommendations published by the period's end, with the office's
    response as the public sees it."""
    from policeplan.scrutiny import selectors_recommendations as scrutiny
    from policeplan.scrutiny.disclosure import PUBLIC

    _, until = _month_bounds(report.period_start, report.period_end)
    out = []
    for row in scrutiny.rows_for_viewer(viewer=PUBLIC):
        published = row.report.published_on
        if published is None or published >= until.date():
            continue
        response = row.response
        out.append(
            {
                "report": row.report.title,
                "number": row.recommendation.number,
                "text": row.recommendation.text,
                "url": row.url,
                "status": row.status_label,
                "reasons": response.reasons if response is not None else "",
                "will_do": response.will_do if response is not None else "",
                "progress": row.progress,
            }
        )
    return out


def _consultations(report: Any) -> list[dict[str, Any]]:
    from policeplan.analysis import selectors as analysis

    start, end = _month_bounds(report.period_start, report.period_end)
    out = []
    for consultation, themes in analysis.you_said_published_between(start=start, end=end):
        out.append(
            {
                "title": consultation.title,
                "url": reverse("analysis:results", kwargs={"slug": consultation.slug}),
                "you_said_url": reverse(
                    "analysis:public-you-said", kwargs={"slug": consultation.slug}
                ),
                "themes": [
                    {
                        "label": t.label,
                        "you_said": t.you_said,
                        "we_did": str(render_markdown(t.we_did)),
                        "changes": [c.summary for c in t.plan_changes.all()],
                    }
                    for t in themes
                ],
            }
        )
    return out


def _finance(report: Any) -> dict[str, Any]:
    year = financial_year_of(report)
    found = plans.version_finance(version=report.plan_version, financial_year=year)
    resources = [
        {"heading": r.heading, "amount": _money(r.amount), "notes": r.notes}
        for r in found["resources"]
    ]
    grants = [
        {
            "recipient": g.recipient,
            "purpose": g.purpose,
            "amount": _money(g.amount),
            "conditions": g.conditions,
        }
        for g in found["grants"]
    ]
    return {
        "year": year,
        "resources": resources,
        "resources_total": _money(sum((r.amount for r in found["resources"]), Decimal(0)))
        if resources
        else "",
        "grants": grants,
        "grants_total": _money(sum((g.amount for g in found["grants"]), Decimal(0)))
        if grants
        else "",
    }


TEXTS = ("foreword", "functions", "national_priorities", "inspection", "complaints")


def assemble(report: Any) -> dict[str, Any]:
    """Everything the report shows, as it stands now (see the module's docstring)."""
    version = report.plan_version
    office = core.office_current()
    framework = plans.plan_version_framework(version=version)
    priorities, measures = [], []
    for priority in framework:
        outcomes = []
        for outcome in priority.outcomes.all():
            items = [
                _measure(m, report=report, priority=priority, outcome=outcome)
                for m in outcome.measures.all()
            ]
            measures.extend(items)
            outcomes.append({"title": outcome.title, "measures": items})
        priorities.append({"title": priority.title, "outcomes": outcomes})
    _commentary(measures)
    commitments = [
        {
            "text": c.text,
            "priority": c.priority.title if c.priority else "",
            "owner": c.owner,
            "due": dates.day(c.due_on),
            "status": c.get_status_display(),
            "status_key": c.status,
        }
        for c in plans.version_commitments(version=version)
    ]
    return {
        "schema": SCHEMA,
        "kind": report.kind,
        "kind_label": ReportKind(report.kind).label,
        "slug": SLUGS[ReportKind(report.kind)],
        "title": f"{ReportKind(report.kind).label} {report.period_label}",
        "period": {
            "kind": PERIOD_KIND[ReportKind(report.kind)],
            "key": report.period_key,
            "label": report.period_label,
            "start": report.period_start,
            "end": report.period_end,
        },
        "office": office.name if office else "Police and Crime Plan",
        "plan": {
            "title": version.plan.title,
            "version": str(version),
            "url": reverse(
                "plans:version", kwargs={"plan_slug": version.plan.slug, "number": version.number}
            ),
        },
        "assembled_on": dates.day(timezone.now()),
        "texts": {name: str(render_markdown(getattr(report, name))) for name in TEXTS},
        "rag": _rag_summary(measures),
        "priorities": priorities,
        "commitments": commitments,
        "recommendations": _recommendations(report),
        "consultations": _consultations(report),
        "finance": _finance(report),
    }


def measures_of(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Every measure the report shows, in the framework's order."""
    return [m for p in snapshot["priorities"] for o in p["outcomes"] for m in o["measures"]]


FIGURE_COLUMNS = [
    "priority",
    "outcome",
    "measure",
    "area",
    "area_code",
    "area_level",
    "kind_of_period",
    "period",
    "figure_as_published",
    "value",
    "lower_95",
    "upper_95",
    "unit",
    "numerator",
    "base",
    "status",
    "latest_available_not_for_the_period",
    "source",
    "caveats",
    "made_up_for_the_demonstration",
]


def _number(value: float | None) -> str | float:
    """A value as the CSV gives it: '' when withheld or absent (never 0), else the stored
    number rounded to 6 significant figures (a proportion stays a proportion: 0.734)."""
    return "" if value is None else float(f"{value:.6g}")


def figure_rows(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure the report shows, one row each (its CSV): each measure's headline figure
    for every area (the force first), then its figure for the report's own period. A measure
    with no figure has one row that says so; withheld figures have no value."""
    rows = []
    for m in measures_of(snapshot):
        base = {
            "priority": m["priority"],
            "outcome": m["outcome"],
            "measure": m["title"],
            "kind_of_period": m["kind_label"],
            "period": m["period"],
            "unit": m.get("unit", ""),
            "latest_available_not_for_the_period": "yes" if m.get("stale") else "no",
            "source": m["definition"]["source"],
            "caveats": " | ".join(f"{c['from']}: {c['title']}" for c in m["caveats"]),
            "made_up_for_the_demonstration": "yes" if m["made_up"] else "no",
        }
        blank = {"area_code": "", "area_level": "", "numerator": "", "base": ""}
        if not m["areas"]:
            rows.append(
                {
                    **base,
                    **blank,
                    "area": m["area"],
                    "figure_as_published": m["figure"],
                    "value": "",
                    "lower_95": "",
                    "upper_95": "",
                    "status": m["status"],
                }
            )
        for a in m["areas"]:
            rows.append(
                {
                    **base,
                    "area": a["name"],
                    "area_code": a.get("code", ""),
                    "area_level": a["level"],
                    "figure_as_published": a["figure"],
                    "value": _number(a["value"]),
                    "lower_95": _number(a["lower"]),
                    "upper_95": _number(a["upper"]),
                    "numerator": a.get("numerator", ""),
                    "base": a.get("base", ""),
                    "status": m["status"] if a["area_id"] == m["area_id"] else "",
                }
            )
        own = m.get("own_period")
        if own:
            force = next((a for a in m["areas"] if a["area_id"] == m["area_id"]), None)
            rows.append(
                {
                    **base,
                    **blank,
                    "area": m["area"],
                    "area_code": force.get("code", "") if force else "",
                    "area_level": force["level"] if force else "",
                    "kind_of_period": own["kind_label"],
                    "period": own["label"],
                    "latest_available_not_for_the_period": "no",
                    "figure_as_published": own["figure"],
                    "value": _number(own["value"]),
                    "lower_95": "",
                    "upper_95": "",
                    "status": "",
                }
            )
    return rows
