"""Every figure is printed with its unit and base, by one function."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from policeplan.performance import units
from policeplan.performance.disclosure import present


def test_a_figure_always_carries_its_unit_and_base():
    assert units.figure(2.8123, "rate_per_1000", "mps_crime") == "2.81 per 1,000 residents"
    assert units.figure(0.731, "percentage", "pas") == "73.1% of people asked"
    assert units.figure(0.412, "percentage", "stop_search") == "41.2% of stop and searches"
    assert units.figure(1234, "count", "mps_crime") == "1,234 crimes"
    assert units.figure(1234, "count", "stop_search") == "1,234 stop and searches"
    assert units.interval(2.5, 3.1, "rate_per_1000") == "2.50 to 3.10 per 1,000 residents"
    assert units.axis_title("percentage", "pas") == "Per cent of people asked"
    assert units.axis_title("count", "mps_crime") == "Number of crimes"


def test_a_rate_says_its_population_year_and_when_it_was_carried():
    assert units.population_text(2022) == "mid-2022 population"
    assert units.population_note(2022, True, "2024-04") == (
        "Population for 2022 used: there is no estimate for 2024 yet."
    )
    assert units.population_note(2019, True, "2010-04") == (
        "Population for 2019 used: there is no estimate for 2010."
    )
    assert units.population_note(2024, False, "2024-04") == ""


@pytest.mark.parametrize(
    ("unit", "dataset", "numerator", "expected"),
    [
        ("rate_per_1000", "mps_crime", 2000, "2.81 per 1,000 residents"),
        ("count", "mps_crime", 2000, "2 crimes"),
        ("count", "mps_crime", 3, "fewer than 10 crimes"),
    ],
)
def test_what_is_shown_has_the_unit_withheld_or_not(settings, unit, dataset, numerator, expected):
    settings.DISCLOSURE_MIN_COUNT = 10
    figure = SimpleNamespace(
        value=2.8123 if unit != "count" else 2.0,
        lower=2.5,
        upper=3.1,
        numerator=numerator,
        denominator=700_000 if unit != "count" else None,
        period_start="2025-04",
        population_year=2024 if unit != "count" else None,
        population_carried=unit != "count",
    )
    shown = present(figure, unit, dataset)
    assert shown.value == expected
    if unit == "rate_per_1000":
        assert shown.population == "mid-2024 population"
        assert shown.population_note == (
            "Population for 2024 used: there is no estimate for 2025 yet."
        )
