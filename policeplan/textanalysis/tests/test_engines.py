"""Engines behind one interface: the embeddings engine's clustering and learning (with a
stand-in encoder, as the model is an optional extra), a clear error without the extra, and
an engine named by configuration."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from policeplan.textanalysis.engine import Example, engine_named

TOPICS = {
    "patrols": ["officers on foot", "walking patrols", "police on the beat", "see officers"],
    "knives": ["knife crime", "stabbing near school", "carrying knives", "young people stabbed"],
    "lighting": ["street lights", "dark alleys", "better lighting", "unlit paths"],
}


def encoder(texts):
    """Stand-in for a sentence model: one dimension per topic the text mentions, plus noise
    that is fixed for each text."""
    out = []
    for text in texts:
        vector = [float(any(p in text for p in phrases)) for phrases in TOPICS.values()]
        rng = np.random.default_rng(abs(hash(text)) % 2**32)
        out.append(np.array(vector) + rng.normal(0, 0.05, len(vector)))
    return np.vstack(out)


def texts():
    rows = []
    for n in range(30):
        for phrases in TOPICS.values():
            rows.append(f"We need {phrases[n % 4]} in ward {n}")
    return rows


def test_the_embeddings_engine_clusters_and_learns_on_vectors():
    engine = engine_named("embeddings", encoder=encoder)
    suggested = engine.suggest(texts(), count=3)
    assert len(suggested) == 3 and all(t.label for t in suggested)
    for theme in suggested:  # each cluster is one topic
        topics = {
            name
            for i in theme.members
            for name, phrases in TOPICS.items()
            if any(p in texts()[i] for p in phrases)
        }
        assert len(topics) == 1
    engine.fit([Example(t, {name}) for name, phrases in TOPICS.items() for t in phrases])
    assigned = engine.assign(["more walking patrols please", "fix the street lights"])
    assert assigned[0][0].theme == "patrols" and assigned[1][0].theme == "lighting"


def test_without_the_extra_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(ValueError, match="uv sync --extra embeddings"):
        engine_named("embeddings")


class Constant:
    """An engine given by configuration, like an LLM endpoint would be."""

    name = "constant"

    def suggest(self, texts, *, count=8):
        return []

    def fit(self, examples):
        pass

    def assign(self, texts):
        return [[] for _ in texts]


def test_an_engine_is_added_by_configuration():
    engine = engine_named(f"{__name__}:Constant")
    assert engine.assign(["a", "b"]) == [[], []]
    with pytest.raises(ValueError, match="Cannot load the engine"):
        engine_named("policeplan.nowhere:Engine")
    with pytest.raises(ValueError, match="Unknown engine 'gpt'"):
        engine_named("gpt")
