"""The one place a measure's figure becomes text: the number with its unit and base, so no
page, chart, table, download or API answer ever prints a bare "2.81".

- a rate: "2.81 per 1,000 residents"
- a survey share: "73.0% of people asked"; a share of records: "41.2% of stop and searches"
- a count: "1,234 crimes"
"""

from __future__ import annotations

# What a count counts, by the dataset it is computed from.
COUNTED = {
    "street": "crimes",
    "mps_crime": "crimes",
    "stop_search": "stop and searches",
    "outcomes": "outcomes",
}
# What a percentage is a share of, by dataset.
SHARE_OF = {
    "pas": "of people asked",
    "stop_search": "of stop and searches",
    "outcomes": "of outcomes",
    "outcome_rate": "of crimes recorded",
}


def words(unit: str, dataset: str = "") -> str:
    """The unit and base that follow a figure: 'per 1,000 residents', 'of people asked',
    'crimes'. For a figure reported elsewhere, what the unit alone says."""
    if unit == "rate_per_1000":
        return "per 1,000 residents"
    if unit == "percentage":
        return SHARE_OF.get(dataset, "")
    return COUNTED.get(dataset, "counted")


def number(x: float, unit: str) -> str:
    """The figure's digits in the measure's unit (a percentage with its sign): only for a
    place where the unit is printed right beside it (a heading and its unit, an axis)."""
    if unit == "percentage":
        return f"{x * 100:.1f}%"
    if unit == "rate_per_1000":
        return f"{x:.2f}"
    return f"{x:,.0f}"


def figure(x: float, unit: str, dataset: str = "") -> str:
    """A figure as the public reads it: '2.81 per 1,000 residents', '73.0% of people asked',
    '1,234 crimes'."""
    return join(number(x, unit), words(unit, dataset))


def interval(lower: float, upper: float, unit: str, dataset: str = "") -> str:
    """A 95% interval with its unit once at the end: '2.50 to 3.10 per 1,000 residents'."""
    return join(f"{number(lower, unit)} to {number(upper, unit)}", words(unit, dataset))


def axis_title(unit: str, dataset: str = "") -> str:
    """A chart axis's title: the unit and base of the figures along it."""
    if unit == "rate_per_1000":
        return "Rate per 1,000 residents"
    if unit == "percentage":
        return join("Per cent", words(unit, dataset))
    return f"Number of {COUNTED[dataset]}" if dataset in COUNTED else "Number"


def column_title(unit: str, dataset: str = "") -> str:
    """A table column's title for the figures: 'Rate per 1,000 residents', 'Per cent of
    people asked', 'Number of crimes'."""
    return axis_title(unit, dataset)


def csv_suffix(unit: str) -> str:
    """What a CSV column of raw figures is in: its header says so."""
    return {
        "rate_per_1000": "per_1000_residents",
        "percentage": "proportion_0_to_1",
    }.get(unit, "count")


def population_text(year: int | None) -> str:
    """The estimate a rate is per 1,000 residents of: 'mid-2022 population'."""
    return f"mid-{year} population" if year else ""


def population_note(year: int | None, carried: bool, period_start: str) -> str:
    """When a rate used another year's population than its period's, say so plainly."""
    if not year or not carried:
        return ""
    wanted = int(period_start[:4])
    if wanted > year:
        return f"Population for {year} used: there is no estimate for {wanted} yet."
    return f"Population for {year} used: there is no estimate for {wanted}."


def join(digits: str, unit_words: str) -> str:
    return f"{digits} {unit_words}" if unit_words else digits
