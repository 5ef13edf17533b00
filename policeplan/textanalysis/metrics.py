"""Agreement between two codings of the same texts: precision, recall and F1, per theme and
overall (micro-averaged), each with a bootstrap 95% interval over the texts.

`truth` and `predicted` are one set of themes per text, in the same order. The interval
resamples texts with replacement (so themes that occur together stay together) and takes the
2.5th and 97.5th percentiles of the statistic over the resamples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Score:
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class ThemeAgreement:
    precision: Score
    recall: Score
    f1: Score
    support: int  # texts the reference coding gives this theme


@dataclass(frozen=True)
class Agreement:
    texts: int
    precision: Score
    recall: Score
    f1: Score
    per_theme: dict[str, ThemeAgreement]


def _prf(tp: Any, fp: Any, fn: Any) -> tuple[Any, ...]:
    import numpy as np  # loaded when first used, not at start-up

    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return precision, recall, f1


def _score(point: Any, draws: Any) -> Score:
    import numpy as np

    lower, upper = np.percentile(draws, [2.5, 97.5])
    return Score(round(float(point), 4), round(float(lower), 4), round(float(upper), 4))


def agreement(
    truth: Sequence[set[str]],
    predicted: Sequence[set[str]],
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> Agreement:
    if len(truth) != len(predicted):
        raise ValueError("Both codings must cover the same texts")
    if not truth:
        raise ValueError("No texts to compare")
    import numpy as np  # loaded when first used, not at start-up

    themes = sorted(set().union(*truth, *predicted))
    col = {t: j for j, t in enumerate(themes)}
    n, k = len(truth), len(themes)
    t_matrix = np.zeros((n, k), dtype=np.int8)
    p_matrix = np.zeros((n, k), dtype=np.int8)
    for i, (t, p) in enumerate(zip(truth, predicted, strict=True)):
        t_matrix[i, [col[x] for x in t]] = 1
        p_matrix[i, [col[x] for x in p]] = 1
    tp = (t_matrix & p_matrix).astype(np.int32)
    fp = ((1 - t_matrix) & p_matrix).astype(np.int32)
    fn = (t_matrix & (1 - p_matrix)).astype(np.int32)

    rng = np.random.default_rng(seed)
    # Counts per resample: (resamples, themes), each resample a weighting of the rows, made
    # in chunks so memory stays small for tens of thousands of texts.
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, resamples, 50):
        size = min(50, resamples - start)
        weights = rng.multinomial(n, np.full(n, 1 / n), size=size).astype(np.int32)
        parts.append((weights @ tp, weights @ fp, weights @ fn))
    tp_r, fp_r, fn_r = (np.vstack([p[m] for p in parts]) for m in range(3))

    point_theme = _prf(tp.sum(0), fp.sum(0), fn.sum(0))
    draws_theme = _prf(tp_r, fp_r, fn_r)
    point_all = _prf(tp.sum(), fp.sum(), fn.sum())
    draws_all = _prf(tp_r.sum(1), fp_r.sum(1), fn_r.sum(1))
    overall = [_score(point_all[m], draws_all[m]) for m in range(3)]
    per_theme = {
        theme: ThemeAgreement(
            precision=_score(point_theme[0][j], draws_theme[0][:, j]),
            recall=_score(point_theme[1][j], draws_theme[1][:, j]),
            f1=_score(point_theme[2][j], draws_theme[2][:, j]),
            support=int(t_matrix[:, j].sum()),
        )
        for j, theme in enumerate(themes)
    }
    return Agreement(n, overall[0], overall[1], overall[2], per_theme)
