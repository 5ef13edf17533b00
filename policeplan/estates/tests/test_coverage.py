"""Tests for policeplan.estates.coverage (pure Python, no database)."""

import math
import random

import pytest

from policeplan.estates import coverage as cov
from policeplan.estates.coverage import (
    EARTH_RADIUS_M,
    CentroidError,
    Coverage,
    ResidentPoint,
    coverage,
    distance_m,
    even_spread_points,
    nearest_m,
    read_centroids,
)

R = 6_371_008.8


def haversine(lat1, lon1, lat2, lon2):
    """The haversine formula written out independently (atan2 form) for expectations."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.atan2(math.sqrt(a), math.sqrt(1 - a))


def north_of(lat: float, lon: float, metres: float) -> tuple[float, float]:
    """The point ``metres`` due north of (lat, lon): along a meridian distance is R * dlat."""
    return lat + math.degrees(metres / R), lon


# --- distance_m -------------------------------------------------------------------------


def test_earth_radius():
    assert EARTH_RADIUS_M == R


def test_one_degree_of_latitude():
    assert distance_m(51.0, -0.1, 52.0, -0.1) == pytest.approx(111_195.08, abs=0.01)
    assert distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(R * math.pi / 180, rel=1e-12)


def test_one_degree_of_longitude_shrinks_with_latitude():
    # On a sphere one degree of longitude at latitude 60 is very nearly half a degree at 0.
    assert distance_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(111_195.08, abs=0.01)
    assert distance_m(60.0, 0.0, 60.0, 1.0) == pytest.approx(55_597.5, rel=1e-4)


def test_two_london_points():
    # Trafalgar Square to the Tower of London. By hand: dlon 0.0519 deg * 111,195 m *
    # cos(51.508) = 3,591.9 m east, dlat 0.0007 deg = 77.8 m north, hypotenuse ~ 3,592.8 m.
    args = (51.5074, -0.1278, 51.5081, -0.0759)
    assert distance_m(*args) == pytest.approx(3_592.78, abs=0.01)
    assert distance_m(*args) == pytest.approx(haversine(*args), rel=1e-12)


def test_distance_zero_symmetric_antipodal():
    assert distance_m(51.5, -0.1, 51.5, -0.1) == 0.0
    assert distance_m(51.5155, -0.0922, 51.4613, -0.1156) == distance_m(
        51.4613, -0.1156, 51.5155, -0.0922
    )
    assert distance_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * R, rel=1e-12)


# --- coverage / nearest_m ---------------------------------------------------------------

COUNTER: tuple[float, float] = (51.5, -0.1)


def test_threshold_under_at_and_over():
    under = ResidentPoint("under", *north_of(*COUNTER, 999.99), 10)
    over = ResidentPoint("over", *north_of(*COUNTER, 1000.01), 20)
    result = coverage([under, over], [COUNTER], 1000)
    assert (result.covered, result.total, result.points, result.points_covered) == (10, 30, 2, 1)
    assert result.share == pytest.approx(10 / 30)
    assert result.nearest_m["under"] == pytest.approx(999.99, abs=1e-6)
    assert result.nearest_m["over"] == pytest.approx(1000.01, abs=1e-6)


def test_exactly_at_threshold_is_covered():
    same = ResidentPoint("same", *COUNTER, 5)
    assert coverage([same], [COUNTER], 0).covered == 5
    away = ResidentPoint("away", *north_of(*COUNTER, 1500), 7)
    exact = distance_m(away.latitude, away.longitude, *COUNTER)
    assert exact == pytest.approx(1500, abs=1e-6)
    assert coverage([away], [COUNTER], exact).covered == 7
    assert coverage([away], [COUNTER], math.nextafter(exact, 0)).covered == 0


def test_any_counter_covers():
    p = ResidentPoint("p", *north_of(*COUNTER, 5000), 40)
    far_counter = (COUNTER[0] - 1, COUNTER[1])
    near_counter = north_of(*COUNTER, 5300)
    result = coverage([p], [far_counter, near_counter], 400)
    assert result.covered == 40 and result.share == 1.0
    assert result.nearest_m["p"] == pytest.approx(300, abs=1e-6)


def test_no_counters():
    pts = [ResidentPoint("a", *COUNTER, 100), ResidentPoint("b", 51.6, -0.2, 50)]
    assert coverage(pts, [], 1000) == Coverage(
        covered=0,
        total=150,
        share=0.0,
        points=2,
        points_covered=0,
        nearest_m={"a": None, "b": None},
    )


def test_no_points_or_no_residents_gives_none_share():
    empty = coverage([], [COUNTER], 1000)
    assert (empty.covered, empty.total, empty.share, empty.points) == (0, 0, None, 0)
    assert coverage([], [], 1000).share is None
    nobody = coverage([ResidentPoint("z", *COUNTER, 0)], [COUNTER], 1000)
    assert nobody.share is None and nobody.points_covered == 1


def test_population_weighting():
    near = ResidentPoint("near", *north_of(*COUNTER, 100), 1_000)
    far = ResidentPoint("far", *north_of(*COUNTER, 20_000), 3_000)
    result = coverage([near, far], [COUNTER], 2_000)
    assert result.share == 1_000 / 4_000 == 0.25
    assert (result.points, result.points_covered) == (2, 1)


def test_accepts_a_generator_and_rejects_bad_input():
    result = coverage((ResidentPoint(str(i), *COUNTER, 1) for i in range(3)), [COUNTER], 1)
    assert result.covered == 3
    with pytest.raises(ValueError, match="within_m"):
        coverage([], [COUNTER], -1)
    with pytest.raises(ValueError, match="within_m"):
        coverage([], [COUNTER], math.nan)
    with pytest.raises(ValueError, match="negative population"):
        coverage([ResidentPoint("x", *COUNTER, -1)], [COUNTER], 1)


def test_matches_brute_force_across_chunks(monkeypatch):
    monkeypatch.setattr(cov, "_CHUNK", 37)  # force many numpy blocks
    rng = random.Random(20240607)
    counters = [(rng.uniform(51.3, 51.7), rng.uniform(-0.5, 0.3)) for _ in range(15)]
    points = [
        ResidentPoint(
            f"P{i}", rng.uniform(51.28, 51.72), rng.uniform(-0.52, 0.32), rng.randint(0, 3000)
        )
        for i in range(400)
    ]
    within = 2_500
    covered = points_covered = 0
    for p in points:
        best = min(haversine(p.latitude, p.longitude, lat, lon) for lat, lon in counters)
        if best <= within:
            covered += p.population
            points_covered += 1
        assert nearest_m(p, counters) == pytest.approx(best, rel=1e-9)
    result = coverage(points, counters, within)
    assert (result.covered, result.points_covered) == (covered, points_covered)
    assert 0 < points_covered < len(points)
    assert result.total == sum(p.population for p in points)
    for p in points:
        assert result.nearest_m[p.code] == pytest.approx(nearest_m(p, counters), rel=1e-12)


def test_nearest_m():
    p = ResidentPoint("p", *north_of(*COUNTER, 2_000), 1)
    assert nearest_m(p, []) is None
    assert nearest_m(p, [COUNTER, north_of(*COUNTER, 2_500)]) == pytest.approx(500, abs=1e-6)


# --- read_centroids ---------------------------------------------------------------------

# Reference WGS84 (lat, lon) computed with pyproj 3.8 (EPSG:27700 -> EPSG:4326, Helmert).
BNG_REFERENCE = {
    (532151, 181867): (51.5202702, -0.0966814),  # City of London
    (530000, 180000): (51.5039908, -0.1283539),
    (325000, 673000): (55.9441670, -3.2023862),  # Edinburgh
    (460000, 1200000): (60.6787291, -0.9035635),  # Shetland
    (200000, 50000): (50.3159303, -4.8106092),  # Cornwall
}


def write(tmp_path, text, name="pwc.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_2011_layout_bng(tmp_path):
    path = write(
        tmp_path,
        "FID,LSOA11CD,LSOA11NM,GlobalID,X,Y\n"
        "1,E01000001,City of London 001A,{a-1},532151,181867\n"
        '2,E01000002,"London, Westminster 018A",{a-2},530000,180000.0\n'
        "3,S01008417,Edinburgh 1,{a-3},325000,673000\n",
    )
    result = read_centroids(path)
    assert list(result) == ["E01000001", "E01000002", "S01008417"]
    refs = list(BNG_REFERENCE.values())
    for (lat, lon), (rlat, rlon) in zip(result.values(), refs, strict=False):
        assert lat == pytest.approx(rlat, abs=1e-6) and lon == pytest.approx(rlon, abs=1e-6)


def test_bng_conversion_against_reference():
    for (e, n), (rlat, rlon) in BNG_REFERENCE.items():
        lat, lon = cov._bng_to_wgs84(e, n)
        assert haversine(lat, lon, rlat, rlon) < 0.1


def test_bng_conversion_against_pyproj():
    pyproj = pytest.importorskip("pyproj")
    to_wgs84 = pyproj.Transformer.from_crs(27700, 4326, always_xy=True)
    for e, n in [(532151, 181867), (651409.903, 313177.27), (100000, 20000), (460000, 1200000)]:
        rlon, rlat = to_wgs84.transform(e, n)
        assert haversine(*cov._bng_to_wgs84(e, n), rlat, rlon) < 5


def test_2011_objectid_layout_wgs84(tmp_path):
    path = write(
        tmp_path,
        "OBJECTID,lsoa11cd,lsoa11nm,X,Y\n1,E01000001,City of London 001A,-0.0966814,51.5202702\n",
    )
    assert read_centroids(path) == {"E01000001": (51.5202702, -0.0966814)}


def test_2021_layout_lowercase_bng_crlf_and_blank_lines(tmp_path):
    path = write(
        tmp_path,
        "FID,LSOA21CD,GlobalID,x,y\r\n1,E01000001,{g},532151,181867\r\n\r\n2,W01000001,{h},200000,50000\r\n\r\n",
    )
    result = read_centroids(path)
    assert result["E01000001"] == pytest.approx(BNG_REFERENCE[(532151, 181867)], abs=1e-6)
    assert result["W01000001"] == pytest.approx(BNG_REFERENCE[(200000, 50000)], abs=1e-6)


def test_lat_long_columns_win_over_x_y(tmp_path):
    path = write(
        tmp_path,
        "FID,LSOA21CD,LSOA21NM,X,Y,LAT,LONG\n1,E01000001,City of London 001A,532151,181867,51.52,-0.097\n",
    )
    assert read_centroids(path) == {"E01000001": (51.52, -0.097)}


def test_utf8_bom(tmp_path):
    path = write(tmp_path, "LSOA21CD,x,y\nE01000001,-0.1,51.5\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_centroids(path) == {"E01000001": (51.5, -0.1)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "pwc.csv, line 1: the file is empty"),
        ("FID,LSOA21CD,x,y\n", "pwc.csv, line 2: the file has a header but no data rows"),
        (
            "FID,CODE,X,Y\n1,E01000001,1,51\n",
            "pwc.csv, line 1, field LSOAnnCD: no LSOA code column (such as LSOA11CD or LSOA21CD)",
        ),
        (
            "LSOA11CD,LSOA21CD,X,Y\nE01000001,E01000001,1,51\n",
            "pwc.csv, line 1, field LSOAnnCD: more than one LSOA code column (such as LSOA11CD or LSOA21CD)",
        ),
        (
            "FID,LSOA11CD,Y\n1,E01000001,51\n",
            "pwc.csv, line 1, field X: no such coordinate column in the header",
        ),
        (
            "FID,LSOA11CD,NAME\n1,E01000001,a\n",
            "pwc.csv, line 1, field X/Y: no such coordinate column in the header",
        ),
        (
            "FID,LSOA11CD,LAT\n1,E01000001,51\n",
            "pwc.csv, line 1, field LONG: no such coordinate column in the header",
        ),
        (
            "FID,LSOA11CD,X,Y\n"
            + "".join(f"{i},E0100000{i},530000,180000\n" for i in range(1, 6))
            + "6,E01000006,530000,abc\n",
            "pwc.csv, line 7, field Y: 'abc' is not a number",
        ),
        (
            "LSOA11CD,X,Y\nE01000001,nan,51\n",
            "pwc.csv, line 2, field X: 'nan' is not a number",
        ),
        (
            "LSOA11CD,X,Y\nE01000001,-0.1,51\nE01000002,-0.1,inf\n",
            "pwc.csv, line 3, field Y: 'inf' is not a number",
        ),
        ("LSOA11CD,X,Y\nE01000001,530000\n", "pwc.csv, line 2, field Y: missing value"),
        ("LSOA11CD,X,Y\n,530000,180000\n", "pwc.csv, line 2, field LSOA11CD: missing value"),
        (
            "LSOA11CD,X,Y\nE01000001,530000,1300001\n",
            "pwc.csv, line 2, field Y: 1.3e+06 is outside 0..1.3e+06 (British National Grid easting/northing)",
        ),
        (
            "LSOA11CD,X,Y\nE01000001,-1,180000\n",
            "pwc.csv, line 2, field X: -1 is outside 0..700000 (British National Grid easting/northing)",
        ),
        (
            "LSOA11CD,X,Y\nE01000001,-0.1,51.5\nE01000002,530000,180000\n",
            "pwc.csv, line 3, field X: 530000 is outside -9..3 (WGS84 longitude/latitude)",
        ),
        (
            "LSOA21CD,LONG,LAT\nE01000001,-0.1,51.5\nE01000002,-0.1,70\n",
            "pwc.csv, line 3, field LAT: 70 is outside 49..61 (WGS84 longitude/latitude)",
        ),
        (
            "LSOA11CD,X,Y\nE01000001,530000,180000\nE01000002,530000,180000\nE01000001,1,1\n",
            "pwc.csv, line 4, field LSOA11CD: duplicate code 'E01000001' (first on line 2)",
        ),
    ],
)
def test_errors_name_file_line_and_field(tmp_path, text, message):
    with pytest.raises(CentroidError) as excinfo:
        read_centroids(write(tmp_path, text))
    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, ValueError)


# --- even_spread_points -----------------------------------------------------------------


def square(lat, lon, side_m):
    """A GeoJSON ring for a side_m x side_m square with its south-west corner at (lat, lon)."""
    dlat = math.degrees(side_m / R)
    dlon = dlat / math.cos(math.radians(lat + dlat / 2))
    return [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]


def bounds(ring):
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lats), max(lats), min(lons), max(lons)


def check_inside(points, ring):
    lat0, lat1, lon0, lon1 = bounds(ring)
    return [p for p in points if lat0 < p.latitude < lat1 and lon0 < p.longitude < lon1]


def test_even_spread_square():
    ring = square(51.45, -0.2, 5_000)
    points = even_spread_points(
        "E09000033", {"type": "Polygon", "coordinates": [ring]}, 100_003, 250
    )
    expected = (5_000 * 5_000) / 250**2  # 400
    assert abs(len(points) - expected) <= 0.1 * expected
    assert check_inside(points, ring) == points
    assert sum(p.population for p in points) == 100_003
    assert {p.population for p in points} <= {100_003 // len(points), 100_003 // len(points) + 1}
    assert [p.code for p in points] == [f"E09000033-{i:04d}" for i in range(len(points))]
    # Neighbouring grid points are spacing_m apart (north-south and east-west).
    by_lat = sorted({round(p.latitude, 9) for p in points})
    assert haversine(by_lat[0], -0.2, by_lat[1], -0.2) == pytest.approx(250, rel=1e-6)
    row = sorted(p.longitude for p in points if round(p.latitude, 9) == by_lat[0])
    assert haversine(by_lat[0], row[0], by_lat[0], row[1]) == pytest.approx(250, rel=0.01)


def test_even_spread_multipolygon_and_hole():
    a, b = square(51.5, -0.3, 2_000), square(51.6, 0.1, 3_000)
    hole = square(51.6 + math.degrees(1_000 / R), 0.1 + 0.01, 800)[::-1]
    geometry = {"type": "MultiPolygon", "coordinates": [[a], [b, hole]]}
    points = even_spread_points("B", geometry, 1_000)
    in_a, in_b = check_inside(points, a), check_inside(points, b)
    assert len(in_a) + len(in_b) == len(points)
    assert abs(len(in_a) - 16) <= 4 and abs(len(in_b) - (36 - 2.56)) <= 6
    lat0, lat1, lon0, lon1 = bounds(hole)
    assert not [p for p in in_b if lat0 < p.latitude < lat1 and lon0 < p.longitude < lon1]
    assert sum(p.population for p in points) == 1_000
    assert max(p.population for p in points) - min(p.population for p in points) <= 1


def test_even_spread_small_area_uses_representative_point():
    ring = square(51.5, -0.1, 100)
    points = even_spread_points("S", {"type": "Polygon", "coordinates": [ring]}, 1_234, 500)
    assert len(points) == 1 and points[0].population == 1_234 and points[0].code == "S-0000"
    assert check_inside(points, ring) == points


def test_even_spread_zero_population_and_bad_input():
    geometry = {"type": "Polygon", "coordinates": [square(51.5, -0.1, 1_000)]}
    assert {p.population for p in even_spread_points("Z", geometry, 0, 250)} == {0}
    with pytest.raises(ValueError):
        even_spread_points("Z", {"type": "Point", "coordinates": [0, 51]}, 1)
    with pytest.raises(ValueError):
        even_spread_points("Z", geometry, 1, spacing_m=0)
    with pytest.raises(ValueError):
        even_spread_points("Z", geometry, -1)
    with pytest.raises(ValueError, match="grid points"):
        even_spread_points("Z", geometry, 1, spacing_m=0.5)


def test_even_spread_docstring_says_it_is_a_demo_assumption():
    doc = " ".join((even_spread_points.__doc__ or "").split())
    assert "spread evenly" in doc and "only for the demo" in doc
