"""The public's pages on police buildings: where to find a front counter and whether it is
open now (for the force and each borough, as a map with a list beside it), the pledges about
public access checked on any date, how many residents live near an open counter, and the
estates strategy and disposals, with their downloads."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from policeplan.core.csvsafe import to_csv
from policeplan.estates import disclosure, hours, records, selectors
from policeplan.performance import charts
from policeplan.performance import selectors as performance
from policeplan.performance.models import Area

SECTION = "boroughs"
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def _day(request: HttpRequest) -> tuple[datetime.date, bool]:
    """The date asked for (?date=2026-03-01), or today in London; 404 for anything else, so
    a crafted value never reaches a query or a page."""
    today = timezone.now().astimezone(hours.LONDON).date()
    asked = request.GET.get("date", "")
    if not asked:
        return today, False
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", asked):  # not 2026-W01-1 either
        raise Http404("Not a date")
    try:
        day = datetime.date.fromisoformat(asked)
    except ValueError:
        raise Http404("Not a date") from None
    if not EARLIEST <= day <= LATEST:
        raise Http404("Not a date we check")
    return day, day != today


def _distance(request: HttpRequest) -> int:
    asked = request.GET.get("distance", "")
    if not asked:
        return selectors.DEFAULT_DISTANCE_M
    if asked not in {str(d) for d in selectors.DISTANCES_M}:
        raise Http404("Not one of the distances offered")
    return int(asked)


def _state(point: selectors.AccessPoint) -> str:
    if point.closed:
        return "Closed"
    if point.round_the_clock:
        return "24 hours"
    return "Open today" if point.open_today else "Not open today"


def access_map(points: list[selectors.AccessPoint], borough: Area | None) -> str:
    """The map as SVG (drawn on the server, so it needs no JavaScript)."""
    areas = selectors.boroughs()
    outlines = performance.area_boundaries(area_ids=[a.pk for a in areas])
    shown = [a for a in areas if a.pk in outlines]
    if not shown:
        return ""
    spec = charts.estate_map_spec(
        [
            {
                "name": a.name,
                "geometry": outlines[a.pk],
                "highlighted": borough is not None and a.pk == borough.pk,
            }
            for a in shown
            if borough is None or a.pk == borough.pk
        ],
        [
            {
                "name": p.building.name,
                "latitude": p.building.latitude,
                "longitude": p.building.longitude,
                "state": _state(p),
            }
            for p in points
            if p.building.located
        ],
    )
    return charts.svg(spec)


def _access_context(request: HttpRequest, borough: Area | None) -> dict[str, Any]:
    now = timezone.now()
    points = selectors.access_points(borough=borough, now=now)
    return {
        "borough": borough,
        "points": points,
        "open_points": [p for p in points if not p.closed],
        "closed_points": [p for p in points if p.closed],
        "map_svg": access_map(points, borough),
        "now": now.astimezone(hours.LONDON),
        "structured": records.structured_data(points, request),
        "schedule_on": selectors.schedule_on,
        "section": SECTION,
    }


@require_safe
def force_access(request: HttpRequest) -> HttpResponse:
    context = _access_context(request, None)
    context["boroughs"] = selectors.boroughs()
    return render(request, "estates/access.html", context)


@require_safe
def borough_access(request: HttpRequest, slug: str) -> HttpResponse:
    borough = selectors.borough_by_slug(slug)
    return render(request, "estates/access.html", _access_context(request, borough))


@require_safe
def pledges(request: HttpRequest) -> HttpResponse:
    day, chosen = _day(request)
    areas = selectors.boroughs()
    every = list(selectors.buildings())
    checked = []
    for pledge in selectors.pledges():
        history = selectors.pledge_history(pledge, areas=areas, every=every)
        check = selectors.pledge_check(pledge, day, areas=areas, every=every)
        checked.append(
            {
                "pledge": pledge,
                "check": check,
                "spell": selectors.spell_on(history, day),
                "history": history,
                "before_made": day < pledge.made_on,
            }
        )
    return render(
        request,
        "estates/pledges.html",
        {
            "day": day,
            "today": timezone.now().astimezone(hours.LONDON).date(),
            "chosen": chosen,
            "checked": checked,
            "section": SECTION,
        },
    )


@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    day, chosen = _day(request)
    within = _distance(request)
    rows = selectors.coverage_by_borough(day=day, within_m=within)
    return render(
        request,
        "estates/coverage.html",
        {
            "day": day,
            "chosen": chosen,
            "within": within,
            "distances": selectors.DISTANCES_M,
            "rows": rows,
            "force": selectors.access_coverage(day=day, within_m=within),
            "section": SECTION,
        },
    )


@require_safe
def disposals(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.disposals())
    return render(
        request,
        "estates/disposals.html",
        {
            "rows": [disclosure.disposal_record(r) for r in rows],
            "by_year": selectors.disposal_totals(rows, by="year"),
            "by_borough": selectors.disposal_totals(rows, by="borough"),
            "decisions": records.decision_links([r.decision_reference for r in rows]),
            "strategy": list(selectors.strategy_documents()),
            "withheld": disclosure.WITHHELD,
            "section": SECTION,
        },
    )


def _csv(name: str, header: list[str], rows: Any) -> HttpResponse:
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def disposals_csv(request: HttpRequest) -> HttpResponse:
    records_ = [disclosure.disposal_record(r) for r in selectors.disposals()]
    header = list(records.DISPOSAL_COLUMNS)
    return _csv("disposals.csv", header, ([records.cell(r[k]) for k in header] for r in records_))


@require_safe
def buildings_csv(request: HttpRequest) -> HttpResponse:
    day, _ = _day(request)
    header = list(records.BUILDING_COLUMNS)
    rows = [records.building_record(b, day) for b in selectors.buildings()]
    return _csv(
        f"police-buildings-{day.isoformat()}.csv",
        header,
        ([records.cell(r[k]) for k in header] for r in rows),
    )


@require_safe
def pledges_csv(request: HttpRequest) -> HttpResponse:
    day, _ = _day(request)
    header = list(records.PLEDGE_COLUMNS)
    rows = records.pledge_records(day)
    return _csv(
        f"pledges-{day.isoformat()}.csv",
        header,
        ([records.cell(r[k]) for k in header] for r in rows),
    )


@require_safe
def pledges_record_csv(request: HttpRequest) -> HttpResponse:
    header = list(records.PLEDGE_RECORD_COLUMNS)
    rows = records.pledge_record_rows()
    return _csv("pledges-record.csv", header, ([records.cell(r[k]) for k in header] for r in rows))


@require_safe
def strategy_document(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.strategy_documents().filter(pk=pk).first()
    if document is None:
        raise Http404("No such document")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or "estates-strategy.pdf",
        content_type="application/pdf",
    )
