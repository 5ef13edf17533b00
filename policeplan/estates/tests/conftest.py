"""A small estate on three real boroughs (with square outlines near where they are), for
tests that need buildings, hours, pledges and residents without the whole demo."""

from __future__ import annotations

import datetime

import pytest

from policeplan.estates import services
from policeplan.estates.models import BuildingKind, BuildingStatus, PledgeRule
from policeplan.performance.models import Area, AreaBoundary, AreaLevel


def square(lat: float, lon: float, half: float = 0.05) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def boroughs(db):
    made = {}
    for code, name, lat, lon in (
        ("E09000003", "Barnet", 51.62, -0.20),
        ("E09000005", "Brent", 51.55, -0.28),
        ("E09000015", "Harrow", 51.59, -0.34),
    ):
        area = Area.objects.create(level=AreaLevel.BOROUGH, code=code, name=name)
        AreaBoundary.objects.create(area=area, geometry=square(lat, lon), source="test")
        made[name] = area
    return made


@pytest.fixture
def estate(boroughs, officer):
    """Each borough has a 24-hour counter; Brent's closes on 1 April 2026, with nothing
    24-hour after it; Barnet has a daytime counter too."""

    def add(reference, name, area, lat, lon, *schedules):
        building = services.building_save(
            user=officer,
            reference=reference,
            data={
                "name": name,
                "borough": area,
                "latitude": lat,
                "longitude": lon,
                "kind": BuildingKind.POLICE_STATION,
                "status": BuildingStatus.OPEN,
            },
        )
        for day, hours in schedules:
            services.schedule_record(user=officer, building=building, starts_on=day, hours=hours)
        return building

    start = datetime.date(2017, 11, 1)
    made = {
        "colindale": add("B1", "Colindale", boroughs["Barnet"], 51.60, -0.25, (start, "24/7")),
        "barnet": add(
            "B2", "Barnet", boroughs["Barnet"], 51.65, -0.20, (start, "Mo-Fr 08:00-20:00")
        ),
        "wembley": add(
            "R1",
            "Wembley",
            boroughs["Brent"],
            51.55,
            -0.28,
            (start, "24/7"),
            (datetime.date(2026, 4, 1), "closed"),
        ),
        "harrow": add("H1", "South Harrow", boroughs["Harrow"], 51.57, -0.35, (start, "24/7")),
    }
    made["pledge"] = services.pledge_save(
        user=officer,
        data={
            "title": "A 24-hour front counter in every borough",
            "rule": PledgeRule.ROUND_THE_CLOCK,
            "at_least": 1,
            "made_on": start,
        },
    )
    return made
