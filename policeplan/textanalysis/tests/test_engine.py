"""The default engine on real human-coded comments (NHS patient feedback, 9 categories)."""

from __future__ import annotations

import csv
import random

import pytest
from sklearn.metrics import adjusted_mutual_info_score

from policeplan.textanalysis.engine import Example, engine_named
from policeplan.textanalysis.metrics import agreement


@pytest.fixture(scope="module")
def comments(shared_data):
    path = shared_data / "text/nhs-patient-feedback/text_data.csv"
    with path.open(encoding="utf-8") as f:
        rows = [(r["feedback"].strip(), r["label"]) for r in csv.DictReader(f)]
    rows = [r for r in rows if r[0]]
    random.Random(7).shuffle(rows)
    return rows


def test_assignment_learnt_from_a_tenth_agrees_with_the_human_coders(comments):
    train, test = comments[:1000], comments[1000:4000]
    engine = engine_named("tfidf")
    engine.fit([Example(text, {label}) for text, label in train])
    assigned = engine.assign([text for text, _ in test])
    score = agreement([{label} for _, label in test], [{a.theme for a in row} for row in assigned])
    # The figure reported in bench/README.md: micro-F1 about 0.65 with a tenth as examples.
    assert score.f1.value >= 0.6
    assert score.f1.lower <= score.f1.value <= score.f1.upper
    assert all(0 <= a.confidence <= 1 for row in assigned for a in row)
    # Themes the coders used often are learnt well; every theme gets a per-theme score.
    assert score.per_theme["Couldn't be improved"].f1.value >= 0.8
    assert set(score.per_theme) >= {label for _, label in test}


def test_suggested_themes_recover_the_human_categories_better_than_chance(comments):
    texts = [text for text, _ in comments[:4000]]
    labels = [label for _, label in comments[:4000]]
    themes = engine_named("tfidf").suggest(texts, count=9)
    assert len(themes) == 9 and all(t.label and t.example_indexes for t in themes)
    found = ["none"] * len(texts)
    for k, theme in enumerate(themes):
        for i in theme.members:
            found[i] = str(k)
    ami = adjusted_mutual_info_score(labels, found)
    shuffled = found[:]
    random.Random(1).shuffle(shuffled)
    chance = adjusted_mutual_info_score(labels, shuffled)
    assert abs(chance) < 0.01
    assert ami > 0.1  # about 0.14 here: clearly more than chance, far from the coders
    # Example quotes are the texts that show the theme best: they belong to it.
    assert all(set(t.example_indexes) <= set(t.members) for t in themes)
