"""Analysis tests: a consultation answered with the demo's themed comments, whose true themes
are known, so coding can be checked against them."""

from __future__ import annotations

import random
import uuid

import pytest

from policeplan.analysis import services
from policeplan.analysis.demo import truth
from policeplan.consultations import services as consult
from policeplan.consultations.demo import THEMES
from policeplan.consultations.models import Question
from policeplan.consultations.tests.conftest import consultation  # noqa: F401


@pytest.fixture
def themed(consultation):  # noqa: F811
    """180 answers to the free-text question, each one or two demo comments, from Lambeth or
    Barnet, most consenting to be quoted. Returns the question."""
    rng = random.Random(7)
    free = Question.objects.get(section__consultation=consultation, kind="free_text")
    borough = Question.objects.get(section__consultation=consultation, kind="borough")
    kind = Question.objects.get(section__consultation=consultation, kind="respondent_type")
    individual = ({"type": "individual", "organisation": ""}, "As an individual")
    names = list(THEMES)
    for n in range(180):
        text = rng.choice(THEMES[names[n % len(names)]]["comments"])
        if rng.random() < 0.3:
            text += " " + rng.choice(THEMES[rng.choice(names)]["comments"])
        code, name = ("E09000022", "Lambeth") if n % 3 else ("E09000003", "Barnet")
        consult.response_submit_complete(
            consultation=consultation,
            token=uuid.uuid4(),
            answers={free: (text, text), borough: (code, name), kind: individual},
            consent="anonymous" if n % 5 else "no",
        )
    return free


@pytest.fixture
def finalised(themed, users):
    """A codeframe of the demo's eight themes, each with two example answers, finalised."""
    frame = services.codeframe_suggest(
        user=users["analyst"],
        consultation=themed.section.consultation,
        question=themed,
        count=3,
    )
    ops = [{"op": "remove", "theme": str(t.lineage)} for t in frame.themes.all()]
    ops += [{"op": "add", "label": name.capitalize()} for name in THEMES]
    frame = services.codeframe_change(user=users["analyst"], codeframe=frame, operations=ops)
    from policeplan.analysis.models import Theme

    for name in THEMES:
        Theme.objects.filter(codeframe=frame, label=name.capitalize()).update(
            examples=[{"text": c} for c in THEMES[name]["comments"][:2]]
        )
    return services.codeframe_finalise(user=users["analyst"], codeframe=frame)


def lineages(frame, text):
    """The lineages of a text's true themes in a codeframe made by `finalised`."""
    labels = {name.capitalize() for name in truth(text)}
    return [str(t.lineage) for t in frame.themes.all() if t.label in labels]
