"""The evidence pack for a borough's choice of local priorities, from figures computed as the
dashboards' are (`performance.measures.concept_figures`): for each crime on the menu, five
financial years of counts and rates per 1,000 residents beside the force's, the borough's rank
among the force's boroughs, and its change beside its most similar boroughs'.

Similarity (stated on the pack): boroughs are compared on their rates per 1,000 residents of
every crime on the menu in the latest year, each crime's rates put on one scale (how many
standard deviations from the boroughs' mean); the most similar are the nearest by straight
(Euclidean) distance on those scales. A pack is plain data (JSON), frozen with the decision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from policeplan.plans.localpriorities.config import Menu

YEARS = 5
SIMILARITY = (
    "Most similar boroughs: those nearest on the rates per 1,000 residents of every crime on "
    "the menu in {year}, each crime's rates measured in standard deviations from the "
    "boroughs' mean, by straight-line (Euclidean) distance."
)
NO_SURVEY = "The survey data held has no question on local concern about this crime."


def fy_label(start: int) -> str:
    return f"{start}-{str(start + 1)[2:]}"


def _table(values: Sequence[Any]) -> dict[tuple[str, str], Any]:
    """(area code, financial year key) -> value."""
    return {(v.area_code, v.period.key): v for v in values if v.level in ("borough", "force")}


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return (now - before) / before


def similar_boroughs(
    tables: Mapping[str, Mapping[tuple[str, str], Any]],
    codes: Sequence[str],
    borough: str,
    key: str,
    count: int,
) -> list[str]:
    """The `count` boroughs most like `borough` (see the module's note); boroughs missing a
    rate are left out. Ties go to the alphabetically first code."""
    vectors: dict[str, list[float]] = {c: [] for c in codes}
    for table in tables.values():
        rates = {c: table[(c, key)].value for c in codes if (c, key) in table}
        if len(rates) < 2:
            continue
        mean = sum(rates.values()) / len(rates)
        sd = math.sqrt(sum((r - mean) ** 2 for r in rates.values()) / len(rates)) or 1.0
        for c in codes:
            vectors[c].append((rates[c] - mean) / sd if c in rates else math.nan)
    own = vectors.get(borough, [])
    if not own or any(math.isnan(x) for x in own):
        return []
    distances = []
    for c in codes:
        if c == borough or any(math.isnan(x) for x in vectors[c]):
            continue
        distances.append((math.dist(own, vectors[c]), c))
    return [c for _, c in sorted(distances)[:count]]


def build(
    *,
    menu: Menu,
    figures: Mapping[str, Sequence[Any]],
    borough: str,
    boroughs: Mapping[str, str],
    force: str,
    year: int,
) -> dict[str, Any]:
    """The pack for `borough` (ONS code) choosing for the financial year starting in `year`:
    the five complete years before it. `boroughs` maps each of the force's borough codes to
    its name; `figures` maps each menu slug to its values (any areas and years)."""
    years = [fy_label(y) for y in range(year - YEARS, year)]
    latest, previous = years[-1], years[-2]
    tables = {slug: _table(figures.get(slug, ())) for slug in (c.slug for c in menu.candidates)}
    codes = sorted(boroughs)
    similar = similar_boroughs(tables, codes, borough, latest, menu.similar)
    crimes = []
    for candidate in menu.candidates:
        table = tables[candidate.slug]

        def row(code: str, key: str, table: Mapping = table) -> dict[str, Any] | None:
            v = table.get((code, key))
            if v is None:
                return None
            return {"count": int(v.numerator), "rate": v.value, "lower": v.lower, "upper": v.upper}

        trend = [
            {"year": key, "borough": row(borough, key), "force": row(force, key)} for key in years
        ]
        ranked = sorted(
            ((table[(c, latest)].value, c) for c in codes if (c, latest) in table), reverse=True
        )
        rank = next((i + 1 for i, (_, c) in enumerate(ranked) if c == borough), None)
        own_now, own_before = row(borough, latest), row(borough, previous)
        group_now = [row(c, latest) for c in similar]
        group_before = [row(c, previous) for c in similar]
        group_change = (
            _change(
                sum(r["count"] for r in group_now if r), sum(r["count"] for r in group_before if r)
            )
            if similar and all(group_now) and all(group_before)
            else None
        )
        crimes.append(
            {
                "slug": candidate.slug,
                "title": candidate.title,
                "note": candidate.note,
                "trend": trend,
                "rank": rank,
                "ranked_of": len(ranked),
                "change": _change(
                    own_now["count"] if own_now else None,
                    own_before["count"] if own_before else None,
                ),
                "similar_change": group_change,
                "survey_concern": None,
                "survey_note": NO_SURVEY,
            }
        )
    return {
        "borough": borough,
        "borough_name": boroughs.get(borough, borough),
        "year": fy_label(year),
        "years": years,
        "latest": latest,
        "similar": [{"code": c, "name": boroughs[c]} for c in similar],
        "similarity": SIMILARITY.format(year=latest),
        "crimes": crimes,
        "mandatory": list(menu.mandatory),
        "choose": menu.choose,
    }
