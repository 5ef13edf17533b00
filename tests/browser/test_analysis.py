"""axe on the public results pages and the analysts' pages, from the demo's analysis."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def analysed(demo_live):
    from policeplan.analysis import demo as analysis_demo
    from policeplan.consultations import demo as consultations_demo

    past, _ = consultations_demo.load()
    analysis_demo.load(consultation=past)
    return past


def test_results_and_analysis_pages_have_no_axe_violations(new_page, analysed, demo_live):
    from policeplan.analysis import selectors

    slug = analysed.slug
    page = new_page()
    problems = {}
    for path in [
        f"/consultations/{slug}/",
        f"/consultations/{slug}/results/",
        f"/consultations/{slug}/you-said-we-did/",
        f"/consultations/{slug}/you-said-we-did/visible-neighbourhood-policing/",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations

    staff = new_page()
    sign_in(staff, "analyst@demo.policeplan.example", demo_live)
    staff.page.wait_for_url("**/staff/**")
    question = selectors.free_text_questions(consultation=analysed)[0]
    frame = selectors.codeframe_final(consultation=analysed, question=question)
    theme = frame.themes.first()
    coded = selectors.review_queue(codeframe=frame).first()
    a = f"/staff/consultations/{analysed.pk}/analysis"
    f = f"/staff/analysis/codeframes/{frame.pk}"
    for path in [
        f"{a}/",
        f"{a}/dashboard/",
        f"{a}/dashboard/?borough=E09000003&equality=sex:female",
        f"{a}/you-said-we-did/",
        f"{a}/you-said-we-did/changes/add/",
        f"{a}/responses/{coded.response_id}/",
        f"{f}/",
        f"{f}/review/",
        f"{f}/sample/",
        f"{f}/themes/{theme.lineage}/",
        f"/staff/analysis/texts/{coded.pk}/",
        f"/staff/analysis/runs/{frame.runs.first().pk}/",
    ]:
        staff.goto(path)
        if violations := staff.axe_violations():
            problems[path] = violations
    staff.goto(f"{f}/")
    staff.page.get_by_role("button", name="Split").click()  # nothing chosen: errors
    staff.page.wait_for_selector(".govuk-error-summary")
    if violations := staff.axe_violations():
        problems["codeframe change with errors"] = violations
    assert problems == {}
    assert page.errors == [] and staff.errors == []
