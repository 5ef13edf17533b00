"""Reports, recommendations, the office's responses and the public tracker: the chain from a
recommendation to its response, actions, plan changes and the live figure of its measure;
target dates that never move silently; drafts that never leak; filters, CSV and queries."""

from __future__ import annotations

import csv
import datetime
import io
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from policeplan.performance.models import Area, MeasureValue
from policeplan.scrutiny import services
from policeplan.scrutiny.models import DateChange, Recommendation
from policeplan.scrutiny.tests.conftest import (
    DRAFT_REPORT_SECRET,
    DRAFT_RESPONSE_SECRET,
    build,
    build_recommendations,
)
from policeplan.warehouse import periods, stats

pytestmark = pytest.mark.django_db
TRACKER = "/scrutiny/recommendations/"


@pytest.fixture
def recs(demo, users):
    built = build(users["policy_officer"], users["committee_member"])
    return build_recommendations(users["policy_officer"], built)


def _rate(lineage, area, end: str, crimes: int, residents: int = 10_000_000) -> None:
    p = periods.rolling_12(end)
    e = stats.rate(crimes, residents)
    MeasureValue.objects.update_or_create(
        measure_lineage=lineage,
        area=area,
        period_kind=p.kind,
        period_key=p.key,
        defaults={
            "period_label": p.label,
            "period_start": p.start,
            "period_end": p.end,
            "value": e.value,
            "lower": e.lower,
            "upper": e.upper,
            "numerator": crimes,
            "denominator": residents,
        },
    )


def _text(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


def test_the_tracker_shows_the_measures_live_figure_and_never_zero(client, recs):
    page = _text(client.get(TRACKER))
    assert "Publish burglary figures by borough every quarter." in page
    assert "Residential burglary rate" in page and "No figures yet" in page
    force = Area.objects.create(level="force", code="metropolitan", name="Metropolitan Police")
    _rate(recs.measure.lineage, force, "2024-03", 40_000)
    _rate(recs.measure.lineage, force, "2025-03", 28_100)
    page = _text(client.get(TRACKER))
    assert "2.81 per 1,000 residents" in page and "12 months to March 2025" in page
    assert "Improving" in page and "95% interval" in page
    # The figure changes: so does the page (nothing recomputed or cached of its own).
    _rate(recs.measure.lineage, force, "2025-03", 25_000)
    page = _text(client.get(TRACKER))
    assert "2.50 per 1,000 residents" in page and "2.81 per 1,000" not in page


def test_each_recommendation_has_its_chain(client, recs, users):
    from policeplan.analysis.models import PlanChange
    from policeplan.consultations.tests.conftest import build as consultation

    c = consultation(users["policy_officer"])
    c.results_published_at = timezone.now()
    c.save()
    final = recs.measure.outcome.priority.version
    change = PlanChange.objects.create(
        consultation=c,
        from_version=c.plan_version,
        to_version=final,
        item="Measure changed: Residential burglary rate",
        summary="Now published by borough.",
        measure_lineage=recs.measure.lineage,
    )
    change.recommendations.set([recs.linked])
    page = _text(client.get(f"{TRACKER}{recs.linked.pk}/"))
    for step in (
        "Accepted",
        "Londoners asked for it too.",
        "Publish them from April.",
        "First quarterly release",
        "Send the committee the burglary release plan",  # the action
        "Now published by borough.",  # the plan change
        "Residential burglary rate",  # the measure
    ):
        assert step in page, step


def test_a_published_target_date_moves_only_with_a_reason_kept_in_public(client, recs, officer):
    old = recs.response.target_on
    new = old + datetime.timedelta(days=60)
    data = {"decision": "accepted", "reasons": "Londoners asked for it too.", "target_on": new}
    with pytest.raises(ValidationError) as refused:
        services.response_save(user=officer, recommendation=recs.linked, data=data)
    assert "change_reason" in refused.value.error_dict
    services.response_save(
        user=officer, recommendation=recs.linked, data=data, change_reason="Data team short-staffed"
    )
    change = DateChange.objects.get(response=recs.response)
    assert (change.old_date, change.new_date) == (old, new)
    # A milestone's date too, through the staff form: the error names the field.
    client.force_login(officer)
    form = {
        "title": "First quarterly release",
        "due_on_day": "1",
        "due_on_month": "1",
        "due_on_year": "2031",
    }
    url = f"/staff/scrutiny/milestones/{recs.milestone.pk}/"
    refused_page = client.post(url, form)
    assert refused_page.status_code == 200
    assert "Enter why the date is changing" in _text(refused_page)
    assert (
        client.post(url, {**form, "change_reason": "Waiting for the new system"}).status_code == 302
    )
    client.logout()
    page = _text(client.get(f"{TRACKER}{recs.linked.pk}/"))
    assert "Reason: Data team short-staffed" in page
    assert "Reason: Waiting for the new system" in page and "1 January 2031" in page


def test_a_draft_response_does_not_move_dates_in_history(recs, officer):
    services.response_save(
        user=officer,
        recommendation=recs.unanswered,
        data={"target_on": datetime.date(2030, 1, 1)},
    )
    assert not DateChange.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "analyst", "committee_member", "policy_officer"])
def test_drafts_show_only_to_those_entitled(client, recs, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    tracker = _text(client.get(TRACKER))
    draft_rec = client.get(f"{TRACKER}{recs.draft_rec.pk}/")
    committee = recs.report.committee.slug
    draft_report = client.get(f"/scrutiny/{committee}/reports/{recs.draft_report.pk}/")
    csv_text = client.get(f"{TRACKER[:-1]}.csv").content.decode()
    sees_drafts = role in ("committee_member", "policy_officer")
    assert (DRAFT_REPORT_SECRET in tracker) is sees_drafts
    assert DRAFT_REPORT_SECRET not in csv_text  # a file travels: only what is published
    assert draft_rec.status_code == (200 if sees_drafts else 404)
    assert draft_report.status_code == (200 if sees_drafts else 404)
    # A draft response is the office's alone, not the body's.
    unanswered = _text(client.get(f"{TRACKER}{recs.unanswered.pk}/"))
    assert (DRAFT_RESPONSE_SECRET in unanswered) is (role == "policy_officer")
    assert DRAFT_RESPONSE_SECRET not in tracker or role == "policy_officer"


def test_the_api_gives_only_what_is_published(client, recs):
    listed = client.get("/api/v1/recommendations").json()
    assert {r["id"] for r in listed["items"]} == {recs.linked.pk, recs.unanswered.pk}
    detail = client.get(f"/api/v1/recommendations/{recs.linked.pk}").json()
    assert detail["response"]["decision"] == "accepted"
    assert detail["measures"][0]["figure"] == "No figures yet"
    assert client.get(f"/api/v1/recommendations/{recs.unanswered.pk}").json()["response"] is None
    assert client.get(f"/api/v1/recommendations/{recs.draft_rec.pk}").status_code == 404
    responses = client.get("/api/v1/responses").json()["items"]
    assert [r["recommendation_id"] for r in responses] == [recs.linked.pk]
    doc = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/recommendations",
        "/api/v1/recommendations/{recommendation_id}",
        "/api/v1/responses",
    } <= set(doc["paths"])
    text = str(listed) + str(responses)
    assert DRAFT_REPORT_SECRET not in text and DRAFT_RESPONSE_SECRET not in text


def test_filters_accept_only_offered_values(client, recs):
    accepted = _text(client.get(TRACKER, {"status": "accepted"}))
    assert "Recommendation 1" in accepted and "Recommendation 2" not in accepted
    awaiting = _text(client.get(TRACKER, {"status": "awaiting"}))
    assert "Recommendation 2" in awaiting and "Recommendation 1 " not in awaiting
    priority = str(recs.measure.outcome.priority.lineage)
    by_priority = _text(client.get(TRACKER, {"priority": priority}))
    assert "Recommendation 1" in by_priority and "Recommendation 2" not in by_priority
    for bad in (
        {"status": "bogus"},
        {"report": "999999999999999999999"},
        {"report": str(recs.draft_report.pk)},  # not the public's to filter by
        {"body": "<script>"},
        {"priority": "x\x00"},
    ):
        page = client.get(TRACKER, bad)
        assert page.status_code == 400, bad
        assert "There is a problem" in page.content.decode()
        assert client.get(f"{TRACKER[:-1]}.csv", bad).status_code == 400


def test_the_csv_is_the_filtered_list_with_formula_safe_cells(client, recs, officer):
    services.recommendation_save(
        user=officer,
        report=recs.draft_report,
        data={"number": 2, "text": '=HYPERLINK("http://evil")'},
    )
    services.report_publish(user=officer, report=recs.draft_report)
    rows = list(csv.reader(io.StringIO(client.get(f"{TRACKER[:-1]}.csv").content.decode())))
    assert rows[0][:4] == ["body", "report", "report_published", "number"]
    texts = [r[4] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in texts
    filtered = client.get(f"{TRACKER[:-1]}.csv", {"status": "accepted"}).content.decode()
    assert len(list(csv.reader(io.StringIO(filtered)))) == 2


def test_the_tracker_reads_in_a_fixed_number_of_queries(
    client, recs, officer, django_assert_max_num_queries
):
    def grow(n: int) -> None:
        start = recs.report.recommendations.count() + 1
        for number in range(start, start + n):
            rec = Recommendation.objects.create(report=recs.report, number=number, text="More")
            rec.links.create(element="measure", lineage=recs.measure.lineage)

    client.get(TRACKER)
    with django_assert_max_num_queries(200) as few:
        client.get(TRACKER)
    grow(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(TRACKER)
    assert _text(page).count("Recommendation ") >= 42


def test_hostile_input_is_refused_with_errors_naming_the_field(client, recs, users):
    client.force_login(users["committee_member"])
    committee = recs.report.committee
    url = f"/staff/scrutiny/{committee.pk}/reports/add/"
    page = client.post(url, {"kind": "investigation", "title": "Line\nbreak"})
    assert "Title must be on one line" in _text(page)
    page = client.post(url, {"kind": "nonsense", "title": "x" * 301})
    text = _text(page)
    assert "There is a problem" in text and "Select a valid choice" in text
    assert "at most 300 characters" in text
    page = client.post(
        url,
        {
            "kind": "investigation",
            "title": "T",
            "response_due_on_day": "1",
            "response_due_on_month": "1",
            "response_due_on_year": "0",
        },
    )
    assert "Response due must be a real date" in _text(page) or "real date" in _text(page)
    # Numbers are unique within a report; a link must be to a published plan's part.
    rec_url = f"/staff/scrutiny/reports/{recs.draft_report.pk}/recommendations/add/"
    page = client.post(rec_url, {"number": "1", "text": "Again"})
    assert "Recommendation 1 is already in this report" in _text(page)
    page = client.post(rec_url, {"number": "3", "text": "X", "links": ["measure:not-a-lineage"]})
    assert "Select a valid choice" in _text(page)
    # Script in a recommendation is shown as text.
    client.post(rec_url, {"number": "3", "text": "<script>alert(1)</script>"})
    html = client.get(f"/staff/scrutiny/reports/{recs.draft_report.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    # The office's response is not the committee's to write.
    assert (
        client.get(f"/staff/scrutiny/recommendations/{recs.linked.pk}/response/").status_code == 403
    )
    # Published words never change.
    page = client.post(
        f"/staff/scrutiny/recommendations/{recs.linked.pk}/", {"number": "1", "text": "Changed"}
    )
    assert page.status_code == 403 or "cannot change" in _text(page)


def test_a_committee_member_drafts_only_their_own_bodys_reports(client, recs, users):
    other = recs.report.committee.__class__.objects.get(slug="another-panel")
    client.force_login(users["committee_member"])
    assert client.get(f"/staff/scrutiny/{other.pk}/reports/add/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.report_save(
            user=users["committee_member"],
            committee=other,
            data={"kind": "investigation", "title": "X"},
        )
    other_report = services.report_save(
        user=users["policy_officer"], committee=other, data={"kind": "investigation", "title": "X"}
    )
    assert client.get(f"/staff/scrutiny/reports/{other_report.pk}/").status_code == 404
    assert client.post(f"/staff/scrutiny/reports/{other_report.pk}/publish/").status_code == 404


def test_an_action_links_only_to_its_own_bodys_recommendations(recs, users):
    officer = users["policy_officer"]
    other = recs.report.committee.__class__.objects.get(slug="another-panel")
    report = services.report_save(
        user=officer, committee=other, data={"kind": "investigation", "title": "Elsewhere"}
    )
    foreign = services.recommendation_save(
        user=officer, report=report, data={"number": 1, "text": "Theirs"}
    )
    with pytest.raises(ValidationError) as refused:
        services.action_save(
            user=officer,
            meeting=recs.action.meeting,
            data={"text": "X", "recommendation": foreign},
            action=recs.action,
        )
    assert "recommendation" in refused.value.error_dict


def test_the_response_is_due_by_the_configured_default(recs, users, settings):
    settings.SCRUTINY_RESPONSE_DAYS = 10
    report = services.report_save(
        user=users["policy_officer"],
        committee=recs.report.committee,
        data={"kind": "annual_report", "title": "On the annual report"},
    )
    report = services.report_publish(user=users["policy_officer"], report=report)
    assert report.response_due_on == report.published_on + datetime.timedelta(days=10)


def test_a_recommendation_names_the_boroughs_it_concerns_and_their_pages_list_it(
    client, recs, officer
):
    """Published recommendations appear on the page of each borough they concern, with the
    office's response as published; a draft report's never does, and a borough outside the
    force is refused."""
    from policeplan.performance.models import AreaLevel

    barnet = Area.objects.create(level=AreaLevel.BOROUGH, code="E09000003", name="Barnet")
    Area.objects.create(level=AreaLevel.BOROUGH, code="E09000005", name="Brent")
    for rec in (recs.linked, recs.draft_rec):
        services.recommendation_save(
            user=officer,
            report=rec.report,
            recommendation=rec,
            data={"number": rec.number, "text": rec.text, "boroughs": ["E09000003"]},
        )
    assert [a.code for a in Recommendation.objects.get(pk=recs.linked.pk).boroughs.all()] == [
        "E09000003"
    ]
    with pytest.raises(ValidationError) as caught:
        services.recommendation_save(
            user=officer,
            report=recs.linked.report,
            recommendation=recs.linked,
            data={
                "number": recs.linked.number,
                "text": recs.linked.text,
                "boroughs": ["E09000001"],
            },  # the City: another force
        )
    assert "boroughs" in caught.value.message_dict
    page = unescape(client.get("/boroughs/barnet/").content.decode())
    assert recs.linked.text[:60] in page
    assert DRAFT_REPORT_SECRET not in page
    assert barnet.recommendations.count() == 2  # both recorded; only the published one shown
    other = unescape(client.get("/boroughs/brent/").content.decode())
    assert recs.linked.text[:60] not in other
    assert "No published recommendation of the committee concerns Brent" in other
