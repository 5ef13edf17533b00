"""Reports as their readers and the office's staff use them: published only when complete,
frozen at publication (page, PDF and CSV), the PDF tagged and read back, drafts for staff."""

from __future__ import annotations

import csv
import io
import re

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.core.models import AuditEvent
from policeplan.performance.models import MeasureValue
from policeplan.reports import assemble, services
from policeplan.reports.kinds import BadPeriod, period_of
from policeplan.reports.models import PdfState, Report
from policeplan.reports.tests.conftest import STATUTORY, YEAR_END

pytestmark = pytest.mark.django_db

PAGE = "/reports/annual-reports/2023-24/"


def _publish(client, users, report):
    client.force_login(users["policy_officer"])
    return client.post(f"/staff/reports/{report.pk}/publish/")


def _pdf_bytes(client) -> bytes:
    response = client.get(PAGE + "report.pdf")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_publishing_is_refused_naming_each_missing_statutory_item_and_commentary(
    client, users, annual, measures
):
    response = _publish(client, users, annual)
    assert response.status_code == 200  # the page again, with what is missing
    page = response.text
    assert "The report cannot be published yet" in page
    for title in (
        "How the office exercised its functions in the year",
        "The force&#39;s contribution to national policing priorities",
        "The latest inspection (PEEL) findings",
        "How complaints are handled",
    ):
        assert title in page
    for m in measures:
        assert f"Commentary on ‘{m.title}’ for 12 months to March 2024" in page
    annual.refresh_from_db()
    assert annual.published_at is None and annual.snapshot is None
    assert not AuditEvent.objects.filter(action="report.publish").exists()


def test_a_draft_commentary_still_blocks_publishing_and_is_never_shown(
    client, users, annual, measures
):
    from policeplan.performance import commentary

    services.report_texts_save(user=users["analyst"], report=annual, **STATUTORY)
    commentary.commentary_save(
        user=users["analyst"],
        measure_lineage=str(measures[0].lineage),
        period_kind="rolling_12",
        period_key=f"R12-{YEAR_END}",
        text="Unapproved words about the figures.",
    )
    with pytest.raises(services.NotReady) as refused:
        services.report_publish(user=users["policy_officer"], report=annual)
    missing = {r.title: r.missing for r in refused.value.missing}
    assert missing[f"Commentary on ‘{measures[0].title}’ for 12 months to March 2024"] == (
        "Commentary is a draft waiting for a policy officer's approval."
    )
    assert len(missing) == 2  # the statutory texts are there now: only the commentary
    client.force_login(users["analyst"])
    assert "Unapproved words" not in client.get(PAGE).text


def test_only_policy_officers_publish(users, ready):
    with pytest.raises(PermissionDenied):
        services.report_publish(user=users["analyst"], report=ready)
    with pytest.raises(PermissionDenied):
        services.report_create(
            user=users["committee_member"],
            kind="monthly",
            period_key="2024-03",
            plan_version=ready.plan_version,
        )


def test_the_snapshot_shows_the_dashboards_figures_as_they_stood_at_the_periods_end(
    client, users, ready, measures, areas
):
    """The report's figure for each measure is the dashboard's for the same period, and the
    later figures (a year after the report's period) are not in it."""
    snapshot = assemble.assemble(ready)
    shown = {m["lineage"]: m for m in assemble.measures_of(snapshot)}
    for m in measures:
        item = shown[str(m.lineage)]
        assert item["period"] == "12 months to March 2024"
        stored = MeasureValue.objects.get(
            measure_lineage=m.lineage, area=areas["force"], period_key=f"R12-{YEAR_END}"
        )
        assert item["value"] == stored.value
        dashboard = client.get(
            f"/performance/measures/{m.lineage}/",
            {"area": "metropolitan", "period": "rolling_12"},
        ).text
        # The dashboard's table has this period's row with the same words for the figure.
        assert item["figure"] in dashboard
        assert {a["name"] for a in item["areas"]} == {"Metropolitan Police", "Camden", "Hackney"}
        assert "12 months to March 2025" not in {r["period"] for r in item["trend_rows"]}


def test_publishing_freezes_page_pdf_and_csv_and_a_banner_names_revised_figures(
    client, users, ready, measures, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(client, users, ready)
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.published_at is not None and ready.pdf_state == PdfState.READY
    assert ready.snapshot_sha256 == services.snapshot_digest(ready.snapshot)
    assert AuditEvent.objects.filter(action="report.publish", object_id=str(ready.pk)).exists()

    client.logout()
    page = client.get(PAGE).text
    pdf = _pdf_bytes(client)
    csv_before = client.get(PAGE + "figures.csv").content
    figures = [m for m in assemble.measures_of(ready.snapshot) if m["period_key"]]
    assert figures
    text = _pdf_text(pdf)
    for m in figures:
        assert m["title"] in text
        for a in m["areas"]:  # every area's figure in the PDF is the snapshot's
            assert a["figure"] in text, a["figure"]
            assert a["figure"] in page
    assert "Commentary on " + measures[0].title + "." in text
    assert "set the budget" in text and "412 complaint appeals" in text

    # The figures are recomputed: the published report does not move, and says so.
    MeasureValue.objects.filter(
        measure_lineage=measures[0].lineage, period_key=f"R12-{YEAR_END}"
    ).update(value=99.5, lower=98.0, upper=101.0)
    assert _pdf_bytes(client) == pdf
    assert client.get(PAGE + "figures.csv").content == csv_before
    after = client.get(PAGE).text
    assert "Some figures have been revised since this report was published" in after
    assert measures[0].title in after.split("Figures revised")[1][:2000]
    assert "99.5" not in after
    # Publishing again changes nothing.
    services.report_publish(user=users["policy_officer"], report=ready)
    ready.refresh_from_db()
    assert AuditEvent.objects.filter(action="report.publish").count() == 1


def test_the_pdf_is_tagged_with_language_title_bookmarks_and_chart_alt_text(
    client, users, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(client, users, ready)
    reader = pypdf.PdfReader(io.BytesIO(_pdf_bytes(client)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Annual report 2023-24")
    outline = [item.title for item in _flatten(reader.outline)]
    for heading in (
        "Summary of the measures",
        "Progress against the plan's measures",
        "Finance, 2023-24",
    ):
        assert heading in outline
    alts = _alt_texts(root["/StructTreeRoot"])
    assert any(alt.startswith("Line chart of ") for alt in alts)


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _alt_texts(node, seen=None) -> list[str]:
    """Every /Alt in the structure tree (the alternative text of each figure)."""
    seen = seen if seen is not None else set()
    node = node.get_object() if hasattr(node, "get_object") else node
    if id(node) in seen:
        return []
    seen.add(id(node))
    found = []
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            found += _alt_texts(kids, seen)
    elif isinstance(node, list):
        for kid in node:
            found += _alt_texts(kid, seen)
    return found


def test_the_csv_has_every_figure_of_the_report_and_no_formula(client, users, ready, measures):
    client.force_login(users["analyst"])
    rows = list(csv.DictReader(io.StringIO(client.get(PAGE + "figures.csv").text)))
    shown = [r for r in rows if r["period"] == "12 months to March 2024"]
    assert len(shown) == 2 * 3  # two measures with figures, three areas each
    camden = next(r for r in shown if r["area"] == "Camden" and r["measure"] == measures[0].title)
    stored = MeasureValue.objects.get(
        measure_lineage=measures[0].lineage, area__name="Camden", period_key=f"R12-{YEAR_END}"
    )
    assert float(camden["value"]) == stored.value
    assert camden["made_up_for_the_demonstration"] == "no"
    # The measures without figures are listed, never with 0.
    empty = [r for r in rows if r["figure_as_published"] == "No figures yet"]
    assert empty and all(r["value"] == "" for r in empty)


def test_drafts_are_for_staff_who_prepare_reports(client, users, annual):
    for url in (PAGE, PAGE + "report.pdf", PAGE + "figures.csv", "/reports/annual-reports/"):
        response = client.get(url)
        assert response.status_code == (200 if url.endswith("reports/") else 404), url
    assert "2023-24" not in client.get("/reports/annual-reports/").text
    client.force_login(users["committee_member"])
    assert client.get(PAGE).status_code == 404
    client.force_login(users["analyst"])
    page = client.get(PAGE)
    assert page.status_code == 200 and "Draft: this report is not published" in page.text


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("annual", "2023-25"),
        ("annual", "2023-24'; DROP TABLE reports_report; --"),
        ("annual", "<script>alert(1)</script>"),
        ("quarterly", "2023-24-Q5"),
        ("monthly", "2024-13"),
        ("monthly", "1999-12"),
        ("monthly", "9999-12"),  # its month after is 10000-01
        ("monthly", "\u0662\u0660\u0662\u0664-03"),  # Arabic-Indic digits: 2024 to int()
        ("monthly", "\uff12\uff10\uff12\uff14-03"),  # full-width digits
        ("quarterly", "2021-22-Q4"),  # before the plan started (April 2022)
        ("fortnightly", "2024-01"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(users, demo, kind, key):
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            user=users["policy_officer"], kind=kind, period_key=key, plan_version=demo
        )
    assert "period_key" in refused.value.message_dict
    assert not Report.objects.exists()


def test_the_form_names_a_taken_period_and_a_bad_one(client, users, demo):
    client.force_login(users["analyst"])
    body = {"kind": "quarterly", "period_key": "2024-25-Q1", "plan_version": demo.pk}
    assert client.post("/staff/reports/new/", body).status_code == 302
    again = client.post("/staff/reports/new/", body).text
    assert "There is already a report of this kind for 2024-25 Q1" in again
    bad = client.post("/staff/reports/new/", {**body, "period_key": "Q1 2024"}).text
    assert "Enter the period like 2025-26-Q2" in bad
    assert Report.objects.count() == 1


def test_texts_are_sanitised_markdown(client, users, annual):
    services.report_texts_save(
        user=users["analyst"],
        report=annual,
        foreword='Hello <script>alert("x")</script><img src=x onerror=alert(1)> **world**',
    )
    client.force_login(users["analyst"])
    page = client.get(PAGE).text
    assert "<strong>world</strong>" in page
    # Markup is shown as text, never run: no script element, no image with a handler.
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_periods():
    assert period_of("annual", "2023-24").start == "2023-04"
    q = period_of("quarterly", "2025-26-Q2")
    assert (q.start, q.end, q.label) == (
        "2025-07",
        "2025-09",
        "2025-26 Q2 (July to September 2025)",
    )
    assert period_of("monthly", "2026-03").label == "March 2026"
    with pytest.raises(BadPeriod):
        period_of("quarterly", "2025-27-Q2")


def test_a_published_reports_texts_cannot_change(users, ready):
    services.report_publish(user=users["policy_officer"], report=ready)
    with pytest.raises(ValidationError):
        services.report_texts_save(user=users["analyst"], report=ready, foreword="Changed")


def test_staff_task_list_links_each_missing_item_to_where_to_put_it_right(
    client, users, annual, measures
):
    client.force_login(users["analyst"])
    page = client.get(f"/staff/reports/{annual.pk}/").text
    assert re.search(r"6 things are missing", page)
    assert f"/staff/performance/commentary/{measures[0].lineage}/rolling_12/R12-{YEAR_END}/" in page
    assert f"/staff/reports/{annual.pk}/texts/#functions" in page
    assert "Publish the report" not in page  # analysts prepare; policy officers publish


def test_a_drafts_pdf_is_made_by_a_job_and_then_served_from_storage(
    client, users, annual, django_capture_on_commit_callbacks
):
    client.force_login(users["analyst"])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = client.get(PAGE + "report.pdf")
    assert first.status_code == 503 and first["Retry-After"]
    assert "PDF is made from the latest figures in the background" in first.text
    assert len(queued) == 1  # the job, which ran
    second = client.get(PAGE + "report.pdf")
    assert second.status_code == 200
    assert "Draft: this report is not published" in _pdf_text(second.content)
    annual.refresh_from_db()
    assert annual.published_at is None and annual.pdf_name == ""


def test_the_api_gives_published_figures_as_published_and_never_a_draft(
    client, users, ready, measures
):
    assert client.get("/api/v1/reports").json() == []
    assert client.get("/api/v1/reports/annual-reports/2023-24").status_code == 404
    services.report_publish(user=users["policy_officer"], report=ready)
    listed = client.get("/api/v1/reports").json()
    assert [e["period"] for e in listed] == ["2023-24"]
    body = client.get("/api/v1/reports/annual-reports/2023-24").json()
    first = next(m for m in body["measures"] if m["id"] == str(measures[0].lineage))
    MeasureValue.objects.filter(measure_lineage=measures[0].lineage).update(value=1.0)
    again = client.get("/api/v1/reports/annual-reports/2023-24").json()
    assert again == body  # as published, not recomputed
    stored = {a["area"]: a["value"] for a in first["areas"]}
    assert stored["Camden"] == 40.0 + 3 + 11 * 0.25
    empty = [m for m in body["measures"] if not m["period"]]
    assert empty and all(m["figure"] == "No figures yet" and not m["areas"] for m in empty)
    assert client.get("/api/v1/reports/annual-reports/2023-24'").status_code == 422


def test_a_report_is_on_a_published_final_plan_only(users, demo):
    consultation_draft = demo.based_on
    assert consultation_draft is not None and consultation_draft.state != "final"
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            user=users["policy_officer"],
            kind="annual",
            period_key="2023-24",
            plan_version=consultation_draft,
        )
    assert "plan_version" in refused.value.message_dict


@pytest.mark.parametrize("blank", ["\u200b", "&nbsp;", "  \n\n", "#", "* ", "**\u2060**"])
def test_a_statutory_text_that_shows_no_words_is_still_missing(users, annual, blank):
    services.report_texts_save(
        user=users["analyst"], report=annual, **{**STATUTORY, "complaints": blank}
    )
    with pytest.raises(services.NotReady) as refused:
        services.report_publish(user=users["policy_officer"], report=annual)
    assert "How complaints are handled" in {r.title for r in refused.value.missing}


def test_a_revised_borough_figure_alone_raises_the_banner(client, users, ready, measures):
    services.report_publish(user=users["policy_officer"], report=ready)
    assert "Figures revised" not in client.get(PAGE).text
    MeasureValue.objects.filter(
        measure_lineage=measures[1].lineage, area__name="Hackney", period_key=f"R12-{YEAR_END}"
    ).update(value=12345.0)
    after = client.get(PAGE).text
    assert "Figures revised" in after
    banner = after.split("Figures revised")[1][:1500]
    assert measures[1].title in banner and measures[0].title not in banner


def test_drafts_are_never_cached_or_indexed(client, users, annual):
    client.force_login(users["analyst"])
    for url in (PAGE, PAGE + "figures.csv"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_pdf_lost_with_its_worker_can_be_made_again(
    client, users, ready, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    services.report_publish(user=users["policy_officer"], report=ready)  # job not run
    Report.objects.filter(pk=ready.pk).update(pdf_state=PdfState.RENDERING)
    client.force_login(users["policy_officer"])
    assert "Make the PDF again" not in client.get(f"/staff/reports/{ready.pk}/").text
    Report.objects.filter(pk=ready.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert "Make the PDF again" in client.get(f"/staff/reports/{ready.pk}/").text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/reports/{ready.pk}/retry-pdf/")
    ready.refresh_from_db()
    assert ready.pdf_state == PdfState.READY
    assert client.get(PAGE + "report.pdf").status_code == 200


def test_a_period_that_has_not_ended_is_refused(users, demo):
    from django.utils import timezone

    this_month = timezone.localdate().strftime("%Y-%m")
    with pytest.raises(ValidationError, match="has not ended yet"):
        services.report_create(
            user=users["policy_officer"], kind="monthly", period_key=this_month, plan_version=demo
        )


def test_commentary_from_the_task_list_comes_back_to_the_report(client, users, annual, measures):
    client.force_login(users["analyst"])
    edit = (
        f"/staff/performance/commentary/{measures[0].lineage}/rolling_12/R12-{YEAR_END}/"
        f"?report={annual.pk}"
    )
    page = client.get(edit).text
    assert f'href="/staff/reports/{annual.pk}/"' in page  # back to the report
    assert "The figure it explains: <strong>" in page
    saved = client.post(edit, {"text": "Violence rose."})
    assert saved.status_code == 302 and saved["Location"] == f"/staff/reports/{annual.pk}/"
    # Only a number is taken from the query: an address is never followed.
    for hostile in ("https://evil.example/", "//evil.example", "1;2", "١"):
        response = client.post(edit.split("?")[0] + "?report=" + hostile, {"text": "Again."})
        assert response["Location"].startswith("/staff/performance/commentary/?period=")


def test_the_word_document_has_the_reports_headings_and_figures(client, users, ready, measures):
    from docx import Document

    ready = services.report_publish(user=users["policy_officer"], report=ready)
    response = client.get(PAGE + "report.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert doc.core_properties.title.startswith("Annual report 2023-24")
    assert doc.core_properties.language == "en-GB"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in (
        "Summary of the measures",
        "Progress against the plan's measures",
        "How complaints are handled",
    ):
        assert heading in headings
    assert measures[0].title in headings
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    for m in assemble.measures_of(ready.snapshot):
        for a in m["areas"]:
            assert a["figure"] in cells
    # Kept: the same file after the figures change.
    MeasureValue.objects.all().update(value=1.0)
    assert client.get(PAGE + "report.docx").content == response.content


@pytest.mark.parametrize("period", ["%00", "2023-24%00", "2023-24%0A", "..%2F2023-24", "2023-24 "])
def test_a_period_no_report_can_have_is_404_on_every_database(client, users, ready, period):
    services.report_publish(user=users["policy_officer"], report=ready)
    for tail in ("", "report.pdf", "figures.csv", "report.docx"):
        assert client.get(f"/reports/annual-reports/{period}/{tail}").status_code == 404


def test_after_a_restore_from_redis_a_pdf_still_being_made_is_queued_again(annual):
    """Jobs waiting in Redis are not in a backup: the report's row says its PDF was being
    made, so the restore queues it again (else its address answers 503 for ever)."""
    from unittest import mock

    from policeplan.core import jobs
    from policeplan.reports import tasks
    from policeplan.reports.models import PdfState, Report

    Report.objects.filter(pk=annual.pk).update(pdf_state=PdfState.RENDERING, pdf_progress=75)
    with mock.patch.object(tasks, "enqueue") as queued:
        assert jobs.after_restore() == 1
    queued.assert_called_once_with(tasks.make_report_pdf, annual.pk)
    annual.refresh_from_db()
    assert annual.pdf_state == PdfState.QUEUED and annual.pdf_progress == 0
