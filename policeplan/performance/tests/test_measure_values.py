"""Measure figures from the real files equal an independent computation in the test."""

from __future__ import annotations

import csv
import math

import pytest

from policeplan.performance.models import MeasureValue
from policeplan.performance.tests.conftest import run_import
from policeplan.plans.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
Z = 1.959963984540054


def _value(measure, area_code, kind, key):
    return MeasureValue.objects.get(
        measure_lineage=measure.lineage, area__code=area_code, period_kind=kind, period_key=key
    )


def test_barnet_burglary_by_financial_year_from_street_records(warehouse_root, shared_data):
    measure = MeasureFactory(dataset="street", unit="count", categories=["Burglary"])
    source = (
        shared_data
        / "police-uk/metropolitan/street-barnet-burglary/barnet-burglary-2010-12_2023-03.csv"
    )
    run_import("police-uk", source.parent)  # recomputes the bound measures after the import
    with source.open(encoding="utf-8") as handle:
        expected = sum(
            1
            for r in csv.DictReader(handle)
            if "2021-04" <= r["Month"] <= "2022-03" and r["LSOA code"]
        )
    value = _value(measure, "E09000003", "financial_year", "2021-22")
    assert value.value == expected == value.numerator
    assert value.lower < expected < value.upper  # the exact Poisson interval
    assert value.period_label == "2021-22"
    # Barnet's BCU (North West) holds Barnet's burglaries (its other boroughs have none here).
    assert _value(measure, "NW", "financial_year", "2021-22").value == expected
    assert MeasureValue.objects.filter(
        measure_lineage=measure.lineage, period_kind="quarter"
    ).exists()


def test_pas_trust_for_a_borough_and_quarter_with_its_wilson_interval(warehouse_root, shared_data):
    measure = MeasureFactory(dataset="pas", unit="percentage", categories=["Trust MPS"])
    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    with (shared_data / "mopac-pas/PAS_buroughs.csv").open(encoding="utf-8") as handle:
        row = next(
            r
            for r in csv.DictReader(handle, delimiter=";")
            if r["Borough"] == "Barnet"
            and r["Measure"] == "Trust MPS"
            and r["Date"] == "31/12/2023"
        )
    p, n = float(row["Proportion"].replace(",", ".")), 400
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    value = _value(measure, "E09000003", "rolling_12", "R12-2023-12")
    assert value.value == pytest.approx(p)
    assert (value.lower, value.upper) == (
        pytest.approx(centre - half),
        pytest.approx(centre + half),
    )
    assert value.denominator == 400 and value.period_label == "12 months to December 2023"


def test_rates_per_thousand_residents_use_the_populations_loaded(warehouse_root, shared_data):
    measure = MeasureFactory(dataset="mps_crime", unit="rate_per_1000", categories=["BURGLARY"])
    run_import("population", shared_data / "ons/population-borough/population_clean.csv")
    run_import("mps-crime", shared_data / "mps-recorded-crime/borough/mps_borough_recent.csv")
    with (shared_data / "mps-recorded-crime/borough/mps_borough_recent.csv").open(
        encoding="utf-8"
    ) as handle:
        count = sum(
            int(r[m])
            for r in csv.DictReader(handle)
            if r["BoroughName"] == "Barnet" and r["MajorText"] == "BURGLARY"
            for m in [f"2024{x:02d}" for x in range(4, 13)] + [f"2025{x:02d}" for x in range(1, 4)]
        )
    with (shared_data / "ons/population-borough/population_clean.csv").open(
        encoding="utf-8"
    ) as handle:
        population = next(
            int(r["population"])
            for r in csv.DictReader(handle)
            if r["borough"] == "Barnet" and r["year"] == "2024"
        )
    value = _value(measure, "E09000003", "financial_year", "2024-25")
    assert value.numerator == count and value.denominator == population
    assert value.value == pytest.approx(count / population * 1000)


def test_share_of_stop_and_searches_ending_in_arrest(warehouse_root, shared_data, tmp_path):
    import shutil

    source = (
        shared_data
        / "police-uk/metropolitan/stop-and-search/2023-06-metropolitan-stop-and-search.csv"
    )
    shutil.copy(source, tmp_path)
    measure = MeasureFactory(
        dataset="stop_search",
        unit="percentage",
        numerator_categories=["Arrest"],
        geography_levels=["force"],
    )
    run_import("police-uk", tmp_path / source.name)
    with source.open(encoding="utf-8") as handle:
        outcomes = [r["Outcome"] for r in csv.DictReader(handle)]
    value = _value(measure, "metropolitan", "month", "2023-06")
    assert (value.numerator, value.denominator) == (outcomes.count("Arrest"), len(outcomes))
    assert value.value == pytest.approx(outcomes.count("Arrest") / len(outcomes))


def test_londons_survey_figure_comes_from_the_borough_files_mps_column(warehouse_root, shared_data):
    measure = MeasureFactory(dataset="pas", unit="percentage", categories=["Trust MPS"])
    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    with (shared_data / "mopac-pas/PAS_buroughs.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle, delimiter=";")
            if r["Measure"] == "Trust MPS" and r["Date"] == "31/12/2023"
        ]
    value = _value(measure, "metropolitan", "rolling_12", "R12-2023-12")
    assert value.value == pytest.approx(float(rows[0]["MPS"].replace(",", ".")))
    assert value.denominator == 400 * len(rows)  # every borough's interviews
