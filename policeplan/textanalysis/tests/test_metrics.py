from __future__ import annotations

import pytest

from policeplan.textanalysis.metrics import agreement


def test_precision_recall_and_f1_by_hand():
    truth = [{"a"}, {"a", "b"}, {"b"}, set()]
    predicted = [{"a"}, {"a"}, {"a"}, {"b"}]
    result = agreement(truth, predicted, resamples=200)
    # tp: a,a = 2; fp: a (text 3), b (text 4) = 2; fn: b, b = 2
    assert result.precision.value == 0.5 and result.recall.value == 0.5 and result.f1.value == 0.5
    assert result.per_theme["a"].precision.value == pytest.approx(2 / 3, abs=1e-4)
    assert result.per_theme["a"].recall.value == 1.0
    assert result.per_theme["b"].f1.value == 0.0 and result.per_theme["b"].support == 2
    assert result.f1.lower <= 0.5 <= result.f1.upper


def test_perfect_agreement_has_a_tight_interval_and_bad_input_is_refused():
    truth = [{"x"}] * 50 + [{"y"}] * 50
    result = agreement(truth, truth, resamples=100)
    assert (result.f1.value, result.f1.lower, result.f1.upper) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="same texts"):
        agreement(truth, truth[:-1])
