"""The one measure presenter: a measure's latest headline figure, worked out again here in
plain code from the stored rows, is what the presenter gives every page; with no figures it
says so, never 0; and the measure's own page shows the same figure and period."""

from __future__ import annotations

from html import unescape

import pytest

from policeplan.performance import selectors
from policeplan.performance.models import Area, MeasureValue
from policeplan.plans.models import Measure
from policeplan.warehouse import periods, stats

pytestmark = pytest.mark.django_db


def _rate(measure: Measure, area: Area, end: str, crimes: int, residents: int) -> None:
    p = periods.rolling_12(end)
    e = stats.rate(crimes, residents)
    MeasureValue.objects.create(
        measure_lineage=measure.lineage,
        area=area,
        period_kind=p.kind,
        period_key=p.key,
        period_label=p.label,
        period_start=p.start,
        period_end=p.end,
        value=e.value,
        lower=e.lower,
        upper=e.upper,
        numerator=crimes,
        denominator=residents,
    )


@pytest.fixture
def burglary(demo) -> Measure:
    return Measure.objects.get(outcome__priority__version=demo, title="Residential burglary rate")


@pytest.fixture
def force() -> Area:
    return Area.objects.create(level="force", code="metropolitan", name="Metropolitan Police")


def test_the_headline_is_the_latest_stored_figure_worked_out_again_by_hand(burglary, force):
    borough = Area.objects.create(level="borough", code="E09000001", name="City of London")
    _rate(burglary, force, "2024-03", 40_000, 10_000_000)
    _rate(burglary, force, "2025-03", 28_100, 10_000_000)
    _rate(burglary, borough, "2025-06", 90, 10_000)  # another area's, and later: not this one
    head = selectors.measure_headlines(measures=[burglary], area=force)[burglary.pk]

    # By hand: the force's rows, the one with the latest last month, per 1,000 residents.
    rows = MeasureValue.objects.filter(measure_lineage=burglary.lineage, area=force)
    latest = max(rows, key=lambda v: v.period_end)
    per_1000 = latest.numerator / latest.denominator * 1000
    assert f"{per_1000:.2f}" == "2.81"
    assert head.figure == f"{per_1000:.2f} per 1,000 residents"
    assert head.interval == f"{latest.lower:.2f} to {latest.upper:.2f} per 1,000 residents"
    assert head.period == "12 months to March 2025" == latest.period_label
    assert head.area == "Metropolitan Police"
    # 4.00 to 2.81 per 1,000 on ten million residents: far beyond chance, and lower is better.
    assert (head.status, head.status_classes) == ("Improving", "govuk-tag--green")
    assert head.made_up is False


def test_with_no_figures_the_headline_says_so_and_never_zero(burglary, force):
    other = Area.objects.create(level="borough", code="E09000001", name="City of London")
    _rate(burglary, other, "2025-03", 90, 10_000)  # figures, but not for the force
    head = selectors.measure_headlines(measures=[burglary], area=force)[burglary.pk]
    assert head.figure == "No figures yet"
    assert (head.latest, head.shown, head.interval, head.period) == (None, None, "", "")
    assert (head.status, head.status_classes) == ("", "")
    assert head.area == "Metropolitan Police"
    # No area at all (no force configured): still no figure, not 0.
    assert selectors.measure_headlines(measures=[burglary], area=None)[burglary.pk].figure == (
        "No figures yet"
    )


def test_the_measure_page_shows_the_headline_figure_and_period(client, burglary, force):
    _rate(burglary, force, "2024-03", 40_000, 10_000_000)
    _rate(burglary, force, "2025-03", 28_100, 10_000_000)
    head = selectors.measure_headlines(measures=[burglary], area=force)[burglary.pk]
    view = selectors.measure_view(
        measure=burglary, areas=[force], kinds=["rolling_12"], area=force, kind="rolling_12"
    )
    assert view.latest == head.latest and view.latest_shown == head.shown
    assert [row.period_label for row, _ in view.rows] == [
        "12 months to March 2025",
        "12 months to March 2024",
    ]
    page = " ".join(unescape(client.get(f"/performance/measures/{burglary.lineage}/").text).split())
    assert f"Metropolitan Police, {head.period}" in page and "2.81" in page
