"""Computing a measure's values: rates record the population year they used."""

from __future__ import annotations

from policeplan.warehouse import measures

RATE = measures.Binding(dataset="mps_crime", unit="rate_per_1000", categories=("BURGLARY",))
MONTHS = [f"2023-{m:02d}" for m in range(4, 13)] + [f"2024-{m:02d}" for m in range(1, 4)]


def _year(value_key: str, values: list[measures.Value]) -> measures.Value:
    return next(
        v for v in values if v.period.kind == "financial_year" and v.period.key == value_key
    )


def test_a_rate_records_its_population_year_and_whether_it_was_carried():
    data = {("borough", "E09000003"): dict.fromkeys(MONTHS, (100.0, None))}
    same = measures.compute(
        data, RATE, populations={("borough", "E09000003"): {2022: 1000, 2023: 2000}}
    )
    fy = _year("2023-24", same)
    assert fy.value == 1200 * 1000 / 2000 and fy.population_year == 2023
    assert not fy.population_carried
    carried = measures.compute(data, RATE, populations={("borough", "E09000003"): {2021: 1000}})
    fy = _year("2023-24", carried)
    assert fy.population_year == 2021 and fy.population_carried and fy.denominator == 1000


def test_an_area_with_no_population_has_no_rate_rather_than_zero():
    data = {
        ("borough", "E09000003"): dict.fromkeys(MONTHS, (100.0, None)),
        ("borough", "E09000005"): dict.fromkeys(MONTHS, (100.0, None)),
    }
    values = measures.compute(data, RATE, populations={("borough", "E09000003"): {2023: 5000}})
    assert {v.area_code for v in values} == {"E09000003"}
    assert measures.compute(data, RATE, populations={}) == []


def test_counts_and_shares_carry_no_population_year():
    count = measures.Binding(dataset="mps_crime", unit="count")
    data = {("borough", "E09000003"): dict.fromkeys(MONTHS, (100.0, None))}
    values = measures.compute(data, count)
    assert values and all(v.population_year is None and not v.population_carried for v in values)


def test_every_period_an_area_has_no_value_for_is_a_gap_with_its_reason():
    """Camden has no records in June 2023 and Brent no population: their periods are gaps
    (never values of 0); a month the source could not record is a gap for every area."""
    data = {
        ("borough", "E09000003"): dict.fromkeys(MONTHS, (100.0, None)),
        ("borough", "E09000007"): dict.fromkeys(set(MONTHS) - {"2023-06"}, (100.0, None)),
        ("borough", "E09000005"): dict.fromkeys(MONTHS, (100.0, None)),
    }
    populations = {("borough", c): {2023: 5000} for c in ("E09000003", "E09000007")}
    values = measures.compute(data, RATE, populations=populations)
    gaps = measures.gaps(data, RATE, values, populations=populations, kinds=["month", "quarter"])
    found = {(g.area_code, g.period.key): (g.why, g.month) for g in gaps}
    assert found[("E09000007", "2023-06")] == ("no_records", "2023-06")
    assert found[("E09000007", "2023-24-Q1")] == ("no_records", "2023-06")
    assert ("E09000007", "2023-07") not in found and ("E09000003", "2023-06") not in found
    assert {k for k, (why, _) in found.items() if k[0] == "E09000005"} == {
        ("E09000005", p.key)
        for p in [*(measures.periods.month(m) for m in MONTHS)]
        + [measures.periods.quarter(2023, q) for q in (1, 2, 3, 4)]
    }
    assert {why for (code, _), (why, _) in found.items() if code == "E09000005"} == {
        "no_population"
    }
    kept = [v for v in values if "2023-09" not in v.period.months]  # as the caller filters
    uncovered = measures.gaps(
        data, RATE, kept, populations=populations, uncovered={"2023-09"}, kinds=["month"]
    )
    assert {(g.area_code, g.why) for g in uncovered if g.period.key == "2023-09"} == {
        ("E09000003", "uncovered"),
        ("E09000007", "uncovered"),
        ("E09000005", "uncovered"),
    }
