from policeplan.warehouse import periods


def months(first: str, last: str) -> set[str]:
    out, y, m = set(), int(first[:4]), int(first[5:])
    while f"{y:04d}-{m:02d}" <= last:
        out.add(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_financial_years_run_april_to_march_and_must_be_complete():
    fys = periods.complete_periods(months("2022-01", "2024-06"), "financial_year")
    assert [(p.key, p.start, p.end, p.label) for p in fys] == [
        ("2022-23", "2022-04", "2023-03", "2022-23"),
        ("2023-24", "2023-04", "2024-03", "2023-24"),
    ]  # 2021-22 lacks April to December 2021; 2024-25 is not over
    assert (
        periods.financial_year_of("2024-03") == 2023
        and periods.financial_year_of("2024-04") == 2024
    )


def test_quarters_are_financial_quarters():
    qs = periods.complete_periods(months("2024-04", "2024-12"), "quarter")
    assert [(p.key, p.start, p.end) for p in qs] == [
        ("2024-25-Q1", "2024-04", "2024-06"),
        ("2024-25-Q2", "2024-07", "2024-09"),
        ("2024-25-Q3", "2024-10", "2024-12"),
    ]


def test_a_missing_month_breaks_every_period_that_contains_it():
    have = months("2023-04", "2024-06") - {"2023-11"}
    assert periods.complete_periods(have, "financial_year") == []
    assert [p.key for p in periods.complete_periods(have, "quarter")] == [
        "2023-24-Q1",
        "2023-24-Q2",
        "2023-24-Q4",
        "2024-25-Q1",
    ]
    assert [p.end for p in periods.complete_periods(have, "rolling_12")] == []


def test_rolling_twelve_months_and_the_same_period_last_year():
    r = periods.rolling_12("2024-06")
    assert (r.start, r.end, r.label) == ("2023-07", "2024-06", "12 months to June 2024")
    assert periods.same_period_last_year(r).end == "2023-06"
    assert periods.same_period_last_year(periods.quarter(2024, 2)).key == "2023-24-Q2"
    assert periods.same_period_last_year(periods.month("2024-01")).key == "2023-01"
