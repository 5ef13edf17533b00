"""The default engine: TF-IDF features with scikit-learn, offline on the CPU.

Suggesting: non-negative matrix factorisation of word and two-word TF-IDF finds groups of
words that occur together; each group becomes a candidate theme, labelled by its strongest
terms, with the texts that load on it most as example quotes.

Assigning: one logistic regression per theme (one-vs-rest) over word and character n-gram
TF-IDF, trained on the analysts' examples. A text gets every theme whose probability reaches
the threshold, and always its most likely theme when that is at least `floor`, so a text is
left uncoded only when nothing fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from policeplan.textanalysis.engine import Assignment, Example, SuggestedTheme, choose, normal

# Words that carry no theme in consultation answers, on top of scikit-learn's English list.
EXTRA_STOP = {
    "think",
    "really",
    "just",
    "like",
    "need",
    "needs",
    "want",
    "would",
    "could",
    "also",
    "get",
    "got",
    "lot",
    "much",
    "many",
    "make",
    "made",
    "way",
    "thing",
    "things",
    "people",
    "one",
    "well",
    "good",
    "nothing",
    "everything",
    # what is left of contractions once the tokenizer drops the apostrophe
    "couldn",
    "didn",
    "doesn",
    "don",
    "isn",
    "wasn",
    "weren",
    "won",
    "wouldn",
    "ve",
    "ll",
    "re",
}


class TfidfEngine:
    name = "tfidf"

    def __init__(self, *, threshold: float = 0.5, floor: float = 0.2, seed: int = 0) -> None:
        self.threshold = threshold
        self.floor = floor
        self.seed = seed
        self._words: TfidfVectorizer | None = None
        self._chars: TfidfVectorizer | None = None
        self._model: OneVsRestClassifier | None = None
        self._labels: MultiLabelBinarizer | None = None

    # Suggesting ---------------------------------------------------------------------------

    def suggest(self, texts: Sequence[str], *, count: int = 8) -> list[SuggestedTheme]:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        usable = [i for i, t in enumerate(texts) if len(t.split()) >= 2]
        if len(usable) < count * 3:
            raise ValueError(
                f"Too few answers to suggest {count} themes: {len(usable)} have two words or more"
            )
        vectoriser = TfidfVectorizer(
            stop_words=list(ENGLISH_STOP_WORDS | EXTRA_STOP),
            ngram_range=(1, 2),
            min_df=max(2, len(usable) // 2000),
            max_df=0.5,
            sublinear_tf=True,
        )
        matrix = vectoriser.fit_transform([texts[i] for i in usable])
        model = NMF(n_components=count, init="nndsvda", random_state=self.seed, max_iter=400)
        weights = model.fit_transform(matrix)
        terms = vectoriser.get_feature_names_out()
        strongest = weights.argmax(axis=1)
        has_any = weights.max(axis=1) > 0
        themes = []
        for k in range(count):
            top = [terms[j] for j in model.components_[k].argsort()[::-1][:6]]
            label = _label(top)
            members = np.where((strongest == k) & has_any)[0]
            ranked = members[np.argsort(-weights[members, k])]
            themes.append(
                SuggestedTheme(
                    label=label,
                    description="Answers about " + ", ".join(top[:5]) + ".",
                    example_indexes=_distinct(texts, [usable[i] for i in ranked], 5),
                    share=len(members) / len(texts),
                    members=[usable[i] for i in members],
                )
            )
        return sorted(themes, key=lambda t: -t.share)

    # Assigning ----------------------------------------------------------------------------

    def _features(self, texts: Sequence[str], *, fit: bool = False) -> Any:
        if fit:
            self._words = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
            self._chars = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True
            )
            return hstack([self._words.fit_transform(texts), self._chars.fit_transform(texts)])
        assert self._words is not None and self._chars is not None
        return hstack([self._words.transform(texts), self._chars.transform(texts)])

    def fit(self, examples: Sequence[Example]) -> None:
        themes = sorted({t for e in examples for t in e.themes})
        if len(themes) < 2:
            raise ValueError("The examples need at least two different themes to learn from")
        self._labels = MultiLabelBinarizer(classes=themes)
        targets = self._labels.fit_transform([sorted(e.themes) for e in examples])
        features = self._features([e.text for e in examples], fit=True)
        self._model = OneVsRestClassifier(
            LogisticRegression(C=8.0, max_iter=1000, class_weight="balanced"), n_jobs=1
        )
        self._model.fit(features, targets)

    @property
    def themes(self) -> list[str]:
        return [] if self._labels is None else list(self._labels.classes_)

    def assign(self, texts: Sequence[str]) -> list[list[Assignment]]:
        if self._model is None or self._labels is None:
            raise ValueError("Fit the engine on examples before assigning")
        probabilities = self._model.predict_proba(self._features(texts))
        names = self.themes
        return [choose(row, names, self.threshold, self.floor) for row in probabilities]


def _distinct(texts: Sequence[str], indexes: list[int], limit: int) -> list[int]:
    """The first `limit` indexes whose texts differ (answers often repeat each other)."""
    seen: set[str] = set()
    out = []
    for i in indexes:
        key = normal(texts[i])
        if key not in seen:
            seen.add(key)
            out.append(i)
            if len(out) == limit:
                break
    return out


def _label(terms: list[str]) -> str:
    """A short label from a theme's strongest terms: a two-word phrase when one is strong."""
    phrase = next((t for t in terms[:3] if " " in t), None)
    words = [t for t in terms if " " not in t]
    if phrase:
        rest = [w for w in words if w not in phrase.split()][:1]
        parts = [phrase, *rest]
    else:
        parts = words[:3]
    label = ", ".join(parts)
    return label[:1].upper() + label[1:]
