"""Honest statistics for the plan's measures: every figure with its numerator, its base and a
95% interval, and change called significant only when the interval says so.

- Survey proportions: Wilson score interval (good at small bases and near 0 or 1).
- Counts and rates: exact Poisson (Garwood) interval; a rate per 1,000 scales it.
- Change in a count or rate: rate ratio with a log-normal interval.
- Change in a proportion: Newcombe's hybrid score interval for the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

Z95 = 1.959963984540054  # the 97.5th centile of the standard normal


def statistic(dataset: str, unit: str) -> str:
    """How a measure's figures behave: 'proportion' (a share of the same records or
    respondents: Wilson intervals), 'ratio' (one count over another, as outcomes over the
    crimes recorded in the same period: Poisson on the numerator) or 'count' (counts and
    rates per 1,000 residents: Poisson)."""
    if dataset == "outcome_rate":
        return "ratio"
    return "proportion" if unit == "percentage" else "count"


@dataclass(frozen=True)
class Estimate:
    value: float
    lower: float
    upper: float
    numerator: float
    denominator: float | None  # the base (survey) or population (rates); None for counts


def wilson(successes: float, n: float, z: float = Z95) -> Estimate:
    """A proportion and its Wilson score interval."""
    if n <= 0:
        raise ValueError("A proportion needs a base of at least one")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), successes, n)


def poisson_count(count: int) -> Estimate:
    """A count and its exact (Garwood) 95% interval."""
    if count < 0:
        raise ValueError("A count cannot be negative")
    lower = 0.0 if count == 0 else float(chi2.ppf(0.025, 2 * count) / 2)
    upper = float(chi2.ppf(0.975, 2 * count + 2) / 2)
    return Estimate(float(count), lower, upper, count, None)


def poisson_intervals(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact 95% intervals for many counts at once (the same as poisson_count, vectorised)."""
    counts = np.asarray(counts, dtype=float)
    lower = np.where(counts > 0, chi2.ppf(0.025, np.maximum(2 * counts, 1e-9)) / 2, 0.0)
    upper = chi2.ppf(0.975, 2 * counts + 2) / 2
    return lower, upper


def wilson_intervals(
    successes: np.ndarray, n: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson intervals for many proportions at once (the same as wilson, vectorised)."""
    n = np.asarray(n, dtype=float)
    p = np.asarray(successes, dtype=float) / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return np.maximum(0.0, centre - half), np.minimum(1.0, centre + half)


def rate(count: int, population: float, per: float = 1000) -> Estimate:
    """A rate per `per` residents, with the count's exact interval scaled to it."""
    if population <= 0:
        raise ValueError("A rate needs a population")
    c = poisson_count(count)
    scale = per / population
    return Estimate(c.value * scale, c.lower * scale, c.upper * scale, count, population)


@dataclass(frozen=True)
class Change:
    ratio: float | None  # later ÷ earlier (counts and rates)
    difference: float | None  # later − earlier (proportions)
    lower: float
    upper: float

    @property
    def significant(self) -> bool:
        """True only when the interval excludes 'no change'."""
        if self.ratio is not None:
            return self.lower > 1 or self.upper < 1
        return self.lower > 0 or self.upper < 0

    @property
    def direction(self) -> int:
        """+1 up, −1 down, 0 no significant change."""
        if not self.significant:
            return 0
        centre = self.ratio - 1 if self.ratio is not None else self.difference or 0
        return 1 if centre > 0 else -1


def rate_ratio(
    later: int, earlier: int, later_exposure: float = 1.0, earlier_exposure: float = 1.0
) -> Change | None:
    """Change in a count (or rate, given exposures) as a ratio with a 95% interval; None when
    either count is zero (no finite ratio)."""
    if later <= 0 or earlier <= 0:
        return None
    ratio = (later / later_exposure) / (earlier / earlier_exposure)
    se = math.sqrt(1 / later + 1 / earlier)
    return Change(ratio, None, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se))


def proportion_difference(later: Estimate, earlier: Estimate) -> Change:
    """Newcombe's hybrid score interval (method 10) for the difference of two proportions."""
    d = later.value - earlier.value
    lower = d - math.sqrt((later.value - later.lower) ** 2 + (earlier.upper - earlier.value) ** 2)
    upper = d + math.sqrt((later.upper - later.value) ** 2 + (earlier.value - earlier.lower) ** 2)
    return Change(None, d, lower, upper)
