"""A measure page is used with the keyboard alone: choose an area and a period, and read."""

import pytest

from tests.browser.conftest import seed_figures

pytestmark = pytest.mark.browser


def test_area_and_period_change_with_the_keyboard(new_page, demo_live):
    measure = seed_figures(
        {
            "metropolitan": {"R12-2025-03": 50000, "2024-25": 50000},
            "E09000003": {"R12-2025-03": 1234, "2024-25": 1234},
        }
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
    # What the reader sees (the borough's name is a link to its page).
    assert "Barnet, 2024-25" in p.locator(".app-headline").inner_text()
    assert "period=financial_year" in p.url  # a permalink to this view
    assert page.errors == []
