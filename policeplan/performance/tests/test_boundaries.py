"""Borough boundaries from GeoJSON: loaded for maps, and refused whole when anything is wrong."""

from __future__ import annotations

import json

import pytest

from policeplan.performance.models import AreaBoundary
from policeplan.performance.tests.conftest import run_import

pytestmark = pytest.mark.django_db
BOUNDARIES = "geography/boundaries/london-boroughs_1179.geojson"


def test_the_real_boundaries_load_simplified_for_every_london_borough(warehouse_root, shared_data):
    data_import = run_import("boundaries", shared_data / BOUNDARIES)
    assert data_import.status == "succeeded", data_import.error
    assert AreaBoundary.objects.count() == 33
    barnet = AreaBoundary.objects.get(area__code="E09000003")
    assert barnet.geometry["type"] in {"Polygon", "MultiPolygon"}
    # Simplified for drawing: far fewer points than the file, still around Barnet.
    original = next(
        f
        for f in json.loads((shared_data / BOUNDARIES).read_text())["features"]
        if f["properties"]["code"] == "E09000003"
    )
    assert len(json.dumps(barnet.geometry)) < len(json.dumps(original["geometry"]))
    lons = [p[0] for ring in barnet.geometry["coordinates"] for p in _points(ring)]
    assert -0.31 < min(lons) < max(lons) < -0.12  # Barnet lies between these meridians
    # The full-detail file replaces them, all at once.
    run_import("boundaries", shared_data / "geography/boundaries/london_boroughs.json")
    assert AreaBoundary.objects.count() == 33
    assert AreaBoundary.objects.get(area__code="E09000003").source == "london_boroughs.json"


def _points(ring):
    return ring if isinstance(ring[0][0], float) else [p for r in ring for p in r]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda text: text[: len(text) // 2], "line "),
        (
            lambda text: text.replace('"code":"E09000003"', '"code":"Barnet"'),
            "feature 3 has no ONS area code (like E09000003) in ‘code’ or ‘LAD22CD’",
        ),
        (
            lambda text: text.replace("[-0.", "[530000.", 1),
            "are not longitude and latitude (WGS84)",
        ),
        (
            lambda text: text.replace('"code":"E09000003"', '"code":"E09000021"'),
            "E09000021 appears twice",
        ),
    ],
    ids=["truncated", "no-code", "british-national-grid", "duplicate"],
)
def test_a_bad_boundary_file_is_refused_naming_where_and_changes_nothing(
    warehouse_root, shared_data, tmp_path, change, expected
):
    run_import("boundaries", shared_data / BOUNDARIES)
    before = dict(AreaBoundary.objects.values_list("area__code", "geometry"))
    text = (shared_data / BOUNDARIES).read_text()
    # Find which feature Barnet is, so the message can be checked exactly.
    features = json.loads(text)["features"]
    position = 1 + next(i for i, f in enumerate(features) if f["properties"]["code"] == "E09000003")
    bad = tmp_path / "bad" / "boroughs.geojson"
    bad.parent.mkdir()
    bad.write_text(change(text))
    data_import = run_import("boundaries", bad)
    assert data_import.status == "failed"
    assert data_import.error.startswith("boroughs.geojson")
    assert expected.replace("feature 3", f"feature {position}") in data_import.error
    assert dict(AreaBoundary.objects.values_list("area__code", "geometry")) == before
