"""The analysis pages as analysts and the public use them."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policeplan.analysis import selectors, services
from policeplan.analysis.models import CodedText, Codeframe
from policeplan.analysis.tests.conftest import lineages
from policeplan.core.models import AuditEvent


@pytest.fixture
def coded(finalised, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_run_start(user=users["analyst"], codeframe=finalised)
    return finalised


def test_an_analyst_suggests_changes_and_finalises_a_codeframe_through_the_pages(
    client, themed, users
):
    client.force_login(users["analyst"])
    c = themed.section.consultation
    page = client.get(f"/staff/consultations/{c.pk}/analysis/")
    assert themed.text in page.text and "Suggest themes" in page.text
    done = client.post(
        f"/staff/consultations/{c.pk}/analysis/suggest/",
        {"question": themed.pk, f"q{themed.pk}-count": "4"},
    )
    frame = Codeframe.objects.get(question=themed)
    assert done["Location"] == f"/staff/analysis/codeframes/{frame.pk}/"
    url = done["Location"]
    theme = frame.themes.first()
    # An empty label is refused with a GOV.UK error, and nothing changes.
    refused = client.post(url, {"op": "rename", "rename-theme": theme.lineage, "rename-label": ""})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.text
    assert "Enter" in refused.text or "required" in refused.text
    client.post(
        url, {"op": "rename", "rename-theme": theme.lineage, "rename-label": "Visible policing"}
    )
    assert client.get(url).text.count("Visible policing") >= 1
    client.post(f"{url}finalise/")
    frame.refresh_from_db()
    assert frame.is_final
    # Changing the finalised codeframe makes version 2 and keeps version 1.
    again = client.post(url, {"op": "add", "add-label": "Response times"})
    newer = Codeframe.objects.get(question=themed, version=2)
    assert again["Location"] == f"/staff/analysis/codeframes/{newer.pk}/"
    assert not frame.themes.filter(label="Response times").exists()
    history = client.get(again["Location"]).text
    assert "Version 1</a>: finalised" in history and "Version 2 (this one)" in history


def test_run_review_and_blind_sample_through_the_pages(client, coded, users):
    client.force_login(users["analyst"])
    f = f"/staff/analysis/codeframes/{coded.pk}"
    queue = client.get(f"{f}/review/")
    assert queue.status_code == 200 and "Review the machine’s coding" in queue.text
    first = selectors.review_queue(codeframe=coded).first()
    review = client.get(f"/staff/analysis/texts/{first.pk}/")
    assert first.text[:40] in review.text
    right = lineages(coded, first.text)
    saved = client.post(f"/staff/analysis/texts/{first.pk}/", {"themes": right})
    assert saved.status_code == 302 and "/staff/analysis/texts/" in saved["Location"]
    assert AuditEvent.objects.filter(action__startswith="analysis.", object_id=str(first.pk))

    client.post(f"{f}/sample/", {"size": "3"})
    blind = client.get(f"{f}/sample/code/")
    target = selectors.sample_next(codeframe=coded)
    assert target.text[:40] in blind.text
    # Blind: the machine's themes and confidence are not on the page.
    assert "The machine:" not in blind.text and "%)" not in blind.text
    stale = client.post(f"{f}/sample/code/", {"text": "0", "themes": []})
    assert stale.status_code == 302
    target.refresh_from_db()
    assert target.blind is None  # a stale page codes nothing
    for _ in range(3):
        target = selectors.sample_next(codeframe=coded)
        client.post(
            f"{f}/sample/code/", {"text": target.pk, "themes": lineages(coded, target.text)}
        )
    sample = client.get(f"{f}/sample/")
    assert "3 of 3 sampled texts coded" in sample.text and "All themes (3 texts)" in sample.text


def test_the_review_queue_runs_a_fixed_number_of_queries(client, coded, users):
    client.force_login(users["analyst"])
    url = f"/staff/analysis/codeframes/{coded.pk}/review/"
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(url + "?page=2")
    assert len(queries) == count


def test_the_dashboard_filters_and_withholds_small_equality_groups(client, coded, users, settings):
    client.force_login(users["analyst"])
    url = f"/staff/consultations/{coded.consultation_id}/analysis/dashboard/"
    everyone = client.get(url).text
    assert "Themes in 180 texts" in everyone
    barnet = client.get(url, {"borough": "E09000003"}).text
    assert "Themes in 60 texts matching the filters" in barnet
    settings.EQUALITY_MIN_CELL = 10
    # Nobody in the themed answers gave equality information: the group is empty, so the
    # page says no texts match; a group of 1 to 9 would be withheld.
    group = client.get(url, {"equality": "sex:female"}).text
    assert "No texts match these filters" in group
    from policeplan.consultations.models import EqualityRecord, Response

    for response in Response.objects.filter(consultation=coded.consultation)[:4]:
        EqualityRecord.objects.create(
            response=response, consultation=coded.consultation, data={"sex": "female"}
        )
    withheld = client.get(url, {"equality": "sex:female"}).text
    assert "Fewer than 10 people in this group answered" in withheld
    assert "Themes in 4 texts" not in withheld


def test_results_are_hidden_until_published_and_the_pdf_reads_back(
    client, coded, users, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    c = coded.consultation
    assert client.get(f"/consultations/{c.slug}/results/").status_code == 404
    client.force_login(users["analyst"])
    preview = client.get(f"/consultations/{c.slug}/results/")
    assert preview.status_code == 200 and "Preview: the results are not published" in preview.text
    assert "Summary of responses" in preview.text and "Visible policing" in preview.text
    pdf = client.get(f"/consultations/{c.slug}/results.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Summary of responses" in text and "Who responded" in text
    assert "Visible policing" in text and "180" in text
    assert reader.metadata.title.startswith("Summary of responses")


def test_the_demo_you_said_we_did_chain_from_theme_to_measure(client, demo):
    """The demo's closed consultation: theme -> response -> plan change -> measure."""
    from policeplan.analysis import demo as analysis_demo
    from policeplan.consultations import demo as consultations_demo

    past, _ = consultations_demo.load()
    analysis_demo.load(consultation=past)
    question = selectors.free_text_questions(consultation=past)[0]
    frame = selectors.codeframe_final(consultation=past, question=question)
    assert frame.version == 2 and frame.agreement["texts"] == analysis_demo.SAMPLE
    assert CodedText.objects.filter(codeframe=frame, reviewed_at__isnull=False).count() == (
        analysis_demo.REVIEWED
    )
    listing = client.get(f"/consultations/{past.slug}/you-said-we-did/")
    assert listing.status_code == 200 and "Visible neighbourhood policing" in listing.text
    page = client.get(f"/consultations/{past.slug}/you-said-we-did/visible-neighbourhood-policing/")
    text = page.text
    assert "You said" in text and "officers on foot" in text  # what people said
    assert "We did" in text and "the police deal with the issues that matter locally" in text
    assert "Outcome added: The police deal with the issues that matter locally" in text
    assert "Tracked by:" in text and "Londoners who think the police do a good job" in text
    summary = client.get(f"/consultations/{past.slug}/results/").text
    assert "F1 was" in summary and "What changed in the plan" in summary


def test_the_demo_says_what_its_own_data_shows(client, demo):
    """The plan's and the results' words about the consultation agree with its figures: how
    many responded, and which themes were raised most often (the top three, in order)."""
    import re

    from policeplan.analysis import demo as analysis_demo
    from policeplan.consultations import demo as consultations_demo
    from policeplan.consultations.models import Response
    from policeplan.plans.models import Chapter

    past, _ = consultations_demo.load()
    analysis_demo.load(consultation=past)
    past.refresh_from_db()
    responded = Response.objects.filter(consultation=past, status="submitted").count()
    question = selectors.free_text_questions(consultation=past)[0]
    counted = selectors.codeframe_summary(
        codeframe=selectors.codeframe_final(consultation=past, question=question)
    ).themes
    ranked = [c.theme.label.lower() for c in sorted(counted, key=lambda c: -c.texts)]
    texts = {
        "final plan": Chapter.objects.filter(version__state="final", title="Listening to Londoners")
        .get()
        .body,
        "summary of results": past.results_summary,
    }
    for where, text in texts.items():
        said = re.findall(r"(\d[\d,]*) (?:people|responses)", text)
        assert [int(n.replace(",", "")) for n in said] == [responded], where
        most = re.search(r"raised most often were ([^.]+)\.", text)
        assert most, f"the {where} does not say which themes were raised most often"
        named = [t for t in ranked if t in most.group(1).lower()]
        assert named == ranked[:3], f"the {where} names {named}, the data ranks {ranked[:3]}"
    drafts = Chapter.objects.filter(version__state="consultation").values_list("body", flat=True)
    assert not any("most often" in body for body in drafts)  # written before anyone answered


def test_a_queued_run_shows_its_progress_without_refreshing_itself(client, finalised, users):
    from policeplan.analysis.models import AnalysisRun

    run = AnalysisRun.objects.create(codeframe=finalised, progress=40, message="Coded 800 texts")
    run.status = "running"
    run.save()
    client.force_login(users["analyst"])
    page = client.get(f"/staff/analysis/runs/{run.pk}/").text
    assert 'http-equiv="refresh"' not in page  # WCAG 2.2.1: no timed reload
    assert 'value="40"' in page and "Coded 800 texts" in page and "Check again" in page
    status = client.get(f"/staff/analysis/runs/{run.pk}/status.json").json()
    assert status == {
        "status": "running",
        "progress": 40,
        "stage": "Coded 800 texts",
        "finished": False,
    }


def test_stance_is_read_and_counted_where_the_question_asks_for_agreement(
    client, finalised, users, django_capture_on_commit_callbacks
):
    from policeplan.consultations.models import Question

    Question.objects.filter(pk=finalised.question_id).update(
        text="Do you agree with the draft plan's priorities? Tell us why."
    )
    finalised.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_run_start(user=users["analyst"], codeframe=finalised)
    assert CodedText.objects.filter(codeframe=finalised).exclude(stance="").count() == 180
    client.force_login(users["analyst"])
    page = client.get(f"/staff/consultations/{finalised.consultation_id}/analysis/dashboard/")
    assert "Stance of the texts" in page.text and "Unclear" in page.text
