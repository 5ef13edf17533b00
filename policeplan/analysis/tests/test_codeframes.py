"""Codeframes: suggested from real answers, changed by analysts, finalised, with history."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.analysis import selectors, services
from policeplan.consultations import services as consult
from policeplan.consultations.models import Question
from policeplan.core.models import AuditEvent


@pytest.fixture
def answered(consultation, shared_data):
    """The test consultation's free-text question answered with real public statements."""
    import csv

    path = shared_data / "text/polis-london-youth-policing/comments.csv"
    with path.open(encoding="utf-8") as f:
        comments = [r["comment-body"] for r in csv.DictReader(f) if r["comment-body"].strip()]
    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    borough = Question.objects.get(section__consultation=consultation, kind="borough")
    kind = Question.objects.get(section__consultation=consultation, kind="respondent_type")
    for text in comments:
        consult.response_submit_complete(
            consultation=consultation,
            token=uuid.uuid4(),
            answers={
                free: (text[:100], text[:100]),
                borough: ("E09000022", "Lambeth"),
                kind: ({"type": "individual", "organisation": ""}, "As an individual"),
            },
            consent="anonymous",
        )
    return free


def test_a_suggested_codeframe_is_changed_finalised_and_edited_again_keeping_history(
    answered, users
):
    analyst = users["analyst"]
    first = services.codeframe_suggest(
        user=analyst, consultation=answered.section.consultation, question=answered, count=4
    )
    themes = list(first.themes.all())
    assert first.version == 1 and len(themes) == 4 and not first.is_final
    assert all(t.label and t.examples for t in themes)
    assert all(e["text"] for t in themes for e in t.examples)
    a, b, c, d = themes
    services.codeframe_change(
        user=analyst,
        codeframe=first,
        operations=[
            {"op": "rename", "theme": a.lineage, "label": "Trust and accountability"},
            {"op": "merge", "themes": [b.lineage, c.lineage], "label": "Engaging young people"},
        ],
    )
    assert first.version == 1  # a draft is changed in place
    services.codeframe_finalise(user=analyst, codeframe=first)
    second = services.codeframe_change(
        user=analyst,
        codeframe=first,
        operations=[
            {"op": "split", "theme": d.lineage, "labels": ["Diversity", "Vetting"]},
            {"op": "add", "label": "Stop and search"},
        ],
    )
    assert second.version == 2 and second.based_on == first and not second.is_final
    history = selectors.codeframe_history(question=answered)
    assert [cf.version for cf in history] == [2, 1]
    old = [t.label for t in history[1].themes.all()]
    new = [t.label for t in history[0].themes.all()]
    assert old == ["Trust and accountability", "Engaging young people", d.label]
    assert new == [
        "Trust and accountability",
        "Engaging young people",
        "Diversity",
        "Vetting",
        "Stop and search",
    ]
    # The renamed theme is the same theme across versions; the split ones say where they came from.
    assert history[0].themes.get(label="Trust and accountability").lineage == a.lineage
    assert history[0].themes.get(label="Vetting").came_from == [str(d.lineage)]
    assert history[0].themes.get(label="Engaging young people").came_from == [str(c.lineage)]
    assert AuditEvent.objects.filter(action__startswith="codeframe.").count() == 4


def test_bad_changes_are_refused_whole(answered, users):
    codeframe = services.codeframe_suggest(
        user=users["analyst"],
        consultation=answered.section.consultation,
        question=answered,
        count=3,
    )
    first, second, _ = codeframe.themes.all()
    with pytest.raises(ValidationError, match="same label"):
        services.codeframe_change(
            user=users["analyst"],
            codeframe=codeframe,
            operations=[
                {"op": "add", "label": "Fresh theme"},
                {"op": "rename", "theme": first.lineage, "label": second.label},
            ],
        )
    assert not codeframe.themes.filter(label="Fresh theme").exists()  # all or nothing


def test_only_analysing_roles_suggest_themes(answered, users):
    with pytest.raises(PermissionDenied):
        services.codeframe_suggest(
            user=users["committee_member"],
            consultation=answered.section.consultation,
            question=answered,
        )
