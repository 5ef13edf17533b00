"""The interactive chart: the server draws every chart as SVG with a table under it; the
interactive chart code (Vega) is fetched only when a reader asks to explore a chart, then
redraws it from the same spec, with tooltips, under the page's strict Content Security Policy.
Without JavaScript the SVG and the table stay, and there is no button that could do nothing."""

import pytest

from tests.browser.conftest import seed_figures

pytestmark = pytest.mark.browser

FIGURES = {
    "metropolitan": {"R12-2023-03": 61000, "R12-2024-03": 60000, "R12-2025-03": 54000},
    "E09000003": {"R12-2023-03": 2100, "R12-2024-03": 2000, "R12-2025-03": 1800},
}
TREND = "figure[data-chart-spec=chart-trend]"


def _open(new_page, measure):
    """The measure page, with every script the browser fetches recorded."""
    page = new_page()
    scripts: list[str] = []
    page.page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    page.goto(f"/performance/measures/{measure.lineage}/")
    page.page.wait_for_load_state("networkidle")
    return page, scripts


def test_the_chart_code_loads_only_when_asked_and_then_tells_each_figure_on_hover(
    new_page, demo_live
):
    measure = seed_figures(FIGURES)
    page, scripts = _open(new_page, measure)
    p = page.page
    assert any("/charts." in url for url in scripts)  # the small loader
    assert not any("chart-engine" in url for url in scripts)  # not Vega, until asked
    assert page.axe_violations() == []  # with the buttons showing

    p.get_by_role("button", name="Explore the chart over time (hover for values)").click()
    p.wait_for_selector(f"{TREND}[data-chart-interactive]")
    assert any("chart-engine" in url for url in scripts)
    figure = p.locator(TREND)
    assert figure.locator(":scope > svg").count() == 0  # the static chart was replaced
    # The button gave way to a hint on using the chart, which has the keyboard focus.
    hint = p.locator(".app-chart__hint")
    hint.wait_for()
    assert "Point at the chart to see each figure" in hint.inner_text()
    assert p.evaluate("document.activeElement.classList.contains('app-chart__hint')")
    points = figure.locator(".mark-symbol path")
    assert points.count() == 3
    points.nth(2).hover()
    tooltip = p.locator("#vg-tooltip-element.visible")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "12 months to March 2025" in text and "54,000" in text and "95% interval" in text
    assert page.errors == []  # no CSP violation: no eval, no inline styles
    assert page.axe_violations() == []


def test_pointing_at_a_chart_is_asking_to_explore_it(new_page, demo_live):
    measure = seed_figures(FIGURES)
    page, scripts = _open(new_page, measure)
    p = page.page
    assert not any("chart-engine" in url for url in scripts)
    p.locator(TREND).hover()
    p.wait_for_selector(f"{TREND}[data-chart-interactive]")
    assert any("chart-engine" in url for url in scripts)
    p.locator(".app-chart__hint").wait_for()  # in place of the button
    assert (
        p.get_by_role("button", name="Explore the chart over time (hover for values)").count() == 0
    )
    assert page.errors == []


def test_without_javascript_the_server_chart_and_its_table_stay(browser, live_server, demo_live):
    measure = seed_figures(FIGURES)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/performance/measures/{measure.lineage}/")
    figure = page.locator(TREND)
    assert figure.locator(":scope > svg").count() == 1
    assert figure.get_attribute("data-chart-interactive") is None
    table = page.get_by_role("table", name="by rolling year (12 months)")
    assert "54,000" in table.inner_text()
    # A button that could do nothing is not shown.
    assert (
        page.get_by_role("button", name="Explore the chart over time (hover for values)").count()
        == 0
    )
    context.close()
