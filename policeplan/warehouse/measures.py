"""Compute a measure's values for every area and complete period from the warehouse.

A binding says where the figures come from (a dataset and the categories counted) and what
they are (a count, a rate per 1,000 residents, a survey proportion or a percentage of
records). `compute` returns one Value per area (force, BCU, borough) and period with its
numerator, base and 95% interval, ready to store: pages then never scan raw records.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np

from policeplan.warehouse import counts as warehouse_counts
from policeplan.warehouse import periods, stats
from policeplan.warehouse.sql import compose
from policeplan.warehouse.store import Warehouse

LEVELS = ("force", "bcu", "borough")
PAS_BASE = 400  # interviews per borough in a rolling year (about 100 a quarter)


@dataclass(frozen=True)
class Binding:
    dataset: str  # street, mps_crime, stop_search, outcomes, outcome_rate, pas
    unit: str  # count, rate_per_1000, percentage
    categories: tuple[str, ...] = ()
    numerator_categories: tuple[str, ...] = ()

    @property
    def statistic(self) -> str:
        return stats.statistic(self.dataset, self.unit)


def sources(dataset: str) -> tuple[str, ...]:
    """The warehouse datasets a measure's dataset is computed from."""
    return ("street", "outcomes") if dataset == "outcome_rate" else (dataset,)


@dataclass(frozen=True)
class Value:
    level: str
    area_code: str
    period: periods.Period
    value: float
    lower: float
    upper: float
    numerator: float
    denominator: float | None
    population_year: int | None = None  # for a rate: the estimate's year
    population_carried: bool = False  # that year is not the year the period starts in


# (level, area) -> month -> (numerator, denominator or None)
Monthly = dict[tuple[str, str], dict[str, tuple[float, float | None]]]


def monthly(
    con: duckdb.DuckDBPyConnection,
    wh: Warehouse,
    binding: Binding,
    force_names: dict[str, str],
    force_code: str = "metropolitan",
    *,
    start: str | None = None,
    end: str | None = None,
    tallies: dict[tuple[str, str | None, str | None], list[warehouse_counts.TallyRow]]
    | None = None,
) -> Monthly:
    """Numerators (and denominators, for percentages of records) by area and month, for the
    months from `start` to `end` when given (the warehouse reads only those partitions).

    Record datasets are read once per dataset and span of months into a tally that every
    measure of the dataset shares: pass the same `tallies` dict for all of them."""
    if binding.dataset == "pas":
        return _pas(con, wh, binding, force_code)
    if binding.dataset == "outcome_rate":
        return _outcome_rate(con, wh, binding, force_names, start=start, end=end)
    if binding.dataset in warehouse_counts.CATEGORY:
        key = (binding.dataset, start, end)
        if tallies is None:
            tallies = {}
        if key not in tallies:
            tallies[key] = warehouse_counts.tally(
                con, wh, dataset=binding.dataset, start=start, end=end
            )
        return _from_tally(tallies[key], binding)
    out: Monthly = defaultdict(dict)
    for level in LEVELS:
        rows = warehouse_counts.counts(
            con,
            wh,
            dataset=binding.dataset,
            level=level,
            categories=binding.categories,
            force_names=force_names,
            start=start,
            end=end,
        )
        totals: dict[tuple[str, str], float] = defaultdict(float)
        wanted: dict[tuple[str, str], float] = defaultdict(float)
        numerators = {c.lower() for c in binding.numerator_categories}
        for month, code, _name, category, n in rows:
            totals[(code, month)] += n
            if category and category.lower() in numerators:
                wanted[(code, month)] += n
        for (code, month), total in totals.items():
            if binding.unit == "percentage":
                out[(level, code)][month] = (wanted[(code, month)], total)
            else:
                out[(level, code)][month] = (total, None)
    return dict(out)


def _from_tally(rows: list[warehouse_counts.TallyRow], binding: Binding) -> Monthly:
    """One measure's monthly figures from its dataset's tally."""
    wanted = {c.lower() for c in binding.categories}
    numerators = {c.lower() for c in binding.numerator_categories}
    percentage = binding.unit == "percentage"
    totals: dict[tuple[str, str, str], float] = defaultdict(float)
    hits: dict[tuple[str, str, str], float] = defaultdict(float)
    for month, force, bcu, borough, category, n in rows:
        name = (category or "").lower()
        if wanted and name not in wanted:
            continue
        hit = percentage and category is not None and name in numerators
        for level, code in (("force", force), ("bcu", bcu), ("borough", borough)):
            if code is None:
                continue
            totals[(level, code, month)] += n
            if hit:
                hits[(level, code, month)] += n
    out: Monthly = defaultdict(dict)
    for (level, code, month), total in totals.items():
        out[(level, code)][month] = (
            (hits[(level, code, month)], total) if percentage else (total, None)
        )
    return dict(out)


def _outcome_rate(
    con: duckdb.DuckDBPyConnection,
    wh: Warehouse,
    binding: Binding,
    force_names: dict[str, str],
    *,
    start: str | None,
    end: str | None,
) -> Monthly:
    """Outcomes of the chosen types recorded in a month (of crimes of the measure's types, when
    it names any) over the crimes of those types recorded in the same month: the way charge
    rates are reported. The outcomes may belong to crimes recorded earlier."""
    out: Monthly = defaultdict(dict)

    def tally(
        level: str, dataset: str, categories: tuple[str, ...], crime_types: tuple[str, ...] = ()
    ) -> dict[tuple[str, str], float]:
        totals: dict[tuple[str, str], float] = defaultdict(float)
        for month, code, _name, _category, n in warehouse_counts.counts(
            con,
            wh,
            dataset=dataset,
            level=level,
            categories=categories,
            crime_types=crime_types,
            force_names=force_names,
            start=start,
            end=end,
        ):
            totals[(code, month)] += n
        return totals

    for level in LEVELS:
        crimes = tally(level, "street", binding.categories)
        outcomes = tally(level, "outcomes", binding.numerator_categories, binding.categories)
        for (code, month), total in crimes.items():
            out[(level, code)][month] = (outcomes.get((code, month), 0.0), total)
    return dict(out)


def _pas(
    con: duckdb.DuckDBPyConnection, wh: Warehouse, binding: Binding, force_code: str
) -> Monthly:
    """Survey proportions: each quarter's figure covers the 12 months to that quarter."""
    out: Monthly = defaultdict(dict)
    if not wh.has("pas") or not binding.categories:
        return {}
    rows = con.execute(
        compose(
            """
            SELECT p.area_level, p.area_code, b.bcu_code, substr(p.quarter, 1, 7) AS month,
                   p.proportion, p.force_proportion
            FROM {pas} p LEFT JOIN {lookup} b ON b.borough_code = p.area_code
            WHERE lower(p.measure) = lower(?)
            """,
            pas=wh.scan(con, "pas"),
            lookup=wh.lookup(con, "borough"),
        ),
        [binding.categories[0]],
    ).fetchall()
    bcu_sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    force_figures: dict[str, list[float]] = {}  # month -> [proportion, boroughs]
    # A London-wide figure rests on every borough's interviews, not one borough's: its base is
    # PAS_BASE for each borough surveyed that quarter.
    surveyed: dict[str, int] = defaultdict(int)
    for level, _code, _bcu, month, _proportion, _force in rows:
        if level == "borough":
            surveyed[month] += 1
    widest = max(surveyed.values(), default=1)
    for level, code, bcu, month, proportion, force_proportion in rows:
        if level == "borough" and force_proportion is not None:
            entry = force_figures.setdefault(month, [force_proportion, 0])
            entry[1] += 1
        base = float(PAS_BASE * (surveyed.get(month) or widest if level == "force" else 1))
        numerator = proportion * base
        out[(level, code)][month] = (numerator, base)
        if level == "borough" and bcu:
            bcu_sums[(bcu, month)][0] += numerator
            bcu_sums[(bcu, month)][1] += PAS_BASE
    for (bcu, month), (numerator, base) in bcu_sums.items():
        out[("bcu", bcu)][month] = (numerator, base)
    # The borough file also gives the force-wide figure: use it where no force row was loaded,
    # with the base of every borough's interviews.
    force = out.setdefault(("force", force_code), {})
    for month, (proportion, boroughs) in force_figures.items():
        if month not in force:
            base = float(PAS_BASE * boroughs)
            force[month] = (proportion * base, base)
    return dict(out)


def compute(
    data: Monthly,
    binding: Binding,
    *,
    populations: dict[tuple[str, str], dict[int, int]] | None = None,
    kinds: Iterable[str] = periods.KINDS,
    touching: set[str] | None = None,
) -> list[Value]:
    """Values for every area and complete period, with their intervals (computed together).

    `populations` maps (level, area code) to {year: residents}; a rate uses the population of
    the year its period starts in, or the nearest year available, and records which year it
    used and whether that was carried from another year. An area with no population has no
    rate at all (never 0). With `touching`, only the periods that include one of those months
    (the ones a new import changed).
    """
    # level, code, period, numerator, denominator, population year (rates)
    rows: list[tuple[str, str, periods.Period, float, float, int | None]] = []
    for (level, code), by_month in data.items():
        months = set(by_month)
        period_kinds = ["rolling_12"] if binding.dataset == "pas" else list(kinds)
        population = (populations or {}).get((level, code))
        for kind in period_kinds:
            for period in _periods(months, kind, binding):
                if touching is not None and touching.isdisjoint(period.months):
                    continue
                # A survey quarter's figure already covers its rolling year: take that one only.
                wanted = [period.end] if binding.dataset == "pas" else period.months
                included = [by_month[m] for m in wanted if m in by_month]
                numerator = float(sum(n for n, _ in included))
                used: int | None = None
                if binding.unit == "percentage" or binding.statistic == "ratio":
                    denominator = float(sum(d for _, d in included if d is not None))
                    if not denominator:
                        continue
                elif binding.unit == "rate_per_1000":
                    if not population:
                        continue
                    year = int(period.start[:4])
                    used = min(population, key=lambda y: (abs(y - year), -y))
                    denominator = float(population[used])
                else:
                    denominator = 0.0
                rows.append((level, code, period, numerator, denominator, used))
    if not rows:
        return []
    num = np.array([r[3] for r in rows])
    den = np.array([r[4] for r in rows])
    if binding.statistic == "proportion":
        value = num / den
        lower, upper = stats.wilson_intervals(num, den)
    elif binding.statistic == "ratio":
        value = num / den
        lower, upper = stats.poisson_intervals(num)
        lower, upper = lower / den, upper / den
    else:
        lower, upper = stats.poisson_intervals(num)
        value = num.copy()
        if binding.unit == "rate_per_1000":
            scale = 1000 / den
            value, lower, upper = value * scale, lower * scale, upper * scale
    return [
        Value(
            level,
            code,
            period,
            float(value[i]),
            float(lower[i]),
            float(upper[i]),
            numerator,
            denominator if binding.unit != "count" else None,
            used,
            used is not None and used != int(period.start[:4]),
        )
        for i, (level, code, period, numerator, denominator, used) in enumerate(rows)
    ]


@dataclass(frozen=True)
class Gap:
    """A period inside a measure's span for which an area has no value, and why: `uncovered`
    (the source could not have recorded the measure that month), `no_records` (the area's data
    has no records of it that month), `no_population` (a rate with no population for the
    area) or `no_base` (a percentage of no records). `month` is the first month concerned."""

    level: str
    area_code: str
    period: periods.Period
    why: str
    month: str = ""


def gaps(
    data: Monthly,
    binding: Binding,
    values: Iterable[Value],
    *,
    populations: dict[tuple[str, str], dict[int, int]] | None = None,
    uncovered: set[str] | None = None,
    within: tuple[str, str] | None = None,
    kinds: Iterable[str] = periods.KINDS,
    touching: set[str] | None = None,
) -> list[Gap]:
    """Every area's periods, inside the measure's span, that have no value among `values`.

    The span is the months any area has records for (or `within`, the measure's covered
    span); an area missing a period the others have is a gap with its reason, never a hole
    that reads as 0. `uncovered` are the months the source could not have recorded the
    measure (a period containing one has no value for any area)."""
    uncovered = uncovered or set()
    held = set().union(*(set(by_month) for by_month in data.values())) if data else set()
    if within:
        held = {m for m in held if within[0] <= m <= within[1]}
    if not held:
        return []
    pas = binding.dataset == "pas"
    span = held if pas else set(periods.months_between(min(held), max(held)))
    produced = {(v.level, v.area_code, v.period.kind, v.period.key) for v in values}
    out: list[Gap] = []
    for kind in ["rolling_12"] if pas else list(kinds):
        candidates = _periods(span, kind, binding)
        for (level, code), by_month in data.items():
            for period in candidates:
                if (level, code, kind, period.key) in produced:
                    continue
                if touching is not None and touching.isdisjoint(period.months):
                    continue
                wanted = [period.end] if pas else list(period.months)
                if not pas and (gone := [m for m in wanted if m in uncovered]):
                    out.append(Gap(level, code, period, "uncovered", gone[0]))
                elif absent := [m for m in wanted if m not in by_month]:
                    out.append(Gap(level, code, period, "no_records", absent[0]))
                elif binding.unit == "rate_per_1000" and not (populations or {}).get((level, code)):
                    out.append(Gap(level, code, period, "no_population"))
                else:
                    out.append(Gap(level, code, period, "no_base"))
    return out


def _periods(months: set[str], kind: str, binding: Binding) -> Sequence[periods.Period]:
    if binding.dataset == "pas":
        # One figure per quarter, covering the 12 months to its end.
        return [periods.rolling_12(m) for m in sorted(months)]
    return _complete_periods(frozenset(months), kind)


@functools.lru_cache(maxsize=256)
def _complete_periods(months: frozenset[str], kind: str) -> tuple[periods.Period, ...]:
    """Most areas share the same months: work their periods out once."""
    return tuple(periods.complete_periods(set(months), kind))


def window(months: Iterable[str]) -> tuple[str, str]:
    """The months whose records can change the periods that include any of `months`: a year
    (the longest period) either side of them."""
    ordered = sorted(months)
    return periods.shift(ordered[0], -11), periods.shift(ordered[-1], 11)
