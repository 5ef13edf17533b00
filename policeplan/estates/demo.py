"""The demo's police estate: made up for the demonstration (marked so on the buildings), on
the real borough boundaries and populations the demo imports. Each borough has a 24-hour
front counter (from the 2017 public access strategy) and one or two others; some closed in
2017 and one in 2023, one closure is planned, and one borough's 24-hour counter cut its hours
for a summer (so the pledge was broken there then). Residents are spread evenly over each
borough, as the demo has no LSOA centroids: every page that shows coverage says so."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from policeplan.core.models import User
from policeplan.core.roles import Role
from policeplan.estates import coverage as cov
from policeplan.estates import selectors, services
from policeplan.estates.models import BuildingKind, BuildingStatus, Partnership, PledgeRule
from policeplan.performance.models import AreaBoundary

SOURCE = "Made up for the demonstration"
STRATEGY_DAY = datetime.date(2017, 11, 1)
FIRST_DAY = datetime.date(2013, 1, 1)
DAYTIME = "Mo-Fr 08:00-20:00; Sa 09:00-17:00"

# Borough -> its 24-hour counter, then its other front counters (names of real places).
STATIONS = {
    "barking-and-dagenham": ["Barking", "Dagenham"],
    "barnet": ["Colindale", "Barnet", "Golders Green"],
    "bexley": ["Bexleyheath", "Sidcup"],
    "brent": ["Wembley", "Kilburn", "Harlesden"],
    "bromley": ["Bromley", "Orpington", "Penge"],
    "camden": ["Holborn", "Kentish Town", "Hampstead"],
    "croydon": ["Croydon", "Norbury", "South Norwood"],
    "ealing": ["Ealing", "Southall", "Acton"],
    "enfield": ["Edmonton", "Enfield", "Southgate"],
    "greenwich": ["Plumstead", "Eltham", "Greenwich"],
    "hackney": ["Stoke Newington", "Hackney"],
    "hammersmith-and-fulham": ["Hammersmith", "Fulham", "Shepherd's Bush"],
    "haringey": ["Tottenham", "Wood Green", "Hornsey"],
    "harrow": ["South Harrow", "Wealdstone"],
    "havering": ["Romford", "Hornchurch", "Rainham"],
    "hillingdon": ["Uxbridge", "Hayes", "Northwood"],
    "hounslow": ["Hounslow", "Chiswick", "Feltham"],
    "islington": ["Islington", "Highbury Vale"],
    "kensington-and-chelsea": ["Kensington", "Chelsea", "Notting Hill"],
    "kingston-upon-thames": ["Kingston", "Surbiton"],
    "lambeth": ["Brixton", "Kennington", "Streatham"],
    "lewisham": ["Lewisham", "Catford", "Sydenham"],
    "merton": ["Wimbledon", "Mitcham"],
    "newham": ["Forest Gate", "Stratford", "East Ham"],
    "redbridge": ["Ilford", "Woodford", "Barkingside"],
    "richmond-upon-thames": ["Twickenham", "Richmond", "Teddington"],
    "southwark": ["Walworth", "Peckham", "Bermondsey"],
    "sutton": ["Sutton", "Wallington"],
    "tower-hamlets": ["Bethnal Green", "Limehouse", "Isle of Dogs"],
    "waltham-forest": ["Chingford", "Leyton", "Walthamstow"],
    "wandsworth": ["Lavender Hill", "Wandsworth", "Tooting"],
    "westminster": ["Charing Cross", "Belgravia", "Paddington Green"],
}
# Front counters that closed under the 2017 strategy (they kept daytime hours till then).
CLOSED_2017 = {"Hornsey", "Teddington", "Penge", "Rainham", "Northwood", "Sydenham"}
CLOSED_2023 = {"Paddington Green": datetime.date(2023, 3, 31)}
PLANNED = {"Catford": datetime.date(2027, 3, 31)}
# Sutton's 24-hour counter cut to 07:00-23:00 for the summer of 2025: the pledge broken there.
CUT = ("Sutton", datetime.date(2025, 6, 1), datetime.date(2025, 10, 1), "Mo-Su 07:00-23:00")

DISPOSALS: list[dict[str, Any]] = [
    {
        "building": "Hornsey",
        "decision_reference": "PCD 0301",
        "decided_on": (2018, 3, 12),
        "estimated_receipt": 4_500_000,
        "actual_receipt": 4_750_000,
        "sold_on": (2019, 1, 15),
        "running_cost_saving": 180_000,
    },
    {
        "building": "Teddington",
        "decision_reference": "PCD 0288",
        "decided_on": (2018, 2, 1),
        "estimated_receipt": 2_100_000,
        "actual_receipt": 2_350_000,
        "sold_on": (2018, 9, 28),
        "running_cost_saving": 95_000,
    },
    {
        "building": "Paddington Green",
        "decision_reference": "PCD 0955",
        "decided_on": (2023, 5, 9),
        "estimated_receipt": 38_000_000,
        "actual_receipt": None,
        "sold_on": None,
        "running_cost_saving": 1_400_000,
    },
    {
        "building": "Catford",
        "decision_reference": "PCD 1207",
        "decided_on": (2026, 9, 14),
        "estimated_receipt": 3_200_000,
        "actual_receipt": None,
        "sold_on": None,
        "running_cost_saving": 160_000,
        "exempt": True,
        "exempt_reason": "Commercially sensitive while the sale is negotiated",
    },
]


def _places(geometry: dict, count: int) -> list[tuple[float, float]]:
    """`count` spread-out points inside the borough (latitude, longitude)."""
    from shapely.geometry import shape

    outline = shape(geometry)
    grid = cov.even_spread_points("x", geometry, 1, spacing_m=900)
    if not grid:
        point = outline.representative_point()
        return [(point.y, point.x)] * count
    centre = outline.representative_point()
    grid.sort(key=lambda p: (p.latitude - centre.y) ** 2 + (p.longitude - centre.x) ** 2)
    step = max(1, len(grid) // (count + 1))
    chosen = [grid[0]] + [grid[min(len(grid) - 1, step * (i + 1))] for i in range(count - 1)]
    return [(p.latitude, p.longitude) for p in chosen]


def load() -> dict[str, int]:
    officer = User.objects.filter(role=Role.POLICY_OFFICER).order_by("pk").first()
    if officer is None:
        return {}
    areas = selectors.boroughs()
    outlines = dict(AreaBoundary.objects.filter(area__in=areas).values_list("area_id", "geometry"))
    made: dict[str, Any] = {}
    for area in areas:
        names = STATIONS.get(selectors.borough_slug(area), [area.name])
        places = _places(outlines[area.pk], len(names)) if area.pk in outlines else []
        for index, name in enumerate(names):
            lat, lon = places[index] if places else (None, None)
            closed = name in CLOSED_2017 or name in CLOSED_2023
            building = services.building_save(
                user=officer,
                reference=f"DEMO-{area.code}-{index + 1}",
                data={
                    "name": f"{name} Police Station",
                    "address": f"{name}, London",
                    "borough": area,
                    "latitude": lat,
                    "longitude": lon,
                    "kind": BuildingKind.POLICE_STATION
                    if index < 2
                    else BuildingKind.FRONT_COUNTER,
                    # marked closed once its hours say when it closed (below)
                    "status": BuildingStatus.OPEN,
                    "step_free": index != 2,
                    "services": ["Report a crime", "Lost property", "Bail signing"]
                    if index == 0
                    else ["Report a crime"],
                },
            )
            building.source = SOURCE
            building.save(update_fields=["source"])
            made[name] = building
            main = index == 0
            services.schedule_record(
                user=officer,
                building=building,
                starts_on=FIRST_DAY,
                hours="24/7" if main else DAYTIME,
            )
            if name in CLOSED_2017:
                services.schedule_record(
                    user=officer,
                    building=building,
                    starts_on=STRATEGY_DAY,
                    hours="closed",
                    note="Closed under the 2017 public access strategy",
                )
            elif not main:
                services.schedule_record(
                    user=officer,
                    building=building,
                    starts_on=STRATEGY_DAY,
                    hours="Mo-Fr 09:00-17:00",
                )
            if name in CLOSED_2023:
                services.schedule_record(
                    user=officer, building=building, starts_on=CLOSED_2023[name], hours="closed"
                )
            if name in PLANNED:
                services.schedule_record(
                    user=officer,
                    building=building,
                    starts_on=PLANNED[name],
                    hours="closed",
                    note="Closure agreed in PCD 1207",
                )
            if closed:
                services.building_save(
                    user=officer, data={"status": BuildingStatus.CLOSED}, building=building
                )
    name, start, end, cut = CUT
    if name in made:
        services.schedule_record(
            user=officer,
            building=made[name],
            starts_on=start,
            hours=cut,
            note="Reduced hours over the summer (staffing)",
        )
        services.schedule_record(user=officer, building=made[name], starts_on=end, hours="24/7")
    services.pledge_save(
        user=officer,
        data={
            "title": "At least one 24-hour front counter in every borough",
            "rule": PledgeRule.ROUND_THE_CLOCK,
            "at_least": 1,
            "made_on": STRATEGY_DAY,
            "made_by": "The Mayor, in the public access and engagement strategy",
        },
    )
    for raw in DISPOSALS:
        sold = made.get(raw["building"])
        if sold is None:
            continue
        data = {k: v for k, v in raw.items() if k != "building"}
        for key in ("decided_on", "sold_on"):
            data[key] = datetime.date(*data[key]) if data.get(key) else None
        for key in ("estimated_receipt", "actual_receipt", "running_cost_saving"):
            data[key] = Decimal(data[key]) if data.get(key) is not None else None
        services.disposal_save(user=officer, data={"building": sold, **data})
        sold.status = (
            BuildingStatus.DISPOSED if data.get("sold_on") else BuildingStatus.PLANNED_DISPOSAL
        )
        sold.save(update_fields=["status"])
    for area in areas:
        command = area.parent.name if area.parent else area.name
        Partnership.objects.create(
            borough=area,
            name=f"{area.name} Community Safety Partnership",
            # The responsible authorities of the Crime and Disorder Act 1998, s.5.
            members="\n".join(
                [
                    f"{area.name} Council",
                    f"Metropolitan Police Service ({command} BCU)",
                    "London Fire Brigade",
                    "Probation Service (London)",
                    "NHS integrated care board",
                ]
            ),
            created_by=officer,
        )
    points = services.resident_points_even_spread(user=officer, spacing_m=500)
    return {"buildings": len(made), "points": points}
