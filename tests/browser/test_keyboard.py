"""A measure page is used with the keyboard alone: choose an area and a period, and read."""

import pytest

pytestmark = pytest.mark.browser


def test_area_and_period_change_with_the_keyboard(new_page, demo_live):
    from policeplan.performance.models import Area, MeasureValue
    from policeplan.plans.models import Measure
    from policeplan.warehouse import periods, stats

    force = Area.objects.create(
        level="force", code="metropolitan", name="Metropolitan Police Service"
    )
    barnet = Area.objects.create(level="borough", code="E09000003", name="Barnet", parent=force)
    measure = Measure.objects.filter(
        outcome__priority__version__number=2, dataset="mps_crime"
    ).first()
    for area in (force, barnet):
        for p in (periods.rolling_12("2025-03"), periods.financial_year(2024)):
            e = stats.poisson_count(1234 if area == barnet else 50000)
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
                numerator=e.value,
            )
    page = new_page()
    page.goto(f"/performance/measures/{measure.lineage}/")
    p = page.page
    assert "Metropolitan Police Service, 12 months to March 2025" in p.content()
    p.keyboard.press("Tab")  # the skip link first
    assert p.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    p.get_by_label("Area").focus()
    p.keyboard.press("End")  # the last area in the list: Barnet
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.id") == "period"
    p.keyboard.press("Home")  # the first kind of period: financial year
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.textContent").strip() == "Show"
    p.keyboard.press("Enter")
    p.wait_for_url("**area=E09000003**")
    assert "Barnet, 2024-25" in p.content()
    assert "period=financial_year" in p.url  # a permalink to this view
    assert page.errors == []
