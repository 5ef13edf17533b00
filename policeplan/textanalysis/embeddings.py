"""The optional engine: sentence embeddings from a model installed on this machine.

Suggesting: k-means over the texts' embeddings; each cluster is labelled by the words that
mark it out from the others (TF-IDF of the cluster's texts against the rest), with the texts
nearest its centre as example quotes. Assigning: one logistic regression per theme over the
embeddings, trained on the analysts' examples, with the same thresholds as the default engine.

Needs the `embeddings` extra (`uv sync --extra embeddings`, which installs
sentence-transformers) and a model on disk or in the local Hugging Face cache, named by the
EMBEDDINGS_MODEL setting (default `sentence-transformers/all-MiniLM-L6-v2`). Nothing is
fetched over the network at run time: the model is loaded with `local_files_only`.
Tests pass their own `encoder`, so the clustering and learning are tested without a model.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from policeplan.textanalysis.engine import Assignment, Example, SuggestedTheme, choose
from policeplan.textanalysis.tfidf import EXTRA_STOP, _distinct, _label

Encoder = Callable[[Sequence[str]], Any]
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def model_encoder(name: str | None = None) -> Encoder:
    """Encode with a sentence-transformers model from local files only."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ValueError(
            "The embeddings engine needs the 'embeddings' extra: run "
            "'uv sync --extra embeddings' (it installs sentence-transformers), or use the "
            "default engine 'tfidf'"
        ) from None
    model_name = name or os.environ.get("EMBEDDINGS_MODEL", DEFAULT_MODEL)
    try:
        model = SentenceTransformer(model_name, device="cpu", local_files_only=True)
    except Exception as error:  # the library raises several kinds for a missing model
        raise ValueError(
            f"The embeddings model '{model_name}' is not on this machine ({error}). Install "
            "it, or set EMBEDDINGS_MODEL to a model folder"
        ) from None

    def encode(texts: Sequence[str]) -> Any:
        return model.encode(list(texts), batch_size=64, normalize_embeddings=True)

    return encode


class EmbeddingEngine:
    name = "embeddings"

    def __init__(
        self,
        *,
        encoder: Encoder | None = None,
        model: str | None = None,
        threshold: float = 0.5,
        floor: float = 0.2,
        seed: int = 0,
    ) -> None:
        self._encode = encoder or model_encoder(model)
        self.threshold = threshold
        self.floor = floor
        self.seed = seed
        self._model: OneVsRestClassifier | None = None
        self._labels: MultiLabelBinarizer | None = None

    def suggest(self, texts: Sequence[str], *, count: int = 8) -> list[SuggestedTheme]:
        usable = [i for i, t in enumerate(texts) if len(t.split()) >= 2]
        if len(usable) < count * 3:
            raise ValueError(
                f"Too few answers to suggest {count} themes: {len(usable)} have two words or more"
            )
        vectors = np.asarray(self._encode([texts[i] for i in usable]))
        clusters = KMeans(n_clusters=count, n_init=4, random_state=self.seed).fit(vectors)
        # Each cluster's words against the rest: TF-IDF over one document per cluster.
        documents = [
            " ".join(texts[usable[j]] for j in np.where(clusters.labels_ == k)[0])
            for k in range(count)
        ]
        words = TfidfVectorizer(
            stop_words=list(ENGLISH_STOP_WORDS | EXTRA_STOP), ngram_range=(1, 2), sublinear_tf=True
        )
        weights = words.fit_transform(documents).toarray()
        terms = words.get_feature_names_out()
        themes = []
        for k in range(count):
            members = np.where(clusters.labels_ == k)[0]
            distance = np.linalg.norm(vectors[members] - clusters.cluster_centers_[k], axis=1)
            ranked = [usable[j] for j in members[np.argsort(distance)]]
            top = [terms[j] for j in weights[k].argsort()[::-1][:6]]
            themes.append(
                SuggestedTheme(
                    label=_label(top),
                    description="Answers about " + ", ".join(top[:5]) + ".",
                    example_indexes=_distinct(texts, ranked, 5),
                    share=len(members) / len(texts),
                    members=sorted(ranked),
                )
            )
        return sorted(themes, key=lambda t: -t.share)

    def fit(self, examples: Sequence[Example]) -> None:
        themes = sorted({t for e in examples for t in e.themes})
        if len(themes) < 2:
            raise ValueError("The examples need at least two different themes to learn from")
        self._labels = MultiLabelBinarizer(classes=themes)
        targets = self._labels.fit_transform([sorted(e.themes) for e in examples])
        self._model = OneVsRestClassifier(
            LogisticRegression(C=4.0, max_iter=1000, class_weight="balanced"), n_jobs=1
        )
        self._model.fit(np.asarray(self._encode([e.text for e in examples])), targets)

    def assign(self, texts: Sequence[str]) -> list[list[Assignment]]:
        if self._model is None or self._labels is None:
            raise ValueError("Fit the engine on examples before assigning")
        probabilities = self._model.predict_proba(np.asarray(self._encode(texts)))
        names = list(self._labels.classes_)
        return [choose(row, names, self.threshold, self.floor) for row in probabilities]
