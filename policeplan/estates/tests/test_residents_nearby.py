"""Residents within a straight-line distance of an open counter, by borough and date,
checked against a calculation written out here (not through the code it checks)."""

from __future__ import annotations

import datetime
import math

import pytest

from policeplan.estates import selectors
from policeplan.estates.models import PointMethod, ResidentPoint

pytestmark = pytest.mark.django_db

POINTS = [  # Brent: (code, lat, lon, residents)
    ("E01000001", 51.551, -0.281, 1500),
    ("E01000002", 51.560, -0.300, 1700),
    ("E01000003", 51.520, -0.240, 1600),
    ("E01000004", 51.590, -0.330, 1400),
]


def haversine_m(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


@pytest.fixture
def residents(estate, boroughs):
    for code, lat, lon, people in POINTS:
        ResidentPoint.objects.create(
            borough=boroughs["Brent"],
            code=code,
            latitude=lat,
            longitude=lon,
            population=people,
            population_year=2020,
            method=PointMethod.ONS_CENTROID,
            source="test",
        )


def expected_share(counters, within):
    covered = sum(
        people
        for _, lat, lon, people in POINTS
        if any(haversine_m(lat, lon, clat, clon) <= within for clat, clon in counters)
    )
    return covered, sum(p[3] for p in POINTS)


@pytest.mark.parametrize("within", [1000, 3000, 5000])
def test_brents_share_before_and_after_its_counter_closes(residents, boroughs, within):
    open_before = [(51.60, -0.25), (51.65, -0.20), (51.55, -0.28), (51.57, -0.35)]
    open_after = [(51.60, -0.25), (51.65, -0.20), (51.57, -0.35)]  # Wembley closed
    for day, counters in (
        (datetime.date(2026, 3, 31), open_before),
        (datetime.date(2026, 4, 1), open_after),
    ):
        found = selectors.access_coverage(day=day, within_m=within, borough=boroughs["Brent"])
        covered, total = expected_share(counters, within)
        assert (found.result.covered, found.result.total) == (covered, total)
        assert found.result.share == pytest.approx(covered / total)


def test_the_closure_lowers_the_share_at_one_kilometre(residents, boroughs):
    before = selectors.access_coverage(
        day=datetime.date(2026, 3, 31), within_m=1000, borough=boroughs["Brent"]
    )
    after = selectors.access_coverage(
        day=datetime.date(2026, 4, 1), within_m=1000, borough=boroughs["Brent"]
    )
    assert before.result.covered == 1500 and after.result.covered == 0
    assert after.result.share == 0.0


def test_a_borough_with_no_resident_points_has_no_figure_not_zero(client, residents, boroughs):
    found = selectors.access_coverage(day=datetime.date(2026, 4, 1), borough=boroughs["Barnet"])
    assert found.result is None
    html = client.get(
        "/front-counters/residents-nearby/?date=2026-04-01&distance=1000"
    ).content.decode()
    row = html[html.index(">Barnet</a>") :]
    row = row[: row.index("</tr>")]
    assert "No figures" in row and "0.0%" not in row
    brent = html[html.index(">Brent</a>") :]
    assert "0.0%" in brent[: brent.index("</tr>")]
    assert "not travel time" in html


def test_the_command_loads_ons_centroids_and_estimates_for_the_force_s_boroughs(
    boroughs, shared_data, tmp_path
):
    """The real LSOA estimates with a centroids file in the ONS layout (made here from the
    estimates' own codes, as no centroid file ships): every LSOA of the three boroughs, and
    their residents added up independently from the estimates file."""
    import csv

    from django.core.management import call_command

    from policeplan.estates.models import ResidentPoint

    estimates = shared_data / "ons/population-lsoa/london-mid2019-pop.csv"
    rows = list(csv.DictReader(estimates.open(encoding="utf-8-sig")))
    codes = {a.code for a in boroughs.values()}
    mine = [r for r in rows if r["LAD11CD"] in codes]
    expected = sum(int(r["Persons_All-Ages"].replace(",", "")) for r in mine)
    centroids = tmp_path / "pwc.csv"
    with centroids.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["FID", "LSOA11CD", "LSOA11NM", "LAT", "LONG"])
        for n, r in enumerate(rows):
            out.writerow([n, r["LSOA11CD"], r["LSOA11NM"], 51.5 + n / 1e5, -0.1])
    call_command(
        "estate-residents",
        "--centroids",
        str(centroids),
        "--populations",
        str(estimates),
        "--year",
        "2019",
    )
    points = ResidentPoint.objects.all()
    assert points.count() == len(mine) > 100
    assert sum(p.population for p in points) == expected
    assert {p.method for p in points} == {"ons_centroid"}


def test_the_command_refuses_centroids_that_miss_lsoas_and_writes_nothing(
    boroughs, shared_data, tmp_path
):
    from django.core.management import CommandError, call_command

    from policeplan.estates.models import ResidentPoint

    centroids = tmp_path / "pwc.csv"
    centroids.write_text("FID,LSOA11CD,LAT,LONG\n1,E01000001,51.5,-0.1\n")
    with pytest.raises(CommandError, match="have no centroid"):
        call_command(
            "estate-residents",
            "--centroids",
            str(centroids),
            "--populations",
            str(shared_data / "ons/population-lsoa/london-mid2019-pop.csv"),
            "--year",
            "2019",
        )
    assert not ResidentPoint.objects.exists()
