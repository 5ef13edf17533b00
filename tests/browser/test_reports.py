"""Reports in a real browser: axe-core finds nothing on the public report pages (with the
'figures revised' banner showing) or on the staff pages (with the refusal to publish and a
form's errors), and the published report is looked at as a screenshot."""

from __future__ import annotations

import pytest

from tests.browser.conftest import seed_figures, sign_in

pytestmark = pytest.mark.browser


def _published_and_draft():
    """An annual report for 2023-24 published on the seeded figures (then revised), and a
    draft committee pack for March 2023, whose figure has no commentary."""
    from policeplan.core.models import User
    from policeplan.performance import commentary
    from policeplan.performance.models import MeasureValue
    from policeplan.plans import selectors as plans
    from policeplan.reports import services

    measure = seed_figures(
        {
            "metropolitan": {"R12-2023-03": 60000, "R12-2024-03": 54000},
            "E09000003": {"R12-2023-03": 2000, "R12-2024-03": 1800},
        }
    )
    analyst = User.objects.get(role="analyst")
    officer = User.objects.get(role="policy_officer")
    version = plans.plan_current_public().version
    annual = services.report_create(
        user=officer, kind="annual", period_key="2023-24", plan_version=version
    )
    services.report_texts_save(
        user=analyst,
        report=annual,
        foreword="A **foreword**.",
        functions="How the office exercised its functions.",
        national_priorities="The national priorities.",
        inspection="The PEEL findings.",
        complaints="Complaints handling.",
    )
    found = commentary.commentary_save(
        user=analyst,
        measure_lineage=str(measure.lineage),
        period_kind="rolling_12",
        period_key="R12-2024-03",
        text="Violence fell by a tenth.",
    )
    commentary.commentary_approve(user=officer, commentary=found)
    services.report_publish(user=officer, report=annual)
    MeasureValue.objects.filter(period_key="R12-2024-03", area__code="metropolitan").update(
        value=54321
    )
    draft = services.report_create(
        user=officer, kind="monthly", period_key="2023-03", plan_version=version
    )
    return annual, draft


def test_report_pages_have_no_axe_violations(new_page, demo_live, tmp_path):
    from policeplan.core.models import User

    annual, draft = _published_and_draft()
    page = new_page()
    problems = {}
    for path in [
        "/reports/",
        "/reports/annual-reports/",
        "/reports/annual-reports/2023-24/",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto("/reports/annual-reports/2023-24/")
    assert page.page.get_by_text("Some figures have been revised").is_visible()
    page.page.screenshot(path=str(tmp_path / "annual-report.png"), full_page=True)

    sign_in(page, User.objects.get(role="policy_officer").email, demo_live)
    for path in [
        "/staff/reports/",
        f"/staff/reports/{annual.pk}/",
        f"/staff/reports/{draft.pk}/",
        f"/staff/reports/{draft.pk}/texts/",
        "/reports/committee-packs/2023-03/",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto(f"/staff/reports/{draft.pk}/")
    page.page.get_by_role("button", name="Publish the report").click()
    page.page.wait_for_selector(".govuk-error-summary")
    assert page.page.get_by_text("The report cannot be published yet").is_visible()
    if violations := page.axe_violations():
        problems["publishing refused"] = violations
    page.goto("/staff/reports/new/")
    page.page.get_by_role("button", name="Start the report").click()
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["new report with errors"] = violations
    assert problems == {}
    assert page.errors == []
