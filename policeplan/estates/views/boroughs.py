"""One page per borough, joining what the office holds about it: how its measures are going,
its front counters and how many residents live near one, the pledges there, and the
buildings sold; and the list of boroughs that links to them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from policeplan.estates import disclosure, hours, selectors
from policeplan.estates.views.public import SECTION, access_map
from policeplan.performance import selectors as performance
from policeplan.performance import wording
from policeplan.performance.models import Area
from policeplan.plans import selectors as plans


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "estates/boroughs.html",
        {"boroughs": selectors.boroughs(), "section": SECTION},
    )


def _measures(borough: Area) -> tuple[list, dict]:
    current = plans.plan_current_public()
    if current.version is None:
        return [], {}
    framework = list(plans.plan_version_framework(version=current.version))
    measures = [m for p in framework for o in p.outcomes.all() for m in o.measures.all()]
    return framework, performance.measure_headlines(measures=measures, area=borough)


@require_safe
def borough(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.borough_by_slug(slug)
    now = timezone.now()
    today = now.astimezone(hours.LONDON).date()
    every = list(selectors.buildings())
    points = selectors.access_points(borough=area, now=now)
    framework, headlines = _measures(area)
    checks = [
        selectors.pledge_check(p, today, areas=[area], every=every) for p in selectors.pledges()
    ]
    from policeplan.plans.localpriorities import selectors as local

    year = local.current_year(today)
    agreed = local.agreed_for(borough=area, year=year)
    from django.conf import settings

    from policeplan.analysis import selectors as analysis
    from policeplan.scrutiny.selectors_recommendations import public_rows_for_borough

    partnership = selectors.partnerships().get(area.pk)
    sold = [
        disclosure.disposal_record(d) for d in selectors.disposals().filter(building__borough=area)
    ]
    return render(
        request,
        "estates/borough.html",
        {
            "borough": area,
            "points": points,
            "open_points": [p for p in points if not p.closed],
            "closed_points": [p for p in points if p.closed],
            "map_svg": access_map(points, area),
            "coverage": selectors.access_coverage(day=today, borough=area, every=every),
            "checks": [c for c in checks if today >= c.pledge.made_on],
            "priorities": framework,
            "headlines": headlines,
            "rag_classes": wording.RAG_CLASSES,
            "rag_label": wording.rag_label,
            "disposals": sold,
            "partnership": partnership,
            "representations": selectors.representations(partnership=partnership)
            if partnership
            else [],
            "consultations": analysis.borough_results(
                borough_code=area.code, min_cell=settings.EQUALITY_MIN_CELL
            ),
            "min_cell": settings.EQUALITY_MIN_CELL,
            "recommendations": public_rows_for_borough(area=area),
            "local": agreed,
            "local_year": year,
            "local_review": local.review(agreed) if agreed else [],
            "section": SECTION,
        },
    )
