"""At 375 CSS pixels wide (a small phone) no page scrolls sideways (WCAG 1.4.10 reflow): a
table too wide to fit scrolls inside its own labelled region instead."""

from __future__ import annotations

import struct

import pytest

from tests.browser.conftest import seed_figures, sign_in

pytestmark = pytest.mark.browser

WIDTH = 375

# The widest element that runs past the right edge of the screen, if any.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const past = [...document.querySelectorAll('main *')].filter(
    e => e.getBoundingClientRect().right > width + 1 && !e.closest('.app-table-scroll, .app-chart')
  );
  return {scroll: document.documentElement.scrollWidth, width,
          past: past.slice(0, 3).map(e => e.tagName + '.' + e.className)};
}"""


@pytest.fixture
def narrow(new_page):
    def make():
        page = new_page()
        page.page.set_viewport_size({"width": WIDTH, "height": 800})
        return page

    return make


@pytest.fixture
def with_consultation(demo_live):
    from policeplan.analysis import demo as analysis_demo
    from policeplan.consultations import demo as consultations_demo

    past, _ = consultations_demo.load()
    analysis_demo.load(consultation=past)
    return past


def test_staff_lists_and_tables_fit_a_small_phone(narrow, demo_live, with_consultation):
    from policeplan.performance.models import DataImport
    from policeplan.plans.models import PlanVersion

    DataImport.objects.create(
        kind="police-uk", source="Uploaded", status="succeeded", progress=100, summary={}
    )
    version = PlanVersion.objects.get(number=2)
    c = f"/staff/consultations/{with_consultation.pk}"
    page = narrow()
    sign_in(page, "admin@demo.policeplan.example", demo_live)
    page.page.wait_for_url("**/staff/**")
    problems = {}
    for path in [
        "/staff/",
        f"/staff/versions/{version.pk}/",
        f"/staff/versions/{version.pk}/commitments/",
        "/staff/consultations/",
        f"{c}/",
        f"{c}/responses/",
        f"{c}/equality/",
        f"{c}/analysis/",
        f"{c}/analysis/dashboard/",
        "/staff/data/",
        "/staff/data/caveats/",
        "/staff/audit/",
    ]:
        page.goto(path)
        found = page.page.evaluate(OVERFLOW)
        if found["scroll"] > found["width"] or found["past"]:
            problems[path] = found
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())
    # Each scrolling region is named and can be reached and scrolled with the keyboard.
    page.goto("/staff/audit/")
    region = page.page.get_by_role("region", name="Audit events")
    assert region.get_attribute("tabindex") == "0"


def test_the_priority_page_fits_a_small_phone(narrow, demo_live, tmp_path):
    seed_figures({"metropolitan": {"2023-24": 900, "2024-25": 700}, "E09000003": {}})
    page = narrow()
    page.goto("/plans/london-2022-25/v2/priorities/reducing-and-preventing-violence/")
    page.page.get_by_text("Latest figure for Metropolitan Police Service").first.wait_for()
    found = page.page.evaluate(OVERFLOW)
    assert found["past"] == [] and found["scroll"] == WIDTH, found
    shot = tmp_path / "priority-375.png"
    page.page.screenshot(path=str(shot), full_page=True)
    # A full-page screenshot is as wide as the page: wider than the screen means it overflowed.
    png_width = struct.unpack(">I", shot.read_bytes()[16:20])[0]
    assert png_width == WIDTH
    assert page.axe_violations() == []
