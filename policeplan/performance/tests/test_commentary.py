"""Commentary on a measure's figures for a period: drafted by analysts or policy officers,
approved by another policy officer, public only once approved."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.core.models import AuditEvent
from policeplan.core.tests.factories import UserFactory
from policeplan.performance import commentary, selectors
from policeplan.performance.models import Area, Commentary, MeasureValue
from policeplan.plans.models import Measure
from policeplan.warehouse import periods

pytestmark = pytest.mark.django_db

YEAR = periods.financial_year(2024)
EDIT = "/staff/performance/commentary/{lineage}/financial_year/2024-25/"


@pytest.fixture
def measures(demo):
    """Two measures of the published plan with a figure for London for 2024-25."""
    chosen = list(Measure.objects.filter(outcome__priority__version__number=2).order_by("pk")[:2])
    force = Area.objects.create(level="force", code="metropolitan", name="Metropolitan Police")
    for m in chosen:
        MeasureValue.objects.create(
            measure_lineage=m.lineage,
            area=force,
            period_kind=YEAR.kind,
            period_key=YEAR.key,
            period_label=YEAR.label,
            period_start=YEAR.start,
            period_end=YEAR.end,
            value=10.0,
            lower=9.0,
            upper=11.0,
            numerator=100,
        )
    return chosen


def _save(user, measure, text):
    return commentary.commentary_save(
        user=user,
        measure_lineage=str(measure.lineage),
        period_kind=YEAR.kind,
        period_key=YEAR.key,
        text=text,
    )


def _public(client, measure):
    return client.get(
        f"/performance/measures/{measure.lineage}/",
        {"area": "metropolitan", "period": "financial_year"},
    ).text


def _status(measure):
    return selectors.commentary_status(
        measure_lineages=[measure.lineage], period_kind=YEAR.kind, period_key=YEAR.key
    )[str(measure.lineage)].state


def test_who_may_write_and_who_may_approve(users, measures):
    m = measures[0]
    for role in ("committee_member",):
        with pytest.raises(PermissionDenied):
            _save(users[role], m, "Text")
    draft = _save(users["analyst"], m, "Burglary fell by a tenth.")
    with pytest.raises(PermissionDenied):
        commentary.commentary_approve(user=users["analyst"], commentary=draft)
    with pytest.raises(PermissionDenied):
        commentary.commentary_approve(user=users["committee_member"], commentary=draft)
    approved = commentary.commentary_approve(user=users["policy_officer"], commentary=draft)
    assert approved.state == "approved" and approved.approved_by == users["policy_officer"]
    assert _save(users["policy_officer"], m, "Burglary fell.").state == "draft"


def test_nobody_approves_their_own_commentary(users, measures):
    officer = users["policy_officer"]
    draft = _save(officer, measures[0], "Our own words.")
    with pytest.raises(PermissionDenied, match="someone else must approve it"):
        commentary.commentary_approve(user=officer, commentary=draft)
    assert _status(measures[0]) == "draft"
    other = UserFactory(role="policy_officer")
    commentary.commentary_approve(user=other, commentary=draft)
    assert _status(measures[0]) == "approved"


def test_changing_approved_commentary_makes_it_a_draft_again_and_the_audit_says_so(users, measures):
    m = measures[0]
    draft = _save(users["analyst"], m, "First words.")
    commentary.commentary_approve(user=users["policy_officer"], commentary=draft)
    _save(users["policy_officer"], m, "First words.")  # the same text changes nothing
    assert _status(m) == "approved"
    changed = _save(users["analyst"], m, "Second words.")
    assert changed.state == "draft" and changed.approved_by is None
    assert Commentary.objects.count() == 1
    actions = list(
        AuditEvent.objects.filter(object_type="performance.commentary")
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert [a for a, _ in actions] == [
        "commentary.create",
        "commentary.approve",
        "commentary.update",
    ]
    assert actions[-1][1]["state"] == ["approved", "draft"]
    assert actions[-1][1]["text"] == ["First words.", "Second words."]


def test_commentary_must_be_written_and_not_too_long(users, measures):
    with pytest.raises(ValidationError, match="Enter the commentary"):
        _save(users["analyst"], measures[0], "   ")
    with pytest.raises(ValidationError, match="10,000 characters"):
        _save(users["analyst"], measures[0], "x" * 10_001)
    assert not Commentary.objects.exists()


def test_status_and_unapproved_say_what_a_report_is_missing(users, measures):
    first, second = measures
    draft = _save(users["analyst"], first, "Draft words.")
    status = selectors.commentary_status(
        measure_lineages=[m.lineage for m in measures], period_kind=YEAR.kind, period_key=YEAR.key
    )
    assert [s.state for s in status.values()] == ["draft", "missing"]
    missing = selectors.commentary_unapproved(
        measure_lineages=[m.lineage for m in measures], period_kind=YEAR.kind, period_key=YEAR.key
    )
    assert [s.measure_lineage for s in missing] == [str(first.lineage), str(second.lineage)]
    commentary.commentary_approve(user=users["policy_officer"], commentary=draft)
    missing = selectors.commentary_unapproved(
        measure_lineages=[m.lineage for m in measures], period_kind=YEAR.kind, period_key=YEAR.key
    )
    assert [s.measure_lineage for s in missing] == [str(second.lineage)]
    # Another period's commentary does not count for this one.
    assert (
        selectors.commentary_for(
            measure_lineage=str(first.lineage), period_kind="financial_year", period_key="2023-24"
        )
        is None
    )


def test_drafts_are_never_public_and_approved_commentary_is(client, users, measures):
    m = measures[0]
    draft = _save(users["analyst"], m, "Burglary **fell** by a tenth in 2024-25.")
    assert "fell" not in _public(client, m)
    commentary.commentary_approve(user=users["policy_officer"], commentary=draft)
    html = _public(client, m)
    assert "What the figures for 2024-25 show" in html
    assert "Burglary <strong>fell</strong> by a tenth in 2024-25." in html
    _save(users["analyst"], m, "A changed draft nobody has approved.")
    html = _public(client, m)
    assert "A changed draft" not in html and "What the figures for 2024-25 show" not in html


def test_hostile_markdown_is_made_safe_on_the_public_page(client, users, measures):
    m = measures[0]
    draft = _save(
        users["analyst"],
        m,
        "Fell. <script>alert('x')</script> [click](javascript:alert(1)) "
        '<img src=x onerror="alert(2)">',
    )
    commentary.commentary_approve(user=users["policy_officer"], commentary=draft)
    html = _public(client, m)
    body = html[html.index("What the figures for") :]
    assert "Fell." in body
    # Shown as harmless text at most: no script, no javascript: link, no image with a handler.
    assert "<script" not in body.split('<script type="module"')[0]
    assert not re.search(r"href=[\"']?javascript:", body, re.I)
    assert "<img" not in body


def test_the_task_list_shows_each_measure_as_not_started_draft_or_approved(client, users, measures):
    first, second = measures
    draft = _save(users["analyst"], first, "Words.")
    client.force_login(users["analyst"])
    html = client.get("/staff/performance/commentary/").text
    total = Measure.objects.filter(outcome__priority__version__number=2).count()
    assert total > 2
    assert f"{total} of {total} measures need commentary written or approved." in html
    rows = re.findall(r'<li class="govuk-task-list__item.*?</li>', html, re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]
    assert any(first.title in t and "Draft: needs approval" in t for t in text), text
    assert any(second.title in t and "Not started" in t for t in text), text
    commentary.commentary_approve(user=users["policy_officer"], commentary=draft)
    html = client.get("/staff/performance/commentary/", {"period": "financial_year/2024-25"}).text
    assert f"{total - 1} of {total} measures need commentary written or approved." in html
    rows = re.findall(r'<li class="govuk-task-list__item.*?</li>', html, re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]
    assert any(first.title in t and "Approved" in t for t in text), text


def test_an_analyst_writes_and_another_officer_approves_through_the_pages(client, users, measures):
    m = measures[0]
    url = EDIT.format(lineage=m.lineage)
    client.force_login(users["analyst"])
    page = client.get(url).text
    assert "There is no commentary yet." in page
    assert "Approve for publication" not in page
    response = client.post(url, {"text": "Fewer burglaries."})
    assert response.status_code == 302
    assert client.post(url + "approve/").status_code == 403
    client.force_login(users["policy_officer"])
    page = client.get(url).text
    assert "Draft: needs approval" in page and "Fewer burglaries." in page
    response = client.post(url + "approve/", follow=True)
    assert "approved" in response.text
    assert _status(m) == "approved"


def test_the_page_refuses_self_approval_with_a_reason(client, users, measures):
    m = measures[0]
    url = EDIT.format(lineage=m.lineage)
    client.force_login(users["policy_officer"])
    client.post(url, {"text": "My words."})
    page = client.get(url).text
    assert "You wrote this commentary, so someone else must approve it." in page
    response = client.post(url + "approve/", follow=True)
    assert "You wrote this commentary, so someone else must approve it" in response.text
    assert _status(m) == "draft"


def test_a_period_the_measure_has_no_figures_for_is_not_found(client, users, measures):
    client.force_login(users["analyst"])
    url = f"/staff/performance/commentary/{measures[0].lineage}/financial_year/2019-20/"
    assert client.get(url).status_code == 404


def test_the_task_list_costs_the_same_queries_however_much_commentary_there_is(
    client, users, measures
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["analyst"])
    client.get("/staff/performance/commentary/")  # the session and office, read once
    with CaptureQueriesContext(connection) as none_written:
        client.get("/staff/performance/commentary/")
    for m in measures:
        commentary.commentary_approve(
            user=users["policy_officer"], commentary=_save(users["analyst"], m, "Words.")
        )
    with CaptureQueriesContext(connection) as all_written:
        html = client.get("/staff/performance/commentary/").text
    assert html.count("Approved") >= 2
    assert len(all_written.captured_queries) == len(none_written.captured_queries)
