"""Services for measure values: compute every bound measure from the warehouse and store
its figures by area and period (one transaction per measure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from policeplan.core import dates
from policeplan.performance import geography, selectors
from policeplan.performance.coverage import SOURCE_LABELS, measure_coverage_refresh
from policeplan.performance.models import (
    Area,
    AreaLevel,
    MeasureCoverage,
    MeasureGap,
    MeasureValue,
    Population,
)
from policeplan.performance.services import warehouse
from policeplan.warehouse import crosswalk as wh_crosswalk
from policeplan.warehouse import measures as warehouse_measures
from policeplan.warehouse.sql import Sql, compose, join


def _populations() -> dict[tuple[str, str], dict[int, int]]:
    """Residents by (level, code) and year: boroughs as estimated, BCUs and forces summed."""
    by_borough: dict[str, dict[int, int]] = defaultdict(dict)
    for code, year, value in (
        Population.objects.filter(area__level=AreaLevel.BOROUGH)
        .order_by("pk")
        .values_list("area__code", "year", "value")
    ):
        by_borough[code][year] = value  # the latest import for a year wins
    out: dict[tuple[str, str], dict[int, int]] = {("borough", c): v for c, v in by_borough.items()}
    parents = {a.pk: a for a in Area.objects.filter(level__in=[AreaLevel.BCU, AreaLevel.FORCE])}
    for borough in Area.objects.filter(level=AreaLevel.BOROUGH, code__in=by_borough):
        node = parents.get(borough.parent_id) if borough.parent_id else None
        while node is not None:
            totals = out.setdefault((node.level, node.code), {})
            for year, value in by_borough[borough.code].items():
                totals[year] = totals.get(year, 0) + value
            node = parents.get(node.parent_id) if node.parent_id else None
    return out


_COLUMNS = (
    "measure_lineage",
    "area_id",
    "period_kind",
    "period_key",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "lower",
    "upper",
    "numerator",
    "denominator",
    "computed_at",
    "population_year",
    "population_carried",
)


def measure_values_insert(rows: list[tuple[Any, ...]]) -> None:
    """Insert many values (rows in the order of _COLUMNS) with one parameterised statement:
    tens of thousands of rows per measure, where building a model object for each costs more
    than the computation."""
    if not rows:
        return
    meta = MeasureValue._meta
    field = {f.column: f for f in meta.concrete_fields}
    # A measure's rows share their lineage and time: convert each distinct one once.
    lineages = {
        x: field["measure_lineage"].get_db_prep_value(x, connection) for x in {r[0] for r in rows}
    }
    times = {
        x: field["computed_at"].get_db_prep_value(x, connection) for x in {r[12] for r in rows}
    }
    prepared = [(lineages[r[0]], *r[1:12], times[r[12]], *r[13:]) for r in rows]
    quote = connection.ops.quote_name  # the model's own table and column names
    sql = compose(
        "INSERT INTO {table} ({columns}) VALUES ({values})",
        table=Sql(quote(meta.db_table)),
        columns=join(Sql(quote(c)) for c in _COLUMNS),
        values=join(Sql("%s") for _ in _COLUMNS),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), 5000):
            cursor.executemany(sql, prepared[start : start + 5000])


# Datasets recorded month by month, whose measures can be recomputed for new months only.
MONTHLY_DATASETS = {"street", "outcomes", "stop_search", "mps_crime"}


def measures_recompute(
    *,
    bindings: list[dict[str, Any]] | None = None,
    datasets: set[str] | None = None,
    months: dict[str, set[str]] | None = None,
) -> dict[str, int]:
    """Recompute every bound measure (or the given ones, or those computed from `datasets`)
    and store its values; returns the number of values written per measure.

    With `months` (the months an import brought, by dataset), a measure that already has
    figures is recomputed incrementally: only the periods that include one of those months
    are read from the warehouse and replaced. Anything else is recomputed whole."""
    from policeplan.plans import selectors as plan_selectors

    bound = bindings if bindings is not None else plan_selectors.measures_bound()
    if datasets is not None:
        bound = [
            b
            for b in bound
            if datasets.intersection(warehouse_measures.sources(b["dataset"]))
            or (b["unit"] == "rate_per_1000" and "population" in datasets)
        ]
    if not bound:
        return {}
    area_rows = list(Area.objects.filter(level__in=warehouse_measures.LEVELS))
    areas = {(a.level, a.code): a.pk for a in area_rows}
    area_names = {(a.level, a.code): a.name for a in area_rows}
    populations = _populations()
    concepts_wanted = {c for b in bound for c in b.get("concepts") or ()}
    crosswalk = selectors.crosswalk_data(concepts=concepts_wanted) if concepts_wanted else {}
    force_names = geography.force_names()
    wh = warehouse()
    con = wh.connect()
    stored: dict[str, int] = {}
    tallies: dict = {}  # each dataset is read once for every measure computed from it
    try:
        for item in bound:
            binding = warehouse_measures.Binding(
                dataset=item["dataset"],
                unit=item["unit"],
                categories=binding_categories(item, crosswalk),
                numerator_categories=tuple(item["numerator_categories"]),
            )
            if binding.dataset not in {"pas", "stop_search"} and not all(
                wh.has(source) for source in warehouse_measures.sources(binding.dataset)
            ):
                continue
            touching = _months_touching(item, months)
            start, end = warehouse_measures.window(touching) if touching else (None, None)
            data = warehouse_measures.monthly(
                con,
                wh,
                binding,
                force_names,
                geography.config()[0].code,
                start=start,
                end=end,
                tallies=tallies,
            )
            values = warehouse_measures.compute(
                data, binding, populations=populations, touching=touching
            )
            computed = values
            uncovered: set[str] = set()
            within: tuple[str, str] | None = None
            if item.get("concepts"):
                covered = measure_coverage_refresh(item=item, crosswalk=crosswalk)
                if binding.dataset != "pas":  # a survey figure covers a year to its quarter
                    # A period with a month the source could not have recorded: not a 0.
                    values = [v for v in values if covered.issuperset(v.period.months)]
                    within = (min(covered), max(covered)) if covered else ("", "")
                    uncovered = set(wh_crosswalk.month_span(*within) if covered else ()).difference(
                        covered
                    )
            found_gaps = warehouse_measures.gaps(
                data,
                binding,
                values,
                populations=populations,
                uncovered=uncovered,
                within=within,
                touching=touching,
            )
            reasons = _GapReasons(item, area_names)
            gap_rows = [
                MeasureGap(
                    measure_lineage=item["lineage"],
                    area_id=areas[(g.level, g.area_code)],
                    period_kind=g.period.kind,
                    period_key=g.period.key,
                    period_label=g.period.label,
                    period_start=g.period.start,
                    period_end=g.period.end,
                    reason=reasons.text(g),
                )
                for g in found_gaps
                if (g.level, g.area_code) in areas
            ]
            now = timezone.now()
            rows = [
                (
                    item["lineage"],
                    areas[(v.level, v.area_code)],
                    v.period.kind,
                    v.period.key,
                    v.period.label,
                    v.period.start,
                    v.period.end,
                    v.value,
                    v.lower,
                    v.upper,
                    v.numerator,
                    v.denominator,
                    now,
                    v.population_year,
                    v.population_carried,
                )
                for v in values
                if (v.level, v.area_code) in areas
            ]
            with transaction.atomic():
                existing = MeasureValue.objects.filter(measure_lineage=item["lineage"])
                old_gaps = MeasureGap.objects.filter(measure_lineage=item["lineage"])
                if touching:
                    for kind, keys in _keys_by_kind(computed, found_gaps).items():
                        existing.filter(period_kind=kind, period_key__in=keys).delete()
                        old_gaps.filter(period_kind=kind, period_key__in=keys).delete()
                else:
                    existing.delete()
                    old_gaps.delete()
                measure_values_insert(rows)
                MeasureGap.objects.bulk_create(gap_rows, batch_size=2000)
            stored[str(item["lineage"])] = len(rows)
    finally:
        con.close()
    return stored


def measures_recompute_for_concepts(*, concepts: set[str]) -> dict[str, int]:
    """Recompute, whole, every measure that counts one of these concepts (after a crosswalk
    change: any of its periods may now count different names)."""
    from policeplan.plans import selectors as plan_selectors

    bound = [b for b in plan_selectors.measures_bound() if concepts & set(b.get("concepts") or ())]
    return measures_recompute(bindings=bound) if bound else {}


def binding_categories(
    item: dict[str, Any], crosswalk: dict[str, list[wh_crosswalk.Name]]
) -> tuple[str, ...]:
    """The source names a measure counts: its concepts' names in the source and scheme it is
    counted from, when it names concepts; otherwise its own categories."""
    concepts = item.get("concepts") or ()
    if not concepts:
        return tuple(item["categories"])
    names: set[str] = set()
    for source in warehouse_measures.sources(item["dataset"]):
        names.update(wh_crosswalk.categories(crosswalk, concepts, source))
    # A concept with no name in the source must count nothing, never everything.
    return tuple(sorted(names)) or (NO_NAME,)


NO_NAME = "(no name in the crosswalk)"


def _months_touching(item: dict[str, Any], months: dict[str, set[str]] | None) -> set[str] | None:
    """The new months to recompute a measure for, or None to recompute it whole."""
    sources = warehouse_measures.sources(item["dataset"])
    if not months or not MONTHLY_DATASETS.issuperset(sources):
        return None
    touched = set().union(*(months.get(source, set()) for source in sources))
    if not touched or not MeasureValue.objects.filter(measure_lineage=item["lineage"]).exists():
        return None  # nothing new, or never computed: every period is new
    return touched


def _keys_by_kind(
    values: Sequence[warehouse_measures.Value], gaps: Sequence[warehouse_measures.Gap] = ()
) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for period in [*(v.period for v in values), *(g.period for g in gaps)]:
        out[period.kind].add(period.key)
    return out


class _GapReasons:
    """Why an area has no figure for a period, as the pages, CSV and API say it."""

    def __init__(self, item: dict[str, Any], area_names: dict[tuple[str, str], str]) -> None:
        self.area_names = area_names
        source = warehouse_measures.sources(item["dataset"])[0]
        self.label = SOURCE_LABELS.get(source, source)
        self.missing: list[list[str]] = []
        self.before = ""
        if item.get("concepts"):
            coverage = MeasureCoverage.objects.filter(measure_lineage=item["lineage"]).first()
            if coverage:
                self.missing, self.before = coverage.missing, coverage.before_reason

    def text(self, gap: warehouse_measures.Gap) -> str:
        area = self.area_names.get((gap.level, gap.area_code), gap.area_code)
        month = dates.period(gap.month)
        if gap.why == "uncovered":
            for first, last, reason in self.missing:
                if first <= gap.month <= last:
                    return f"{reason} in {month}"
            return f"No {self.label} category for this measure was in use in {month}"
        if gap.why == "no_records":
            return f"The {self.label} data has no records of this measure for {area} in {month}"
        if gap.why == "no_population":
            return f"No population estimate for {area} to work out a rate per 1,000 residents from"
        return f"No {self.label} records for {area} in this period to take a percentage of"


def concept_figures(
    *,
    concepts: dict[str, list[str]],
    dataset: str = "mps_crime",
    unit: str = "rate_per_1000",
    kind: str = "financial_year",
) -> dict[str, list[warehouse_measures.Value]]:
    """Figures for crime concepts that are not (or not yet) measures of the plan, computed as
    a measure's are (`measures_recompute`: the same crosswalk, populations, engine and months
    covered), for every area and complete period of one kind; nothing is stored. `concepts`
    maps a key to the concepts it counts. Used by the local priorities' evidence packs."""
    from policeplan.performance.coverage import covered_months

    wanted = {c for found in concepts.values() for c in found}
    crosswalk = selectors.crosswalk_data(concepts=wanted) if wanted else {}
    wh = warehouse()
    if not all(wh.has(source) for source in warehouse_measures.sources(dataset)):
        return {key: [] for key in concepts}
    populations = _populations()
    force_names = geography.force_names()
    con = wh.connect()
    found: dict[str, list[warehouse_measures.Value]] = {}
    tallies: dict = {}
    try:
        for key, slugs in concepts.items():
            item = {"dataset": dataset, "concepts": slugs, "categories": []}
            binding = warehouse_measures.Binding(
                dataset=dataset, unit=unit, categories=binding_categories(item, crosswalk)
            )
            data = warehouse_measures.monthly(
                con, wh, binding, force_names, geography.config()[0].code, tallies=tallies
            )
            values = warehouse_measures.compute(
                data, binding, populations=populations, kinds=[kind]
            )
            covered, _, _ = covered_months(concepts=slugs, dataset=dataset, crosswalk=crosswalk)
            found[key] = [v for v in values if covered.issuperset(v.period.months)]
    finally:
        con.close()
    return found
