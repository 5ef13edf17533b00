"""Figures supplied from elsewhere: read with their intervals, or refused naming line and field."""

import pytest

from policeplan.warehouse import stats
from policeplan.warehouse.errors import FileRejected
from policeplan.warehouse.figures import read_figures

HEADER = "area_code,period_type,last_month,numerator,base\n"


def write(tmp_path, text):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + text)
    return path


def test_percentages_get_wilson_intervals_and_counts_poisson(tmp_path):
    rows = read_figures(
        write(tmp_path, "metropolitan,quarter,2024-06,1520,2000\nE09000003,rolling_12,2024-06,61,80\n"),
        unit="percentage",
    )  # fmt: skip
    expected = stats.wilson(1520, 2000)
    assert (rows[0].period.key, rows[0].period.label) == ("2024-25-Q1", "2024-25 Q1")
    assert (rows[0].value, rows[0].lower, rows[0].upper) == (
        expected.value,
        expected.lower,
        expected.upper,
    )
    assert rows[1].period.key == "R12-2024-06" and rows[1].denominator == 80
    [count] = read_figures(
        write(tmp_path, "metropolitan,financial_year,2024-03,1253,\n"), unit="count"
    )
    assert count.period.key == "2023-24" and count.upper == stats.poisson_count(1253).upper


@pytest.mark.parametrize(
    ("rows", "unit", "message"),
    [
        ("metropolitan,week,2024-06,1,2\n", "percentage", "line 2, field ‘period_type’: ‘week’ is not one of"),
        ("metropolitan,quarter,2024-05,1,2\n", "percentage", "line 2, field ‘last_month’: 2024-05 is not the last month of a quarter"),
        ("metropolitan,month,June 2024,1,2\n", "percentage", "field ‘last_month’: ‘June 2024’ is not a month"),
        ("metropolitan,month,2024-06,30,20\n", "percentage", "field ‘numerator’: more people agreeing than the base"),
        ("metropolitan,month,2024-06,3.5,\n", "count", "field ‘numerator’: ‘3.5’ must be a whole number"),
        ("metropolitan,month,2024-06,3,100\n", "count", "field ‘base’: a count has no base"),
        ("metropolitan,month,2024-06,3,\nmetropolitan,month,2024-06,4,\n", "count", "line 3: the same area and period as line 2"),
    ],
)  # fmt: skip
def test_a_bad_row_refuses_the_file_naming_line_and_field(tmp_path, rows, unit, message):
    with pytest.raises(FileRejected) as refused:
        read_figures(write(tmp_path, rows), unit=unit)
    assert str(refused.value).startswith("figures.csv, ") and message in str(refused.value)


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("area,month,count\nmetropolitan,2024-06,3\n")
    with pytest.raises(FileRejected, match="line 1: the columns area_code, period_type"):
        read_figures(path, unit="count")
