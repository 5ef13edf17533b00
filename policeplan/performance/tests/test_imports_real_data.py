"""Importers on the real published files in ../shared/data."""

from __future__ import annotations

import csv
import shutil
from collections import Counter

import duckdb
import pytest

from policeplan.performance.models import (
    Area,
    AreaLevel,
    DataImport,
    DatasetCoverage,
    ImportStatus,
    Population,
)
from policeplan.performance.tests.conftest import run_import, snapshot
from policeplan.warehouse import counts
from policeplan.warehouse.store import Warehouse

pytestmark = pytest.mark.django_db


def _rows_per_file(folder):
    out = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            out[path.name[:7]] = sum(1 for _ in csv.DictReader(handle))
    return out


def test_london_geography_has_12_bcus_33_boroughs_wards_and_both_lsoa_vintages(london):
    assert Area.objects.filter(level=AreaLevel.BCU).count() == 12
    assert Area.objects.filter(level=AreaLevel.BOROUGH).count() == 33
    assert Area.objects.get(level=AreaLevel.BOROUGH, code="E09000003").parent.name == "North West"
    assert (
        Area.objects.get(level=AreaLevel.BOROUGH, code="E09000001").parent.code == "city-of-london"
    )
    assert Area.objects.filter(level=AreaLevel.LSOA, vintage="2011").count() == 4835
    assert Area.objects.filter(level=AreaLevel.LSOA, vintage="2021").count() == 4994
    assert Area.objects.filter(level=AreaLevel.WARD).count() > 600
    # Camden 024A (2011) merged into Camden 029E in 2021: the old code still reaches its ward
    # and borough through its successor, so older data.police.uk files map correctly.
    old = Area.objects.get(level=AreaLevel.LSOA, code="E01000936", vintage="2011")
    new = Area.objects.get(level=AreaLevel.LSOA, code="E01035712", vintage="2021")
    assert old.parent == new.parent
    assert old.parent.level == AreaLevel.WARD and old.parent.parent.name == "Camden"


def test_population_by_lsoa_sums_to_the_published_london_total(warehouse_root, shared_data):
    result = run_import(
        "population", shared_data / "ons" / "population-lsoa" / "london-mid2019-pop.csv"
    )
    assert result.status == ImportStatus.SUCCEEDED, result.error
    boroughs = Population.objects.filter(area__level=AreaLevel.BOROUGH, year=2019)
    assert sum(p.value for p in boroughs) == 8_961_989
    assert boroughs.get(area__code="E09000001").value == 9_721


def test_city_of_london_street_files_import_month_by_month(warehouse_root, shared_data):
    folder = shared_data / "police-uk" / "city-of-london" / "street"
    result = run_import("police-uk", folder)
    assert result.status == ImportStatus.SUCCEEDED, result.error
    expected = _rows_per_file(folder)
    assert result.files.count() == 96
    con = duckdb.connect()
    got = dict(
        con.execute(
            "SELECT month, count(*) FROM read_parquet(?, hive_partitioning=true) GROUP BY 1",
            [f"{warehouse_root}/street/**/*.parquet"],
        ).fetchall()
    )
    assert got == expected
    coverage = DatasetCoverage.objects.get(dataset="street", scope="city-of-london")
    missing = [a["month"] for a in coverage.anomalies if a["kind"] == "missing"]
    assert missing == ["2022-01", "2022-02"]  # the folder really lacks these two months


def test_reimporting_revised_months_keeps_one_row_per_crime_with_the_later_outcome(
    warehouse_root, shared_data
):
    earlier = shared_data / "police-uk" / "city-of-london" / "street-earlier-download"
    later = shared_data / "police-uk" / "city-of-london" / "street"
    assert run_import("police-uk", earlier).status == ImportStatus.SUCCEEDED
    later_files = [later / p.name for p in sorted(earlier.glob("*.csv"))]
    result = run_import("police-uk", *later_files)
    assert result.status == ImportStatus.SUCCEEDED, result.error
    con = duckdb.connect()
    Warehouse(warehouse_root).scan(con, "street")  # the view warehouse_street
    # The published files themselves repeat some Crime IDs within a month (one crime, several
    # rows); after the re-import each Crime ID appears exactly as often as in the later file.
    stored_ids = Counter(
        r[0]
        for r in con.execute(
            "SELECT crime_id FROM warehouse_street WHERE crime_id IS NOT NULL"
        ).fetchall()
    )
    published_ids: Counter[str] = Counter()
    for path in later_files:
        with path.open(encoding="utf-8") as handle:
            published_ids.update(r["Crime ID"] for r in csv.DictReader(handle) if r["Crime ID"])
    assert stored_ids == published_ids
    stored = dict(
        con.execute(
            "SELECT crime_id, last_outcome FROM warehouse_street WHERE month = '2022-07' AND crime_id IS NOT NULL"
        ).fetchall()
    )
    with (later / "2022-07-city-of-london-street.csv").open(encoding="utf-8") as handle:
        published = {
            r["Crime ID"]: r["Last outcome category"]
            for r in csv.DictReader(handle)
            if r["Crime ID"]
        }
    assert stored == published
    with (earlier / "2022-07-city-of-london-street.csv").open(encoding="utf-8") as handle:
        older = {
            r["Crime ID"]: r["Last outcome category"]
            for r in csv.DictReader(handle)
            if r["Crime ID"]
        }
    assert sum(1 for k in older if older[k] != published.get(k)) > 0  # the revision is real


def test_an_identical_file_is_recognised_and_skipped(warehouse_root, shared_data):
    path = (
        shared_data
        / "police-uk"
        / "city-of-london"
        / "street"
        / "2022-07-city-of-london-street.csv"
    )
    run_import("police-uk", path)
    before = snapshot(warehouse_root)
    again = run_import("police-uk", path)
    assert again.status == ImportStatus.SUCCEEDED
    assert again.files.get().skipped_reason.startswith("identical to the file imported on")
    assert snapshot(warehouse_root) == before


def test_barnet_burglary_from_street_records_agrees_with_the_mps_published_counts(
    warehouse_root, shared_data, london
):
    run_import("police-uk", shared_data / "police-uk" / "metropolitan" / "street-barnet-burglary")
    assert (
        run_import(
            "mps-crime",
            shared_data / "mps-recorded-crime" / "borough" / "mps_borough_historical.csv",
        ).status
        == ImportStatus.SUCCEEDED
    )
    from policeplan.warehouse.store import Warehouse

    wh = Warehouse(warehouse_root)
    con = wh.connect()
    street = {
        m: n
        for m, code, _, _, n in counts.counts(
            con, wh, dataset="street", level="borough", categories=["Burglary"]
        )
        if code == "E09000003"
    }
    mps = {
        m: n
        for m, code, _, _, n in counts.counts(
            con, wh, dataset="mps_crime", level="borough", categories=["burglary"]
        )
        if code == "E09000003"
    }
    shared = sorted(set(street) & set(mps))
    assert len(shared) > 100
    close = [m for m in shared if abs(street[m] - mps[m]) <= 0.05 * mps[m]]
    assert len(close) / len(shared) >= 0.9, (len(close), len(shared))


def test_the_pas_file_resolves_every_borough_name_variant(warehouse_root, shared_data):
    result = run_import("pas", shared_data / "mopac-pas" / "PAS_buroughs.csv")
    assert result.status == ImportStatus.SUCCEEDED, result.error
    file = result.files.get()
    assert file.rows_read == 9312 and file.rows_rejected == 0
    con = duckdb.connect()
    Warehouse(warehouse_root).scan(con, "pas")  # the view warehouse_pas
    boroughs = con.execute("SELECT count(DISTINCT area_code) FROM warehouse_pas").fetchone()[0]
    assert boroughs == 32
    names = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT area_name FROM warehouse_pas WHERE area_code = 'E09000033'"
        ).fetchall()
    }
    assert names == {"City of Westminster", "Westminster"} or "City of Westminster" in names
    richmond = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT area_name FROM warehouse_pas WHERE area_code = 'E09000027'"
        ).fetchall()
    }
    assert len(richmond) == 2  # both spellings, one borough
    trust = con.execute(
        "SELECT proportion FROM warehouse_pas WHERE area_code = 'E09000003' AND measure = 'Trust MPS' AND quarter = '2023-12-31'"
    ).fetchone()
    assert trust is not None and 0 < trust[0] < 1


def test_met_stop_and_search_flags_the_month_that_stops_early_and_the_missing_month(
    warehouse_root, shared_data, tmp_path
):
    folder = tmp_path / "sas"
    folder.mkdir()
    source = shared_data / "police-uk" / "metropolitan" / "stop-and-search"
    for name in ["2022-11", "2022-12", "2023-02", "2023-03"]:
        shutil.copy(source / f"{name}-metropolitan-stop-and-search.csv", folder)
    result = run_import("police-uk", folder)
    assert result.status == ImportStatus.SUCCEEDED, result.error
    anomalies = DatasetCoverage.objects.get(dataset="stop_search", scope="metropolitan").anomalies
    messages = [a["message"] for a in anomalies]
    assert "The data for December 2022 stops on 17 December 2022." in messages
    assert "No data for January 2023." in messages


def test_mps_ward_and_old_scheme_files_import(warehouse_root, shared_data):
    ward = run_import("mps-crime", shared_data / "mps-recorded-crime" / "ward" / "MPSCrime.csv")
    assert ward.status == ImportStatus.SUCCEEDED, ward.error
    old = run_import(
        "mps-crime",
        shared_data / "mps-recorded-crime" / "borough-old-scheme" / "borough-recent.csv",
    )
    assert old.status == ImportStatus.SUCCEEDED, old.error
    assert DataImport.objects.filter(status=ImportStatus.SUCCEEDED).count() >= 3
    scopes = set(
        DatasetCoverage.objects.filter(dataset="mps_crime").values_list("scope", flat=True)
    )
    assert {"ward, current scheme", "borough, old scheme"} <= scopes


def test_a_byte_order_mark_and_windows_line_endings_change_nothing(
    warehouse_root, shared_data, tmp_path
):
    source = shared_data / "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"
    text = source.read_text(encoding="utf-8")
    windows = tmp_path / source.name
    windows.write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_import("police-uk", windows)
    assert result.status == ImportStatus.SUCCEEDED, result.error
    file = result.files.get()
    assert (file.rows_read, file.rows_rejected, file.rows_no_location) == (786, 0, 78)
    con = duckdb.connect()
    stored = con.execute(
        "SELECT crime_type, context FROM read_parquet(?) LIMIT 1",
        [f"{warehouse_root}/street/**/*.parquet"],
    ).fetchone()
    assert stored[0] == "Drugs" and stored[1] is None  # no stray carriage return in the last field


def test_mps_lsoa_level_counts_import_from_parquet(warehouse_root, shared_data):
    result = run_import(
        "mps-crime", shared_data / "mps-recorded-crime" / "lsoa" / "recorded-crime-lsoa.parquet"
    )
    assert result.status == ImportStatus.SUCCEEDED, result.error
    file = result.files.get()
    assert file.months[0] == "2024-02" and file.rows_rejected == 0
    from policeplan.warehouse.store import Warehouse

    wh = Warehouse(warehouse_root)
    rows = counts.counts(
        wh.connect(),
        wh,
        dataset="mps_crime",
        level="lsoa",
        categories=["burglary"],
        start="2024-02",
        end="2024-02",
    )
    assert len({r[1] for r in rows}) > 4000 and all(r[1].startswith("E01") for r in rows)


def test_each_file_records_which_lsoa_boundaries_it_uses(warehouse_root, shared_data):
    street = shared_data / "police-uk/city-of-london/street"
    result = run_import(
        "police-uk",
        street / "2019-06-city-of-london-street.csv",
        street / "2024-06-city-of-london-street.csv",
    )
    vintages = dict(result.files.values_list("file_name", "vintage"))
    assert vintages == {
        "2019-06-city-of-london-street.csv": "LSOA 2011",
        "2024-06-city-of-london-street.csv": "LSOA 2021",
    }
