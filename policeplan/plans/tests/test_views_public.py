import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from policeplan.plans import services
from policeplan.plans.models import Priority, VersionState
from policeplan.plans.tests.factories import (
    ChapterFactory,
    MeasureFactory,
    OutcomeFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db

DEMO_PRIORITIES = [
    "Reducing and preventing violence",
    "Increasing trust and confidence",
    "Better supporting victims",
    "Protecting people from exploitation and harm",
]


def test_the_public_home_shows_the_final_plan_and_its_four_priorities(client, demo):
    html = client.get("/").text
    assert "Police and Crime Plan for London 2022–25" in html
    for title in DEMO_PRIORITIES:
        assert title in html
    assert "Version 2: Final plan" in html
    assert "Draft: not published" not in html


def test_the_consultation_draft_stays_public_and_says_what_it_is(client, demo):
    html = client.get("/plans/london-2022-25/v1/").text
    assert "consultation draft" in html
    priority = client.get(
        "/plans/london-2022-25/v1/priorities/protecting-people-from-exploitation-and-harm/"
    )
    assert "Drug trafficking offences" in priority.text


def test_drafts_are_invisible_to_the_public_and_the_committee(client, users, demo):
    draft = services.plan_version_new_draft(user=users["policy_officer"], plan=demo.plan)
    url = f"/plans/london-2022-25/v{draft.number}/"
    assert client.get(url).status_code == 404
    assert f"Version {draft.number}" not in client.get("/plans/london-2022-25/versions/").text
    client.force_login(users["committee_member"])
    assert client.get(url).status_code == 404
    client.force_login(users["analyst"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Draft: not published" in response.text
    home = client.get("/").text  # the home page never shows a draft, even to staff
    assert "Version 2: Final plan" in home and "Draft: not published" not in home


def test_a_priority_page_lists_outcomes_measures_and_commitments(client, demo):
    html = client.get("/plans/london-2022-25/v2/priorities/increasing-trust-and-confidence/").text
    assert "The police deal with the issues that matter locally" in html
    assert "Londoners who agree the police deal with anti-social behaviour" in html
    assert "Public Attitude Survey" in html
    assert "Work with every borough to agree local anti-social behaviour priorities" in html


def test_comparing_the_consultation_draft_with_the_final_plan(client, demo):
    html = client.get("/plans/london-2022-25/compare/", {"from": 1, "to": 2}).text
    assert "What changed from version 1 to version 2" in html
    assert "A 5% reduction by March 2025" in html and "A 10% reduction by March 2025" in html
    assert "Drug trafficking offences" in html and "Removed" in html
    assert "The 32 London boroughs (London Crime Prevention Fund)" in html


def test_comparing_with_a_version_that_does_not_exist_explains_the_problem(client, demo):
    response = client.get("/plans/london-2022-25/compare/", {"from": 9, "to": 2})
    assert "<title>Error:" in response.text
    assert "Select two versions of the plan to compare" in response.text


def test_documents_download_as_real_pdfs(client, demo):
    document = demo.documents.get(kind="easy_read")
    response = client.get(f"/plans/london-2022-25/v2/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "Easy read version" in reader.pages[0].extract_text()


def test_chapters_render_markdown_with_previous_and_next_links(client, demo):
    html = client.get("/plans/london-2022-25/v2/chapters/the-policing-london-will-receive/").text
    assert '<h2 class="govuk-heading-l">How we will work with partners</h2>' in html
    assert "<strong>neighbourhood policing</strong>" in html
    assert "Foreword" in html and "Listening to Londoners" in html


def _plan(priorities: int, outcomes: int, measures: int):
    version = VersionFactory(state=VersionState.FINAL)
    for _ in range(priorities):
        priority = Priority.objects.create(
            version=version, title="P", slug=f"p{Priority.objects.count()}"
        )
        for _ in range(outcomes):
            outcome = OutcomeFactory(priority=priority)
            for _ in range(measures):
                MeasureFactory(outcome=outcome)
        ChapterFactory(version=version)
    return version


@pytest.mark.parametrize("page", ["", "outcomes-framework/", "delivery/"])
def test_public_pages_make_a_fixed_number_of_queries_however_large_the_plan(client, page):
    counts = []
    for size in [(1, 1, 1), (6, 3, 4)]:
        version = _plan(*size)
        url = f"/plans/{version.plan.slug}/v1/{page}"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The home page also asks (once) for the scrutiny body's recommendations on the draft.
    assert counts[0] <= (9 if page == "" else 8)


def test_commitments_past_their_due_date_and_not_done_are_flagged_overdue(client, demo):
    import re

    from policeplan.core.models import User
    from policeplan.plans.models import Commitment

    def row(html, text):
        return next(r for r in re.findall(r"<tr .*?</tr>", html, re.S) if text in r)

    html = client.get("/plans/london-2022-25/v2/delivery/").text
    # Due September 2023, still in progress: overdue. Due October 2022 and done: not.
    assert "Overdue" in row(html, "Fund violence prevention programmes in schools")
    assert "Overdue" not in row(html, "Publish stop and search data by borough every month")
    priority = client.get("/plans/london-2022-25/v2/priorities/increasing-trust-and-confidence/")
    assert "Overdue" in row(priority.text, "Work with every borough to agree local")
    # Staff see the same flag on the version's commitments.
    client.force_login(User.objects.get(email="policy@demo.policeplan.example"))
    version = Commitment.objects.get(
        text__startswith="Fund violence prevention", version=demo
    ).version
    staff = client.get(f"/staff/versions/{version.pk}/commitments/").text
    card = staff[staff.index("Fund violence prevention programmes") :]
    assert "Overdue" in card[: card.index("</dl>")]
