"""Checked against published worked values (Newcombe 1998; exact Poisson tables)."""

import pytest

from policeplan.warehouse import stats


def test_wilson_matches_newcombe_1998_examples():
    e = stats.wilson(81, 263)  # Newcombe (1998) table I, example: 0.2553 to 0.3662
    assert (round(e.lower, 4), round(e.upper, 4)) == (0.2553, 0.3662)
    zero = stats.wilson(0, 10)  # 0 to 0.2775
    assert (zero.lower, round(zero.upper, 4)) == (0.0, 0.2775)


def test_exact_poisson_interval_for_counts():
    e = stats.poisson_count(10)  # tables give 4.795 to 18.39
    assert (round(e.lower, 3), round(e.upper, 2)) == (4.795, 18.39)
    assert stats.poisson_count(0).lower == 0.0 and round(stats.poisson_count(0).upper, 3) == 3.689


def test_rates_scale_the_count_interval():
    r = stats.rate(250, 400_000)
    assert r.value == pytest.approx(0.625)
    assert r.lower == pytest.approx(stats.poisson_count(250).lower / 400)


def test_a_change_is_significant_only_when_the_interval_excludes_no_change():
    assert stats.rate_ratio(1000, 1200).significant  # a 17% fall on large counts
    assert stats.rate_ratio(1000, 1200).direction == -1
    small = stats.rate_ratio(10, 12)  # the same fall on small counts
    assert not small.significant and small.direction == 0
    assert stats.rate_ratio(0, 5) is None


def test_newcombe_difference_of_proportions():
    # Newcombe (1998) table II example (56/70 vs 48/80): difference 0.2, interval 0.0524 to 0.3339
    change = stats.proportion_difference(stats.wilson(56, 70), stats.wilson(48, 80))
    assert round(change.difference, 3) == 0.2
    assert (round(change.lower, 4), round(change.upper, 4)) == (0.0524, 0.3339)
    assert change.significant and change.direction == 1
