"""The machine's coding, analysts' review, the blind sample and its agreement, redaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.analysis import selectors, services
from policeplan.analysis.models import AnalysisRun, CodedText
from policeplan.analysis.tests.conftest import lineages
from policeplan.consultations.models import Response
from policeplan.core.models import AuditEvent


def _run(frame, user):
    run = services.analysis_run_start(user=user, codeframe=frame)
    run.refresh_from_db()  # the tests' task backend runs it at once, after the commit
    return run


def test_a_run_codes_every_answer_and_an_analysts_correction_is_audited_and_kept(
    finalised, users, django_capture_on_commit_callbacks
):
    analyst = users["analyst"]
    with django_capture_on_commit_callbacks(execute=True):
        run = _run(finalised, analyst)
    run.refresh_from_db()
    assert run.status == "succeeded" and run.progress == 100
    assert run.summary["texts"] == 180 and run.summary["untaught"] == []
    assert CodedText.objects.filter(codeframe=finalised).count() == 180
    summary = selectors.codeframe_summary(codeframe=finalised)
    assert summary.texts == 180 and sum(c.texts for c in summary.themes) >= 180 - summary.uncoded

    # The queue starts with the machine's least certain text.
    queue = list(selectors.review_queue(codeframe=finalised))
    assert [c.confidence for c in queue] == sorted(c.confidence for c in queue)
    first = queue[0]
    right = lineages(finalised, first.text)
    services.coded_text_review(user=analyst, coded=first, themes=right)
    event = AuditEvent.objects.filter(action__in=["analysis.correct", "analysis.review"]).get()
    assert event.changes["themes"][1] == sorted(
        t.label for t in finalised.themes.all() if str(t.lineage) in right
    )
    # Running again keeps the analyst's reading and learns from it.
    with django_capture_on_commit_callbacks(execute=True):
        second = _run(finalised, analyst)
    second.refresh_from_db()
    assert second.summary["examples"] > run.summary["examples"]
    first.refresh_from_db()
    assert sorted(str(link.theme.lineage) for link in first.links.all()) == sorted(right)
    assert all(link.by_analyst for link in first.links.all())


def test_the_blind_sample_gives_an_agreement_score_with_intervals(
    finalised, users, django_capture_on_commit_callbacks
):
    analyst = users["analyst"]
    with django_capture_on_commit_callbacks(execute=True):
        _run(finalised, analyst)
    assert services.sample_draw(user=analyst, codeframe=finalised, size=40, seed=1) == 40
    drawn = 0
    while (coded := selectors.sample_next(codeframe=finalised)) is not None:
        services.blind_code(user=analyst, coded=coded, themes=lineages(finalised, coded.text))
        drawn += 1
    assert drawn == 40
    finalised.refresh_from_db()
    score = finalised.agreement
    assert score["texts"] == 40 and score["sampled"] == 40
    f1 = score["f1"]
    assert 0 < f1["lower"] <= f1["value"] <= f1["upper"] <= 1
    # Taught from only two examples a theme, and scored on texts other than those examples,
    # it agrees about 0.57 here: a regression in the engine or the scoring shows.
    assert f1["value"] >= 0.5
    # Sampled texts never teach the machine, and never enter the review queue.
    assert not selectors.review_queue(codeframe=finalised).filter(in_sample=True).exists()


def test_a_failed_run_leaves_the_coding_as_it_was(finalised, users):
    from policeplan.analysis.models import Theme

    Theme.objects.filter(codeframe=finalised).update(examples=[])
    run = AnalysisRun.objects.create(codeframe=finalised, created_by=users["analyst"])
    services.analysis_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "at least two different themes" in run.message
    assert not CodedText.objects.filter(codeframe=finalised).exists()


def test_a_draft_codeframe_cannot_be_run_and_only_analysts_may(themed, users):
    frame = services.codeframe_suggest(
        user=users["analyst"],
        consultation=themed.section.consultation,
        question=themed,
        count=3,
    )
    with pytest.raises(ValidationError, match="Finalise"):
        services.analysis_run_start(user=users["analyst"], codeframe=frame)
    with pytest.raises(PermissionDenied):
        services.analysis_run_start(user=users["committee_member"], codeframe=frame)


def test_a_withdrawn_response_drops_out_of_the_counts(
    finalised, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run(finalised, users["analyst"])
    response = Response.objects.filter(consultation=finalised.consultation).first()
    Response.objects.filter(pk=response.pk).update(status="withdrawn")
    assert selectors.codeframe_summary(codeframe=finalised).texts == 179


def test_quotes_come_only_from_consenting_respondents_and_are_masked(
    finalised, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run(finalised, users["analyst"])
    theme = finalised.themes.get(label="Visible policing")
    # Only texts an analyst confirmed are quoted: nothing yet, then the theme's reviewed texts.
    assert selectors.theme_quotes(codeframe=finalised, theme=theme, limit=50) == []
    for coded in finalised.texts.filter(links__theme=theme, in_sample=False):
        services.coded_text_review(user=users["analyst"], coded=coded, themes=[str(theme.lineage)])
    quoted = selectors.theme_quotes(codeframe=finalised, theme=theme, limit=50)
    consenting = set(
        Response.objects.filter(
            consultation=finalised.consultation, publish_consent="anonymous"
        ).values_list("answers__text", flat=True)
    )
    assert quoted and all(q in consenting for q in quoted)

    response = Response.objects.filter(
        consultation=finalised.consultation,
        publish_consent="anonymous",
        answers__text__contains="bobby",
    ).first()
    with pytest.raises(ValidationError):
        services.redaction_add(
            user=users["analyst"], response=response, phrase="not in it", reason="x"
        )
    services.redaction_add(
        user=users["analyst"], response=response, phrase="local bobby", reason="Names a person"
    )
    quoted = selectors.theme_quotes(codeframe=finalised, theme=theme, limit=200)
    # This respondent's words are masked wherever they are quoted (others who wrote the
    # same words are not: the mask is for one response).
    masked = [q for q in quoted if "[redacted by an analyst]" in q]
    assert masked and all("local bobby" not in q for q in masked)
    phrases = selectors.redactions_for(response_ids=[response.pk])[response.pk]
    own = response.answers.get(text__contains="bobby").text
    assert "local bobby" not in selectors.quote(own, phrases)
    assert AuditEvent.objects.filter(action="analysis.redact").count() == 1


def test_letters_emails_and_event_notes_share_one_codeframe(consultation, users):
    from policeplan.consultations import services as consult
    from policeplan.consultations.models import Event

    officer = users["policy_officer"]
    letters = [
        "Please keep the front counter open, older people rely on it.",
        "Street lighting on the estate is poor and women do not feel safe at night.",
        "Knife crime near the school gates worries every parent we represent.",
    ] * 6
    for text in letters:
        consult.submission_add(user=officer, consultation=consultation, channel="letter", text=text)
    event = Event.objects.create(
        consultation=consultation,
        kind="town_hall",
        title="Town hall",
        starts_at=consultation.opens_at,
        ends_at=consultation.closes_at,
        capacity=10,
        notes="Residents asked for more patrols and better lighting near the station.",
    )
    frame = services.codeframe_suggest(
        user=users["analyst"], consultation=consultation, question=None, count=3
    )
    assert frame.question is None and frame.themes.count() == 3
    sources = selectors.texts_to_code(codeframe=frame)
    assert len(sources) == len(letters) + 1
    assert sources[-1].event_id == event.pk and sources[0].response_id


def test_reviews_teach_the_next_version_of_the_codeframe_through_renames_and_merges(
    finalised, users, django_capture_on_commit_callbacks
):
    from policeplan.analysis.services.coding import _examples

    analyst = users["analyst"]
    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_run_start(user=analyst, codeframe=finalised)
    patrols = finalised.themes.get(label="Visible policing")
    lights = finalised.themes.get(label="Women and girls' safety")
    knives = finalised.themes.get(label="Knife crime and youth violence")
    texts = list(selectors.review_queue(codeframe=finalised)[:3])
    for coded, theme in zip(texts, [patrols, lights, knives], strict=True):
        services.coded_text_review(user=analyst, coded=coded, themes=[str(theme.lineage)])
    taught = {e.text: e.themes for e in _examples(finalised)}
    assert taught[texts[0].text] == {"Visible policing"}

    newer = services.codeframe_change(
        user=analyst,
        codeframe=finalised,
        operations=[
            {"op": "rename", "theme": str(patrols.lineage), "label": "Neighbourhood policing"},
            {
                "op": "merge",
                "themes": [str(lights.lineage), str(patrols.lineage)],
                "label": "Feeling safe",
            },
            {"op": "split", "theme": str(knives.lineage), "labels": ["Knives", "Gangs"]},
        ],
    )
    taught = {e.text: e.themes for e in _examples(newer)}
    assert taught[texts[0].text] == {"Feeling safe"}  # renamed, then merged
    assert taught[texts[1].text] == {"Feeling safe"}
    # Which half of a split theme an old coding meant cannot be known: it is not carried.
    assert not taught.get(texts[2].text, set()) & {"Knives", "Gangs"}
