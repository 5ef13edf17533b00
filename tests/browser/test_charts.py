"""The interactive chart: the server's SVG chart is redrawn by Vega from the same spec, with
tooltips, under the page's strict Content Security Policy; without JavaScript the SVG stays."""

import pytest

from tests.browser.conftest import seed_figures

pytestmark = pytest.mark.browser

FIGURES = {
    "metropolitan": {"R12-2023-03": 61000, "R12-2024-03": 60000, "R12-2025-03": 54000},
    "E09000003": {"R12-2023-03": 2100, "R12-2024-03": 2000, "R12-2025-03": 1800},
}


def test_the_trend_chart_becomes_interactive_and_tells_each_figure_on_hover(new_page, demo_live):
    measure = seed_figures(FIGURES)
    page = new_page()
    page.goto(f"/performance/measures/{measure.lineage}/")
    p = page.page
    p.wait_for_selector("figure[data-chart-spec=chart-trend][data-chart-interactive]")
    figure = p.locator("figure[data-chart-spec=chart-trend]")
    assert figure.locator(":scope > svg").count() == 0  # the static chart was replaced
    points = figure.locator(".mark-symbol path")
    assert points.count() == 3
    points.nth(2).hover()
    tooltip = p.locator("#vg-tooltip-element.visible")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "12 months to March 2025" in text and "54,000" in text and "95% interval" in text
    assert page.errors == []  # no CSP violation: no eval, no inline styles
    assert page.axe_violations() == []


def test_without_javascript_the_server_chart_stays(browser, live_server, demo_live):
    measure = seed_figures(FIGURES)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/performance/measures/{measure.lineage}/")
    figure = page.locator("figure[data-chart-spec=chart-trend]")
    assert figure.locator(":scope > svg").count() == 1
    assert figure.get_attribute("data-chart-interactive") is None
    context.close()
