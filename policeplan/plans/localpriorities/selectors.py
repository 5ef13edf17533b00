"""Reads for local priorities: the evidence pack (made now, from the figures held), what each
borough agreed, and the review of a year's figures against the frozen pack."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from policeplan.performance.models import Area, AreaLevel, DataImport
from policeplan.plans.localpriorities import config, evidence
from policeplan.plans.models_local import LocalPriorities

FIRST_YEAR = 2010  # the first year the menu's figures can have five years before it (MPS: 2010-11)


def current_year(today: datetime.date | None = None) -> int:
    """The financial year we are in (its starting year): April to March."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def force_boroughs() -> list[Area]:
    from policeplan.performance.geography import config as geography

    forces = geography()
    codes = forces[0].all_boroughs if forces else []
    return list(Area.objects.filter(level=AreaLevel.BOROUGH, code__in=codes).order_by("name"))


def menu_figures(kind: str = "financial_year") -> dict[str, Any]:
    """Every menu crime's figures (all areas and periods of a kind), as the dashboards would
    compute them; cached until the next import."""
    from policeplan.performance.measures import concept_figures

    menu = config.menu()
    if menu is None:
        return {}
    last = DataImport.objects.order_by("-pk").values_list("pk", "finished_at").first()
    stamp = hashlib.sha256(repr((kind, last, settings.WAREHOUSE_ROOT)).encode()).hexdigest()
    key = f"local-priorities:figures:{stamp}"
    found = cache.get(key)
    if found is None:
        found = concept_figures(
            concepts={c.slug: list(c.concepts) for c in menu.candidates}, kind=kind
        )
        cache.set(key, found, 60 * 60)
    return found


def evidence_pack(*, borough: Area, year: int, figures: dict[str, Any] | None = None) -> dict:
    from policeplan.performance.geography import config as geography

    menu = config.menu()
    if menu is None:
        raise Http404("No menu of local priorities is configured")
    return evidence.build(
        menu=menu,
        figures=menu_figures() if figures is None else figures,
        borough=borough.code,
        boroughs={a.code: a.name for a in force_boroughs()},
        force=geography()[0].code,
        year=year,
    )


def agreed(*, year: int) -> list[LocalPriorities]:
    return list(LocalPriorities.objects.filter(year=year).select_related("borough"))


def agreed_for(*, borough: Area, year: int) -> LocalPriorities | None:
    return LocalPriorities.objects.filter(borough=borough, year=year).first()


def years_agreed() -> list[int]:
    return sorted(set(LocalPriorities.objects.values_list("year", flat=True)), reverse=True)


def review(record: LocalPriorities, *, figures: dict[str, Any] | None = None) -> list[dict]:
    """For each agreed priority: the pack's latest year beside the latest 12 months now held
    (or the year itself once complete): count, rate and change. None where there is no figure
    yet (never 0)."""
    figures = menu_figures(kind="rolling_12") if figures is None else figures
    pack = {c["slug"]: c for c in record.evidence.get("crimes", [])}
    # The latest 12 months ending within the agreed year: none until its first month is in.
    start, end = f"{record.year}-04", f"{record.year + 1}-03"
    rows = []
    for slug, title in zip(record.chosen, record.chosen_titles, strict=True):
        last = next((t for t in pack.get(slug, {}).get("trend", [])[::-1] if t["borough"]), None)
        baseline = last["borough"] if last else None
        own = [
            v
            for v in figures.get(slug, [])
            if v.level == "borough"
            and v.area_code == record.borough.code
            and start <= v.period.end <= end
        ]
        latest = max(own, key=lambda v: v.period.end) if own else None
        change = (
            (latest.numerator - baseline["count"]) / baseline["count"]
            if latest is not None and baseline and baseline["count"]
            else None
        )
        rows.append(
            {
                "slug": slug,
                "title": title,
                "baseline_year": last["year"] if last else "",
                "note": pack.get(slug, {}).get("note", ""),
                "baseline": baseline,
                "now_label": latest.period.label if latest else "",
                "now_count": int(latest.numerator) if latest else None,
                "now_rate": latest.value if latest else None,
                "change": change,
            }
        )
    return rows


def record_get(*, borough: Area, year: int) -> LocalPriorities:
    found = agreed_for(borough=borough, year=year)
    if found is None:
        raise Http404("No local priorities recorded for that year")
    return found
