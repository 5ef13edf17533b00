"""The public access pages: open now in London time (across midnight and the clocks
changing), 24-hour counters marked, closed ones with the nearest open counter, schema.org
markup, a map drawn on the server with the list beside it, and a fixed number of queries."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policeplan.estates import selectors, services
from policeplan.estates.models import BuildingKind, BuildingStatus

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _point(points, name):
    return next(p for p in points if p.building.name == name)


def test_open_now_follows_london_wall_clock_time_across_the_clocks_going_forward(estate, officer):
    # Barnet's counter: Mo-Fr 08:00-20:00. Friday 27 March 2026 is GMT, Monday 30 March BST.
    winter = datetime.datetime(2026, 3, 27, 7, 30, tzinfo=UTC)  # 07:30 in London
    summer = datetime.datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # 08:30 in London
    assert not _point(selectors.access_points(now=winter), "Barnet").open_now
    assert _point(selectors.access_points(now=summer), "Barnet").open_now
    # 19:30 UTC on the Monday is 20:30 in London: closed, though 19:30 would be open in GMT.
    evening = datetime.datetime(2026, 3, 30, 19, 30, tzinfo=UTC)
    assert not _point(selectors.access_points(now=evening), "Barnet").open_now


def test_a_counter_open_past_midnight_is_open_in_the_small_hours_and_through_the_extra_hour(
    boroughs, officer
):
    building = services.building_save(
        user=officer,
        reference="N1",
        data={
            "name": "Night counter",
            "borough": boroughs["Barnet"],
            "kind": BuildingKind.FRONT_COUNTER,
            "status": BuildingStatus.OPEN,
        },
    )
    services.schedule_record(
        user=officer, building=building, starts_on=datetime.date(2026, 1, 1), hours="Sa 22:00-02:00"
    )

    def open_at(moment):
        return _point(selectors.access_points(now=moment), "Night counter").open_now

    # Clocks go back at 02:00 BST on Sunday 25 October 2026: 01:30 happens twice, both open.
    assert open_at(datetime.datetime(2026, 10, 24, 21, 0, tzinfo=UTC))  # 22:00 BST Saturday
    assert open_at(datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 01:30 BST
    assert open_at(datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 01:30 GMT
    assert not open_at(datetime.datetime(2026, 10, 25, 2, 0, tzinfo=UTC))  # 02:00 GMT
    assert not open_at(datetime.datetime(2026, 10, 24, 20, 30, tzinfo=UTC))  # 21:30 BST


def test_a_closed_counter_names_the_nearest_one_open_that_day(estate):
    after = datetime.datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    wembley = _point(selectors.access_points(now=after), "Wembley")
    assert wembley.closed and not wembley.open_now
    # Independently: the nearest of the others open on that day, by the haversine formula.
    import math

    def haversine(a, b):
        (la1, lo1), (la2, lo2) = (map(math.radians, a), map(math.radians, b))
        h = (
            math.sin((la2 - la1) / 2) ** 2
            + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
        )
        return 2 * 6_371_008.8 * math.asin(math.sqrt(h))

    others = {"Colindale": (51.60, -0.25), "Barnet": (51.65, -0.20), "South Harrow": (51.57, -0.35)}
    distances = {n: haversine((51.55, -0.28), p) for n, p in others.items()}
    nearest = min(distances, key=distances.get)
    assert wembley.nearest_open.name == nearest
    assert wembley.nearest_m == pytest.approx(distances[nearest], rel=1e-9)


def test_the_force_page_lists_every_counter_with_a_map_and_schema_org_markup(client, estate):
    response = client.get("/front-counters/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'aria-hidden="true"' in html  # the map; the list carries the facts
    for name in ("Colindale", "Barnet", "South Harrow"):
        assert f">{name}</h3>" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    stations = {item["name"]: item for item in data["@graph"]}
    assert stations["Colindale"]["@type"] == "PoliceStation"
    assert stations["Colindale"]["openingHours"] == ["Mo-Su 00:00-24:00"]
    assert stations["Barnet"]["openingHours"] == ["Mo-Fr 08:00-20:00"]
    assert stations["Colindale"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 51.6,
        "longitude": -0.25,
    }


def test_a_building_name_with_markup_is_text_on_the_page_and_in_the_markup(
    client, boroughs, officer
):
    hostile = '</script><script>alert(1)</script> & "Station"'
    building = services.building_save(
        user=officer,
        reference="X1",
        data={
            "name": hostile,
            "borough": boroughs["Barnet"],
            "kind": "police_station",
            "status": "open",
            "latitude": 51.6,
            "longitude": -0.2,
        },
    )
    services.schedule_record(
        user=officer, building=building, starts_on=datetime.date(2020, 1, 1), hours="24/7"
    )
    html = client.get("/front-counters/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert json.loads(script)["@graph"][0]["name"] == hostile


def test_the_borough_page_joins_counters_pledges_and_residents(client, estate):
    html = client.get("/boroughs/brent/").content.decode()
    assert "<h1" in html and "Brent" in html
    assert "Wembley" in html
    assert 'href="/boroughs/brent/front-counters/"' in html


def test_an_unknown_borough_is_404(client, estate):
    assert client.get("/boroughs/atlantis/").status_code == 404
    assert client.get("/boroughs/atlantis/front-counters/").status_code == 404


def test_list_pages_take_the_same_number_of_queries_however_many_buildings(
    client, estate, boroughs, officer
):
    pages = [
        "/front-counters/",
        "/boroughs/barnet/front-counters/",
        "/front-counters/pledges/",
        "/front-counters/residents-nearby/",
        "/estate/disposals/",
        "/front-counters/buildings.csv",
    ]

    def counts():
        found = {}
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            found[page] = len(queries)
        return found

    before = counts()
    for i in range(6):
        building = services.building_save(
            user=officer,
            reference=f"M{i}",
            data={
                "name": f"More {i}",
                "borough": boroughs["Barnet"],
                "kind": "front_counter",
                "status": "open",
                "latitude": 51.6 + i / 100,
                "longitude": -0.2,
            },
        )
        services.schedule_record(
            user=officer,
            building=building,
            starts_on=datetime.date(2020, 1, 1),
            hours="Mo-Fr 09:00-17:00",
        )
        services.schedule_record(
            user=officer, building=building, starts_on=datetime.date(2024, 1, 1), hours="closed"
        )
    assert counts() == before


def test_a_counter_not_open_on_the_day_is_not_marked_open_today_nor_offered_as_nearest(
    client, boroughs, officer
):
    """On a Wednesday, a counter open only on Mondays is 'Not open today', and a closed
    station's nearest counter is one open that day, even if another is nearer."""

    def add(ref, name, lat, hours):
        building = services.building_save(
            user=officer,
            reference=ref,
            data={
                "name": name,
                "borough": boroughs["Barnet"],
                "kind": "police_station",
                "status": "open",
                "latitude": lat,
                "longitude": -0.2,
            },
        )
        services.schedule_record(
            user=officer, building=building, starts_on=datetime.date(2020, 1, 1), hours=hours
        )

    add("C1", "Closed station", 51.600, "closed")
    add("M1", "Mondays only", 51.601, "Mo 09:00-17:00")
    add("W1", "Weekdays", 51.650, "Mo-Fr 09:00-17:00")
    wednesday = datetime.datetime(2026, 3, 25, 12, 0, tzinfo=UTC)
    points = selectors.access_points(now=wednesday)
    monday = _point(points, "Mondays only")
    assert not monday.open_today and not monday.open_now and not monday.closed
    assert _point(points, "Weekdays").open_today
    assert _point(points, "Closed station").nearest_open.name == "Weekdays"
    from policeplan.estates.views.public import _state

    assert _state(monday) == "Not open today"


def test_the_api_refuses_a_date_it_does_not_answer_for(client, estate):
    for value in ("1900-01-01", "9999-12-31", "yesterday"):
        assert client.get("/api/v1/estate/pledges", {"date": value}).status_code == 422
        assert client.get("/api/v1/estate/buildings", {"date": value}).status_code == 422
    assert client.get("/api/v1/estate/pledges", {"date": "2026-04-01"}).json()[0]["kept"] is False


def test_a_counter_still_to_open_is_shown_opening_not_closed(client, estate, boroughs, officer):
    from policeplan.estates import services

    building = services.building_save(
        user=officer,
        reference="N1",
        data={
            "name": "New Harrow counter",
            "borough": boroughs["Harrow"],
            "kind": "front_counter",
            "status": "open",
        },
    )
    services.schedule_record(
        user=officer, building=building, starts_on=datetime.date(2030, 1, 1), hours="Tu 09:00-10:00"
    )
    html = client.get("/boroughs/harrow/front-counters/").content.decode()
    closed = html.split("Closed front counters")[1] if "Closed front counters" in html else ""
    assert "New Harrow counter" not in closed
    assert "Opens on 1 January 2030: Tuesday: 9am to 10am" in html
    assert "Tu 09:00-10:00" not in html.split("application/ld+json")[0]
