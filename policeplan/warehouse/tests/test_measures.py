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
