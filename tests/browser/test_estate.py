"""The estate and borough pages in a real browser: axe-core finds nothing on the public
access pages (map and list), the pledges and residents pages, the disposals register, a
borough's page, and the staff register, a building and the import with its errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _estate():
    from policeplan.core.models import User
    from policeplan.estates import services
    from policeplan.performance.models import Area, AreaBoundary

    officer = User.objects.get(role="policy_officer")
    made = {}
    for code, name, lat, lon in (
        ("E09000003", "Barnet", 51.62, -0.20),
        ("E09000005", "Brent", 51.55, -0.28),
    ):
        area = Area.objects.create(level="borough", code=code, name=name)
        ring = [
            [lon - 0.05, lat - 0.05],
            [lon + 0.05, lat - 0.05],
            [lon + 0.05, lat + 0.05],
            [lon - 0.05, lat + 0.05],
            [lon - 0.05, lat - 0.05],
        ]
        AreaBoundary.objects.create(
            area=area, geometry={"type": "Polygon", "coordinates": [ring]}, source="test"
        )
        made[name] = area
    start = datetime.date(2017, 11, 1)
    buildings = {}
    for ref, name, area, lat, lon, hours in (
        ("B1", "Colindale Police Station", made["Barnet"], 51.60, -0.25, "24/7"),
        (
            "B2",
            "Barnet Police Station",
            made["Barnet"],
            51.64,
            -0.20,
            "Mo-Fr 08:00-20:00; Sa 09:00-17:00",
        ),
        ("R1", "Wembley Police Station", made["Brent"], 51.55, -0.28, "24/7"),
    ):
        building = services.building_save(
            user=officer,
            reference=ref,
            data={
                "name": name,
                "borough": area,
                "latitude": lat,
                "longitude": lon,
                "kind": "police_station",
                "status": "open",
                "step_free": True,
            },
        )
        services.schedule_record(user=officer, building=building, starts_on=start, hours=hours)
        buildings[ref] = building
    services.schedule_record(
        user=officer, building=buildings["R1"], starts_on=datetime.date(2024, 1, 1), hours="closed"
    )
    services.pledge_save(
        user=officer,
        data={
            "title": "A 24-hour counter in every borough",
            "rule": "round_the_clock",
            "at_least": 1,
            "made_on": start,
        },
    )
    services.disposal_save(
        user=officer,
        data={
            "building": buildings["R1"],
            "decision_reference": "PCD 0955",
            "decided_on": datetime.date(2024, 5, 9),
            "estimated_receipt": Decimal(3_000_000),
            "exempt": True,
            "exempt_reason": "Commercially sensitive",
        },
    )
    from policeplan.plans.localpriorities import services as local
    from policeplan.plans.tests.test_local_priorities import figures as sample_figures

    local.local_priorities_record(
        user=officer,
        borough=made["Barnet"],
        year=2026,
        chosen=["burglary", "personal-robbery"],
        council="Cabinet Member for Community Safety",
        commander="BCU Commander",
        partnership="Barnet Community Safety Partnership",
        agreed_on=datetime.date(2026, 5, 14),
        figures=sample_figures(),
    )
    return buildings


def test_estate_pages_have_no_axe_violations(new_page, demo_live, tmp_path):
    from policeplan.core.models import User

    buildings = _estate()
    page = new_page()
    problems = {}
    for path in [
        "/boroughs/",
        "/boroughs/brent/",
        "/front-counters/",
        "/boroughs/barnet/front-counters/",
        "/front-counters/pledges/",
        "/front-counters/pledges/?date=2023-06-01",
        "/front-counters/residents-nearby/",
        "/estate/disposals/",
        "/boroughs/local-priorities/?year=2026",
        "/boroughs/barnet/local-priorities/2026/",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto("/front-counters/")
    assert page.page.get_by_role("heading", name="Colindale Police Station").is_visible()
    assert page.page.get_by_role("rowheader", name="Wembley Police Station").is_visible()
    page.page.screenshot(path=str(tmp_path / "front-counters.png"), full_page=True)
    page.goto("/front-counters/pledges/")
    assert page.page.get_by_text("Broken", exact=True).first.is_visible()

    sign_in(page, User.objects.get(role="policy_officer").email, demo_live)
    for path in [
        "/staff/local-priorities/?year=2026",
        "/staff/local-priorities/brent/2026/",
        "/staff/estate/",
        f"/staff/estate/buildings/{buildings['B1'].pk}/",
        f"/staff/estate/buildings/{buildings['B1'].pk}/hours/",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto(f"/staff/estate/buildings/{buildings['B1'].pk}/hours/")
    page.page.get_by_label("Opening hours").fill("Mo-Fx 08:00-20:00")
    page.page.get_by_role("button", name="Record the hours").click()
    page.page.wait_for_selector(".govuk-error-summary")
    assert page.page.get_by_text("'Fx' is not a day").first.is_visible()
    if violations := page.axe_violations():
        problems["hours with errors"] = violations
    page.goto("/staff/estate/import/")
    page.page.get_by_role("button", name="Import").click()
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["import with errors"] = violations
    assert problems == {}
    assert page.errors == []
