"""axe-core finds no WCAG 2.2 A/AA (or best-practice) violation on the public plan pages,
the staff task list and a form showing errors; and the pages log no errors (CSP included)."""

import pytest

from tests.browser.conftest import seed_figures, sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/plans/london-2022-25/v2/",
    "/plans/london-2022-25/v1/",
    "/plans/london-2022-25/v2/priorities/increasing-trust-and-confidence/",
    "/plans/london-2022-25/v2/chapters/the-policing-london-will-receive/",
    "/plans/london-2022-25/v2/outcomes-framework/",
    "/plans/london-2022-25/v2/delivery/",
    "/plans/london-2022-25/versions/",
    "/plans/london-2022-25/compare/?from=1&to=2",
    "/sign-in/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/contact/",
    "/no-such-page/",
]


# The scrutiny body's public pages, once its demo is loaded ({meeting} and {paper}: the
# first demo meeting and its first paper; {question}: an answered question).
SCRUTINY = "/scrutiny/police-and-crime-committee"
SCRUTINY_PAGES = [
    "/scrutiny/",
    f"{SCRUTINY}/",
    f"{SCRUTINY}/meetings/{{meeting}}/",
    f"{SCRUTINY}/meetings/{{meeting}}/papers/{{paper}}/",
    f"{SCRUTINY}/actions/",
    f"{SCRUTINY}/alerts/",
    "/scrutiny/decisions/",
    "/scrutiny/decisions/?q=contract&year=2022",
    "/scrutiny/decisions/?year=0",  # a filter no list offers: the errors
    "/scrutiny/decisions/pcd-1031/",  # with its Part 2 withheld
    f"{SCRUTINY}/reports/{{report}}/",
    "/scrutiny/recommendations/",
    "/scrutiny/recommendations/?status=bogus",  # the filters showing their error
    "/scrutiny/recommendations/{recommendation}/",
    f"{SCRUTINY}/questions/",
    f"{SCRUTINY}/questions/?status=overdue",
    f"{SCRUTINY}/questions/{{question}}/",
]


def test_scrutiny_pages_have_no_axe_violations(new_page, demo_live):
    from policeplan.scrutiny.demo import load
    from policeplan.scrutiny.models import Meeting, Question, Recommendation

    load()
    meeting = Meeting.objects.order_by("starts_at").first()
    paper = meeting.items.filter(papers__isnull=False, exempt=False).first().papers.first()
    recommendation = Recommendation.objects.get(number=2)  # a moved date and an action
    question = Question.objects.filter(answered_on__isnull=False).order_by("pk").first()
    page = new_page()
    problems = {}
    for path in SCRUTINY_PAGES:
        path = path.format(
            meeting=meeting.pk,
            paper=paper.pk,
            report=recommendation.report_id,
            recommendation=recommendation.pk,
            question=question.pk,
        )
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto(f"{SCRUTINY}/alerts/")
    page.page.get_by_role("button", name="Get emails").click()  # empty: shows errors
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["alerts form with errors"] = violations
    sign_in(page, "committee@demo.policeplan.example", demo_live)
    report = f"/staff/scrutiny/reports/{recommendation.report_id}"
    staff_pages = [
        "/staff/scrutiny/",
        f"/staff/scrutiny/meetings/{meeting.pk}/",
        f"{report}/",
        f"{report}/recommendations/import/",
    ]
    for path in staff_pages:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    assert problems == {}
    # The decisions list and the tracker answer a filter they do not offer with 400 (and the
    # errors), which the browser reports; nothing else may.
    assert [e for e in page.errors if "status of 400" not in e] == []
    assert len(page.errors) <= 2


def test_public_pages_have_no_axe_violations(new_page, demo_live):
    page = new_page()
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        violations = page.axe_violations()
        if violations:
            problems[path] = violations
    assert problems == {}
    assert [e for e in page.errors if "404" not in e] == []


def test_staff_pages_have_no_axe_violations(new_page, demo_live):
    from policeplan.plans.models import PlanVersion

    page = new_page()
    sign_in(page, "policy@demo.policeplan.example", demo_live)
    version = PlanVersion.objects.get(number=2)
    paths = [
        "/staff/",
        f"/staff/versions/{version.pk}/",
        f"/staff/versions/{version.pk}/priorities/",
    ]
    problems = {}
    for path in paths:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto("/staff/plans/new/")
    page.page.get_by_role("button", name="Create the plan").click()  # empty: shows errors
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["form with errors"] = violations
    assert problems == {}
    assert page.errors == []


def test_data_pages_have_no_axe_violations(new_page, demo_live):
    from policeplan.core.models import User
    from policeplan.performance.models import DataImport, DatasetCoverage, ImportedFile

    data_import = DataImport.objects.create(
        kind="police-uk", source="Uploaded", status="succeeded", progress=100, summary={"paths": []}
    )
    ImportedFile.objects.create(
        data_import=data_import,
        dataset="street",
        file_name="2024-01-metropolitan-street.csv",
        sha256="0" * 64,
        rows_read=10,
        rows_accepted=9,
        rows_rejected=1,
        months=["2024-01"],
        problems=[
            {
                "kind": "coordinates out of range",
                "field": "Latitude",
                "rejected": True,
                "count": 1,
                "lines": [7],
            }
        ],
    )
    failed = DataImport.objects.create(
        kind="pas",
        source="Uploaded",
        status="failed",
        error="PAS.csv, line 1: the columns are not the expected ones",
        summary={"paths": []},
    )
    running = DataImport.objects.create(
        kind="pas",
        source="Uploaded",
        status="running",
        progress=40,
        stage="Reading PAS.csv",
        summary={"paths": []},
    )
    DatasetCoverage.objects.create(
        dataset="street",
        scope="metropolitan",
        months=["2024-01", "2024-03"],
        month_counts={"2024-01": 9, "2024-03": 9},
        anomalies=[
            {"month": "2024-02", "kind": "missing", "message": "No data for February 2024."}
        ],
    )
    analyst = User.objects.get(role="analyst")
    page = new_page()
    sign_in(page, analyst.email, demo_live)
    problems = {}
    for path in [
        "/staff/data/",
        f"/staff/data/imports/{data_import.pk}/",
        f"/staff/data/imports/{failed.pk}/",
        f"/staff/data/imports/{running.pk}/",
        "/staff/data/caveats/",
        "/staff/data/figures/",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    page.goto("/staff/data/import/")
    page.page.get_by_role("button", name="Import").click()
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["upload with errors"] = violations
    page.goto("/staff/data/figures/")
    page.page.get_by_role("button", name="Upload the figures").click()
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["figures with errors"] = violations
    page.goto("/staff/data/caveats/add/")
    page.page.get_by_role("button", name="Save").click()
    page.page.wait_for_selector(".govuk-error-summary")
    if violations := page.axe_violations():
        problems["caveat with errors"] = violations
    assert problems == {}
    assert page.errors == []


def test_dashboard_pages_have_no_axe_violations(new_page, demo_live):
    measure = seed_figures(
        {
            "metropolitan": {"R12-2024-03": 60000, "R12-2025-03": 54000},
            "E09000003": {"R12-2024-03": 2000, "R12-2025-03": 1800},
        }
    )
    page = new_page()
    problems = {}
    for path in [
        "/performance/",
        f"/performance/measures/{measure.lineage}/",
        f"/performance/measures/{measure.lineage}/?area=E09000003&period=rolling_12",
    ]:
        page.goto(path)
        if violations := page.axe_violations():
            problems[path] = violations
    assert problems == {}
    assert page.errors == []
    page.goto(f"/performance/measures/{measure.lineage}/")
    assert "Improving" in page.page.content()  # a 10% fall on these counts is significant


def test_pages_work_without_javascript(browser, live_server, demo_live):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/plans/london-2022-25/compare/")
    page.get_by_label("Earlier version").select_option("1")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare/?from=1&to=2")  # the GET form's page, loaded
    assert "What changed from version 1 to version 2" in page.content()
    context.close()
