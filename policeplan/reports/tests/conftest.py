"""A published plan with two measures that have a year of rolling figures for the force and
two boroughs (a third measure has none), and an annual report for 2023-24 on it."""

from __future__ import annotations

import pytest

from policeplan.performance import commentary
from policeplan.performance.models import Area, MeasureValue
from policeplan.plans.models import Measure
from policeplan.reports import services
from policeplan.warehouse import periods

YEAR_END = "2024-03"


def value(measure, area, end, figure, *, spread=1.0, numerator=None):
    p = periods.rolling_12(end)
    return MeasureValue.objects.create(
        measure_lineage=measure.lineage,
        area=area,
        period_kind=p.kind,
        period_key=p.key,
        period_label=p.label,
        period_start=p.start,
        period_end=p.end,
        value=figure,
        lower=figure - spread,
        upper=figure + spread,
        numerator=numerator if numerator is not None else int(figure * 10),
    )


@pytest.fixture
def areas(db):
    return {
        "force": Area.objects.create(
            level="force", code="metropolitan", name="Metropolitan Police"
        ),
        "camden": Area.objects.create(level="borough", code="E09000007", name="Camden"),
        "hackney": Area.objects.create(level="borough", code="E09000012", name="Hackney"),
    }


@pytest.fixture
def measures(demo, areas):
    """The first two measures of the published plan, with figures for 12 rolling years ending
    April 2023 to March 2024, and one more a year later (after the report's period)."""
    chosen = list(
        Measure.objects.filter(outcome__priority__version=demo)
        .exclude(frequency="annually")
        .order_by("outcome__priority__order", "outcome__order", "order", "pk")[:2]
    )
    for i, m in enumerate(chosen):
        for step, end in enumerate(periods.months_between("2023-04", "2025-03")):
            base = 40.0 + 10 * i + step * 0.25
            value(m, areas["force"], end, base, numerator=4000 + step)
            value(m, areas["camden"], end, base + 3, numerator=300 + step)
            value(m, areas["hackney"], end, base - 2, numerator=280 + step)
    return chosen


def approve_commentary(users, lineage, kind, key, text):
    found = commentary.commentary_save(
        user=users["analyst"],
        measure_lineage=str(lineage),
        period_kind=kind,
        period_key=key,
        text=text,
    )
    commentary.commentary_approve(user=users["policy_officer"], commentary=found)


@pytest.fixture
def annual(demo, measures, users):
    return services.report_create(
        user=users["policy_officer"], kind="annual", period_key="2023-24", plan_version=demo
    )


STATUTORY = {
    "functions": "The office **set the budget** and held the Commissioner to account.",
    "national_priorities": "The force contributes to the Strategic Policing Requirement.",
    "inspection": "PEEL 2023: the force was judged inadequate at responding to the public.",
    "complaints": "The office reviewed 412 complaint appeals.",
}


@pytest.fixture
def ready(annual, measures, users):
    """The annual report with everything the law and the office ask for: publishable."""
    services.report_texts_save(user=users["analyst"], report=annual, **STATUTORY)
    for m in measures:
        approve_commentary(
            users, m.lineage, "rolling_12", f"R12-{YEAR_END}", f"Commentary on {m.title}."
        )
    annual.refresh_from_db()
    return annual
