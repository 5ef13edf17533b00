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
    assert value.population_year == 2024 and not value.population_carried
    # 2025-26 starts in a year with no estimate yet: 2024's is used, and that is recorded.
    later = _value(measure, "E09000003", "financial_year", "2025-26")
    assert later.denominator == population
    assert later.population_year == 2024 and later.population_carried


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


def _all_values(measure):
    return {
        (v.area_id, v.period_kind, v.period_key): (v.value, v.lower, v.upper, v.numerator)
        for v in MeasureValue.objects.filter(measure_lineage=measure.lineage)
    }


def test_a_new_month_recomputes_only_the_periods_that_include_it(
    warehouse_root, shared_data, tmp_path
):
    import shutil

    from policeplan.performance.measures import measures_recompute
    from policeplan.plans import selectors as plan_selectors

    folder = shared_data / "police-uk/city-of-london/street"
    history, new = tmp_path / "history", tmp_path / "new"
    history.mkdir()
    new.mkdir()
    for month in ["2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]:
        shutil.copy(folder / f"{month}-city-of-london-street.csv", history)
    for month in [
        "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11",
    ]:  # fmt: skip
        shutil.copy(folder / f"{month}-city-of-london-street.csv", history)
    shutil.copy(folder / "2024-12-city-of-london-street.csv", new)
    measure = MeasureFactory(dataset="street", unit="count", categories=["Theft from the person"])
    run_import("police-uk", history)
    before = _all_values(measure)
    assert ("month", "2024-12") not in {(k[1], k[2]) for k in before}

    run_import("police-uk", new)  # incremental: only periods including December 2024
    incremental = _all_values(measure)
    written = {k for k, v in incremental.items() if k not in before or before[k] != v}
    assert {(kind, key) for _area, kind, key in written} == {
        ("month", "2024-12"),
        ("quarter", "2024-25-Q3"),
        ("rolling_12", "R12-2024-12"),
    }
    # The same figures as recomputing everything from scratch.
    binding = next(b for b in plan_selectors.measures_bound() if b["lineage"] == measure.lineage)
    measures_recompute(bindings=[binding])
    assert _all_values(measure) == incremental


def test_charge_rate_is_charges_over_the_crimes_recorded_in_the_same_month(
    warehouse_root, shared_data, tmp_path
):
    import shutil

    base, files = shared_data / "police-uk/city-of-london", tmp_path / "files"
    files.mkdir()
    for folder in ("street", "outcomes"):
        shutil.copy(base / folder / f"2023-06-city-of-london-{folder}.csv", files)
    measure = MeasureFactory(
        dataset="outcome_rate",
        unit="percentage",
        categories=["Theft from the person", "Robbery"],
        numerator_categories=["Suspect charged"],
        geography_levels=["force"],
    )
    run_import("police-uk", files)
    with (files / "2023-06-city-of-london-street.csv").open(encoding="utf-8") as handle:
        crimes = list(csv.DictReader(handle))
    wanted = {
        r["Crime ID"] for r in crimes if r["Crime type"] in {"Theft from the person", "Robbery"}
    }
    with (files / "2023-06-city-of-london-outcomes.csv").open(encoding="utf-8") as handle:
        charged = sum(
            1
            for r in csv.DictReader(handle)
            if r["Outcome type"] == "Suspect charged" and r["Crime ID"] in wanted
        )
    recorded = sum(1 for r in crimes if r["Crime type"] in {"Theft from the person", "Robbery"})
    value = _value(measure, "city-of-london", "month", "2023-06")
    assert (value.numerator, value.denominator) == (charged, recorded)
    assert value.value == pytest.approx(charged / recorded)
    # Poisson on the charges, over the crimes recorded: not a Wilson interval of a share.
    from policeplan.warehouse import stats

    low, high = stats.poisson_intervals([charged])
    assert (value.lower, value.upper) == (
        pytest.approx(low[0] / recorded),
        pytest.approx(high[0] / recorded),
    )
