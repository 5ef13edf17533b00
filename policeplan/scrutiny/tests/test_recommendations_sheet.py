"""A report's recommendations as a spreadsheet: exported, edited as Excel would, imported
back (all or nothing, through the recommendation services); the office's draft responses are
in the file only for those who run scrutiny."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from policeplan.core.models import AuditEvent
from policeplan.scrutiny import services
from policeplan.scrutiny.models import (
    DateChange,
    OfficeResponse,
    Recommendation,
    RecommendationLink,
)
from policeplan.scrutiny.tests.conftest import (
    DRAFT_RESPONSE_SECRET,
    build,
    build_recommendations,
)

pytestmark = pytest.mark.django_db

OFFICE_HEADER = [
    "Number",
    "Recommendation",
    "Concerns",
    "Response",
    "Reasons",
    "What the office will do",
    "By when",
    "Why the date changed",
]


@pytest.fixture
def recs(demo, users):
    built = build(users["policy_officer"], users["committee_member"])
    return build_recommendations(users["policy_officer"], built)


def login(client, user):
    client.force_login(user)
    return client


def export(client, report) -> list[dict[str, str]]:
    response = client.get(f"/staff/scrutiny/reports/{report.pk}/recommendations.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(rows: list[dict[str, str]]) -> bytes:
    """The rows as Excel saves 'CSV UTF-8': a BOM, CRLF, UK dates."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _uk(v) if k == "By when" else v for k, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _uk(value: str) -> str:
    if not value:
        return value
    y, m, d = value.split("-")
    return f"{d}/{m}/{y}"


def send(client, report, data: bytes, name: str = "recommendations.csv"):
    return client.post(
        f"/staff/scrutiny/reports/{report.pk}/recommendations/import/",
        {"file": SimpleUploadedFile(name, data, "text/csv")},
    )


def errors(response) -> list[str]:
    """The error summary's entries that link to the file field, as a person reads them."""
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    found = re.findall(r'<a href="#id_file">(.*?)</a>', page, flags=re.S)
    assert found, page
    return [html.unescape(" ".join(text.split())) for text in found]


def snapshot():
    return (
        sorted(Recommendation.objects.values_list("id", "number", "text")),
        sorted(RecommendationLink.objects.values_list("recommendation_id", "element", "lineage")),
        sorted(
            OfficeResponse.objects.values_list(
                "id", "decision", "reasons", "will_do", "target_on", "published_at"
            )
        ),
        DateChange.objects.count(),
    )


def test_export_edit_import_round_trip(client, users, recs):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.report)
    assert list(rows[0]) == OFFICE_HEADER
    assert [(r["Number"], r["Recommendation"]) for r in rows] == [
        ("1", "Publish burglary figures by borough every quarter."),
        ("2", "Explain how victims are kept informed."),
    ]
    first, second = rows
    assert sorted(first["Concerns"].splitlines()) == [
        "Measure: Residential burglary rate",
        f"Priority: {recs.measure.outcome.priority.title}",
    ]
    assert first["Response"] == "Accepted"
    assert first["By when"] == recs.response.target_on.isoformat()
    # The office's draft response is theirs, so it is in their file.
    assert second["Response"] == "Not accepted"
    assert DRAFT_RESPONSE_SECRET in second["Reasons"]

    # Sent back as Excel saves it, nothing changes and nothing is recorded.
    before, events = snapshot(), AuditEvent.objects.count()
    response = send(staff, recs.report, as_csv(rows))
    assert response.status_code == 302
    assert snapshot() == before
    assert AuditEvent.objects.count() == events
    page = staff.get(response["Location"]).content.decode()
    assert "Imported: the file changed nothing." in page

    # Edited: recommendation 1 now concerns only the measure (typed in its own case, with a
    # semicolon, as people type in one cell), its date moves with a reason; the draft
    # response to 2 is rewritten.
    new_target = recs.response.target_on + datetime.timedelta(days=30)
    first["Concerns"] = "measure:  residential burglary RATE;"
    first["By when"] = new_target.isoformat()
    first["Why the date changed"] = "The first release waits for the new boundaries."
    second["Response"] = "partly accepted"
    second["Reasons"] = "We will tell victims within five days."
    response = send(staff, recs.report, as_csv(rows))
    assert response.status_code == 302, errors(response)
    page = staff.get(response["Location"]).content.decode()
    assert "Imported: 1 recommendation changed, 2 responses written." in page

    linked = Recommendation.objects.get(pk=recs.linked.pk)
    assert [(link.element, link.lineage) for link in linked.links.all()] == [
        ("measure", recs.measure.lineage)
    ]
    assert linked.response.target_on == new_target
    change = DateChange.objects.get(response=linked.response)
    assert (change.old_date, change.new_date) == (recs.response.target_on, new_target)
    assert change.reason == "The first release waits for the new boundaries."
    unanswered = OfficeResponse.objects.get(recommendation=recs.unanswered)
    assert (unanswered.decision, unanswered.reasons) == (
        "partly",
        "We will tell victims within five days.",
    )
    assert unanswered.published_at is None  # a file never publishes
    event = AuditEvent.objects.get(action="recommendations.import")
    assert event.changes["changed"] == 1 and event.changes["responses"] == 2

    # The new export is what was imported; sending it again changes nothing.
    again = export(staff, recs.report)
    assert again[0]["Concerns"] == "Measure: Residential burglary rate"
    assert again[0]["By when"] == new_target.isoformat()
    before = snapshot()
    assert send(staff, recs.report, as_csv(again)).status_code == 302
    assert snapshot() == before


def test_a_moved_published_date_needs_a_reason_and_the_whole_file_waits(client, users, recs):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.report)
    rows[1]["Reasons"] = "A fine new reason."  # a good change on line 3...
    rows[0]["By when"] = (recs.response.target_on + datetime.timedelta(days=1)).isoformat()
    before = snapshot()
    response = send(staff, recs.report, as_csv(rows), name="tracker.csv")
    assert errors(response) == [
        "tracker.csv, line 2, column ‘Why the date changed’: the response is published, so its "
        "‘By when’ moves only with a reason: say why it changed"
    ]
    assert snapshot() == before  # ...waits with the rest


def test_every_problem_named_by_file_line_and_column(client, users, recs):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.report)
    rows[0]["Recommendation"] = "Different words."
    rows[1]["Concerns"] = "Measure: Knife crime in Narnia"
    rows.append({**rows[1], "Concerns": ""})  # number 2 again
    rows.append({**rows[1], "Number": "7", "Concerns": "", "Response": ""})
    rows.append({**rows[1], "Number": "2", "Concerns": ""})
    # Recommendation 1 concerns two parts of the plan, one a line: its row is lines 2 and 3
    # of the file, so the next row starts on line 4, which a spreadsheet shows as row 3.
    response = send(staff, recs.report, as_csv(rows), name="recs <b>v2.csv")
    found = errors(response)
    assert found == [
        "recs <b>v2.csv, line 2, column ‘Recommendation’: the report is published, so its "
        "recommendations’ words cannot change: put them back",
        "recs <b>v2.csv, line 4 (row 3 in a spreadsheet), column ‘Concerns’: ‘Measure: Knife crime in Narnia’ is not "
        "a part of the plan this report may concern: name it as the recommendation’s page "
        "does, like ‘Measure: Residential burglary rate’, one a line",
        "recs <b>v2.csv, line 5 (row 4 in a spreadsheet), column ‘Number’: recommendation 2 is also on line 4",
        "recs <b>v2.csv, line 6 (row 5 in a spreadsheet), column ‘Number’: the report is published and has no "
        "recommendation 7: a published report takes no new recommendations",
        "recs <b>v2.csv, line 7 (row 6 in a spreadsheet), column ‘Number’: recommendation 2 is also on line 4",
    ]
    # The file's name is shown as text, never as markup.
    assert "<b>v2" not in response.content.decode()


def test_a_response_cannot_be_removed_nor_a_new_recommendation_added_once_published(
    client, users, recs
):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.report)
    rows[0]["Response"] = ""
    rows.append({**rows[1], "Number": "3", "Response": "", "Reasons": ""})
    before = snapshot()
    assert errors(send(staff, recs.report, as_csv(rows))) == [
        "recommendations.csv, line 2, column ‘Response’: a response cannot be removed by a "
        "spreadsheet: put back ‘Accepted’",
        "recommendations.csv, line 5 (row 4 in a spreadsheet), column ‘Number’: the report is "
        "published and has no "
        "recommendation 3: a published report takes no new recommendations",
    ]
    assert snapshot() == before


def test_members_draft_their_report_in_a_spreadsheet_without_the_offices_responses(
    client, users, recs
):
    member = login(client, users["committee_member"])
    # The published report: the office's (draft) responses are not the members' to see.
    rows = export(member, recs.report)
    assert list(rows[0]) == ["Number", "Recommendation", "Concerns"]
    page = member.get(f"/staff/scrutiny/reports/{recs.report.pk}/recommendations.csv")
    assert DRAFT_RESPONSE_SECRET not in page.content.decode()
    # ...nor may they change what its recommendations concern once it is published.
    rows[0]["Concerns"] = ""
    assert errors(send(member, recs.report, as_csv(rows))) == [
        "recommendations.csv, line 2, column ‘Concerns’: the report is published: only those "
        "who run scrutiny for the office change what its recommendations concern"
    ]

    # Their draft report: change a recommendation's words and add two.
    rows = export(member, recs.draft_report)
    rows[0]["Recommendation"] = "Reworded by the member."
    rows.append(
        {
            "Number": "2",
            "Recommendation": "Meet the borough commanders.",
            "Concerns": "Measure: Residential burglary rate",
        }
    )
    rows.append({"Number": "3", "Recommendation": "Report back in six months.", "Concerns": ""})
    response = send(member, recs.draft_report, as_csv(rows))
    assert response.status_code == 302, errors(response)
    assert list(
        recs.draft_report.recommendations.order_by("number").values_list("number", "text")
    ) == [
        (1, "Reworded by the member."),
        (2, "Meet the borough commanders."),
        (3, "Report back in six months."),
    ]
    added = recs.draft_report.recommendations.get(number=2)
    assert [link.lineage for link in added.links.all()] == [recs.measure.lineage]
    # The response columns are the office's: a member's file with them is refused whole.
    rows = export(login(client, users["policy_officer"]), recs.draft_report)
    rows[0]["Response"] = "Accepted"
    rows[0]["Reasons"] = "Yes."
    member = login(client, users["committee_member"])
    found = errors(send(member, recs.draft_report, as_csv(rows)))
    assert len(found) == 5 and "is not a column this file has" in found[0]


def test_no_response_to_a_draft_report(client, users, recs):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.draft_report)
    rows[0]["Response"] = "Accepted"
    rows[0]["Reasons"] = "Because."
    assert errors(send(staff, recs.draft_report, as_csv(rows))) == [
        "recommendations.csv, line 2, column ‘Response’: the office responds once the body has "
        "published its report: leave the response empty for now"
    ]
    rows[0]["Response"] = ""
    assert errors(send(staff, recs.draft_report, as_csv(rows))) == [
        "recommendations.csv, line 2, column ‘Response’: choose the office’s response: "
        "Accepted, Partly accepted, Not accepted"
    ]
    assert not OfficeResponse.objects.filter(recommendation=recs.draft_rec).exists()


def test_formula_cells_go_out_safe_and_come_back_as_written(client, users, recs):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.draft_report)
    rows[0]["Recommendation"] = '=HYPERLINK("http://evil.example","Click")'
    assert send(staff, recs.draft_report, as_csv(rows)).status_code == 302
    draft_rec = Recommendation.objects.get(pk=recs.draft_rec.pk)
    assert draft_rec.text == '=HYPERLINK("http://evil.example","Click")'
    raw = staff.get(f"/staff/scrutiny/reports/{recs.draft_report.pk}/recommendations.csv")
    cells = next(csv.reader(io.StringIO(raw.content.decode("utf-8-sig").splitlines()[1])))
    assert not cells[1].startswith("=")
    # The safe export, sent back, changes nothing.
    before = snapshot()
    assert send(staff, recs.draft_report, raw.content).status_code == 302
    assert snapshot() == before


def test_another_bodys_members_and_the_public_get_nothing(client, users, recs):
    report = recs.draft_report
    urls = [
        f"/staff/scrutiny/reports/{report.pk}/recommendations.csv",
        f"/staff/scrutiny/reports/{report.pk}/recommendations/import/",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    # A member whose term has ended is not the body's member today.
    member = users["committee_member"]
    services.member_save(
        user=users["policy_officer"],
        committee=recs.report.committee,
        data={"term_to": timezone.localdate() - datetime.timedelta(days=1)},
        member=recs.report.committee.members.get(user=member),
    )
    login(client, member)
    for url in urls:
        assert client.get(url).status_code == 404
    before = snapshot()
    rows = [{"Number": "9", "Recommendation": "Sneaked in.", "Concerns": ""}]
    assert send(client, report, as_csv(rows)).status_code == 404
    assert snapshot() == before


def test_a_published_response_is_not_rewritten_by_a_file(client, users, recs):
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.report)
    rows[0]["Response"] = "Not accepted"
    rows[0]["Reasons"] = "We changed our minds."
    before = snapshot()
    found = errors(send(staff, recs.report, as_csv(rows)))
    assert found and all("line 2" in f and "The response is published" in f for f in found)
    assert snapshot() == before


def test_a_part_of_the_plan_named_with_a_semicolon_and_text_with_control_characters(
    client, users, recs
):
    """What the export writes comes back unchanged: a measure whose name holds a semicolon,
    and a recommendation whose text holds a control character (written as U+FFFD)."""
    from policeplan.plans.models import Measure

    Measure.objects.filter(lineage=recs.measure.lineage).update(
        title="Residential burglary; rate per 1,000"
    )
    Recommendation.objects.filter(pk=recs.linked.pk).update(text="Publish\x1b figures.")
    staff = login(client, users["policy_officer"])
    rows = export(staff, recs.report)
    assert "Measure: Residential burglary; rate per 1,000" in rows[0]["Concerns"].splitlines()
    assert rows[0]["Recommendation"] == "Publish\ufffd figures."
    before = snapshot()
    response = send(staff, recs.report, as_csv(rows))
    assert response.status_code == 302, errors(response)
    assert snapshot() == before
    # Typed on one line with another name after a semicolon, both are found.
    priority = f"Priority: {recs.measure.outcome.priority.title}"
    rows[0]["Concerns"] = f"{priority}; Measure: Residential burglary; rate per 1,000"
    assert send(staff, recs.report, as_csv(rows)).status_code == 302
    assert snapshot() == before
