"""Reads for performance data."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from policeplan.performance.models import (
    Area,
    AreaBoundary,
    AreaLevel,
    CategoryMapping,
    Caveat,
    Commentary,
    CommentaryState,
    Concept,
    DataImport,
    DatasetCoverage,
    ImportedFile,
    ImportKind,
    ImportStatus,
    MeasureCoverage,
    MeasureGap,
    MeasureValue,
    Population,
    ReportedFigures,
)
from policeplan.warehouse import crosswalk as wh_crosswalk

if TYPE_CHECKING:
    from policeplan.performance.presenter import Headline, MeasureView
    from policeplan.plans.models import Measure
    from policeplan.warehouse.assess import Assessment


def imports_recent(*, limit: int = 50) -> QuerySet[DataImport]:
    return DataImport.objects.select_related("created_by").annotate(file_count=Count("files"))[
        :limit
    ]


def data_import_detail(*, pk: int) -> DataImport:
    try:
        return (
            DataImport.objects.select_related("created_by")
            .prefetch_related(
                Prefetch("files", queryset=ImportedFile.objects.order_by("file_name"))
            )
            .get(pk=pk)
        )
    except DataImport.DoesNotExist:
        raise Http404("No such import") from None


def coverage_all() -> list[DatasetCoverage]:
    """Coverage of every dataset, with `scope_name` the force's name where the scope is a force."""
    forces = dict(Area.objects.filter(level=AreaLevel.FORCE).values_list("code", "name"))
    coverage = list(DatasetCoverage.objects.order_by("dataset", "scope"))
    for item in coverage:
        item.scope_name = forces.get(item.scope, item.scope)  # type: ignore[attr-defined]
    return coverage


def geography_summary() -> dict[str, int]:
    counts = dict(
        Area.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    return {level.label: counts.get(level.value, 0) for level in AreaLevel}


AREA_ORDER: dict[str, int] = {"force": 0, "bcu": 1, "borough": 2}


def figures_version(*, lineage: str) -> tuple:
    """Changes whenever a measure's figures are recomputed, a caveat changes or the maps'
    geography is imported (for caching). Read on every measure page: three small queries,
    the first from an index alone."""
    computed = (
        MeasureValue.objects.filter(measure_lineage=lineage)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )
    caveats = Caveat.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    maps = (
        DataImport.objects.filter(
            status=ImportStatus.SUCCEEDED,
            kind__in=[ImportKind.ONS_LOOKUP, ImportKind.TILE_GRID, ImportKind.BOUNDARIES],
        )
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return (computed, caveats["n"], caveats["last"], maps)


def made_up_lineages() -> set[str]:
    """The measures whose figures were made up for the demonstration (one small query): every
    page, download and API response that shows their figures says so."""
    return {
        str(lineage)
        for lineage in ReportedFigures.objects.filter(made_up=True).values_list(
            "measure_lineage", flat=True
        )
    }


def caveats_for(
    *, dataset: str, categories: list[str], concepts: list[str] | None = None
) -> list[Caveat]:
    """The caveats of the datasets a measure is computed from that touch its categories (for a
    measure bound to concepts: any name, in any scheme, that stands for one of them)."""
    from policeplan.warehouse.measures import sources

    if concepts:
        categories = list(
            CategoryMapping.objects.filter(concept__slug__in=concepts).values_list(
                "source_name", flat=True
            )
        ) or ["(no name in the crosswalk)"]

    return [
        c
        for c in Caveat.objects.filter(dataset__in=sources(dataset))
        if c.applies_to(c.dataset, categories)
    ]


def caveats_all() -> list[Caveat]:
    return list(Caveat.objects.order_by("dataset", "effective_from", "pk"))


def caveat_get(*, pk: int) -> Caveat:
    try:
        return Caveat.objects.get(pk=pk)
    except Caveat.DoesNotExist:
        raise Http404("No such caveat") from None


def main_force() -> Area | None:
    """The office's own force area (the first force in the geography configuration)."""
    from policeplan.performance import geography

    forces = geography.config()
    return (
        Area.objects.filter(level=AreaLevel.FORCE, code=forces[0].code).first() if forces else None
    )


def populations_exist() -> bool:
    """Whether any population estimate has been imported (rates need one)."""
    return Population.objects.exists()


def measure_areas(*, lineage: str) -> list[Area]:
    """Areas that have figures for a measure, or periods it is not available for (a borough
    with no population for a rate: its page says why): the force first, then BCUs, boroughs."""
    ids = (
        MeasureValue.objects.filter(measure_lineage=lineage).order_by().values("area_id").distinct()
    )
    gap_ids = (
        MeasureGap.objects.filter(measure_lineage=lineage).order_by().values("area_id").distinct()
    )
    areas = Area.objects.filter(Q(pk__in=ids) | Q(pk__in=gap_ids))
    return sorted(areas, key=lambda a: (AREA_ORDER.get(a.level, 9), a.name))


def measure_figures(*, lineage: str, area: Area, kind: str) -> list[MeasureValue]:
    return list(
        MeasureValue.objects.filter(measure_lineage=lineage, area=area, period_kind=kind).order_by(
            "period_end"
        )
    )


def measure_kinds(*, lineage: str) -> list[str]:
    from policeplan.warehouse.periods import KINDS

    present = {
        kind
        for model in (MeasureValue, MeasureGap)
        for kind in model.objects.filter(measure_lineage=lineage)
        .order_by()
        .values_list("period_kind", flat=True)
        .distinct()
    }
    return [k for k in KINDS if k in present]


def measure_comparison(*, lineage: str, kind: str, period_key: str) -> list[MeasureValue]:
    """Every borough's figure for one period."""
    return list(
        MeasureValue.objects.filter(
            measure_lineage=lineage,
            period_kind=kind,
            period_key=period_key,
            area__level=AreaLevel.BOROUGH,
        ).select_related("area")
    )


def measure_comparison_gaps(*, lineage: str, kind: str, period_key: str) -> list[MeasureGap]:
    """The boroughs with no figure for one period, and why (listed, never shown as 0)."""
    return list(
        MeasureGap.objects.filter(
            measure_lineage=lineage,
            period_kind=kind,
            period_key=period_key,
            area__level=AreaLevel.BOROUGH,
        )
        .select_related("area")
        .order_by("area__name")
    )


def measure_gaps(*, lineage: str, area: Area, kind: str) -> list[MeasureGap]:
    """The periods of a measure's span that an area has no figure for, with the reason."""
    return list(
        MeasureGap.objects.filter(measure_lineage=lineage, area=area, period_kind=kind).order_by(
            "period_end"
        )
    )


def measure_gaps_filtered(
    *, lineage: str, area: str | None, kind: str | None, start: str | None, end: str | None
) -> QuerySet[MeasureGap]:
    """A measure's not-available periods, filtered as measure_values_filtered filters figures."""
    found = MeasureGap.objects.filter(measure_lineage=lineage).select_related("area")
    if area:
        found = found.filter(area__code=area)
    if kind:
        found = found.filter(period_kind=kind)
    if start:
        found = found.filter(period_end__gte=start)
    if end:
        found = found.filter(period_end__lte=end)
    return found.order_by("area__level", "area__name", "period_kind", "period_end")


def measure_values_filtered(
    *, lineage: str, area: str | None, kind: str | None, start: str | None, end: str | None
) -> QuerySet[MeasureValue]:
    """A measure's figures, optionally for one area, kind of period and span of months."""
    found = MeasureValue.objects.filter(measure_lineage=lineage).select_related("area")
    if area:
        found = found.filter(area__code=area)
    if kind:
        found = found.filter(period_kind=kind)
    if start:
        found = found.filter(period_end__gte=start)
    if end:
        found = found.filter(period_end__lte=end)
    return found.order_by("area__level", "area__name", "period_kind", "period_end")


def headline_figures(
    *, lineages: list[str], area: Area | None, kinds: set[str]
) -> dict[str, list[MeasureValue]]:
    """Figures for several measures in one area, by lineage (one query)."""
    out: dict[str, list[MeasureValue]] = {}
    if area is None or not lineages:
        return out
    for value in MeasureValue.objects.filter(
        measure_lineage__in=lineages, area=area, period_kind__in=kinds
    ).order_by("period_end"):
        out.setdefault(str(value.measure_lineage), []).append(value)
    return out


def area_boundaries(*, area_ids: list[int]) -> dict[int, dict]:
    """The loaded boundaries of these areas, by area id (one query)."""
    return dict(
        AreaBoundary.objects.filter(area_id__in=area_ids).values_list("area_id", "geometry")
    )


def borough_names() -> dict[str, str]:
    """The configured boroughs (code -> name), for questions and event locations."""
    from django.conf import settings

    return dict(_borough_names(settings.GEOGRAPHY))


@functools.lru_cache(maxsize=4)
def _borough_names(geography: str) -> tuple[tuple[str, str], ...]:
    from policeplan.performance.geography import configured_borough_names

    return tuple(configured_borough_names(geography).items())


def crosswalk_data(*, concepts: set[str] | None = None) -> dict[str, list[wh_crosswalk.Name]]:
    """The crosswalk as the warehouse takes it: concept slug -> its names."""
    rows = CategoryMapping.objects.select_related("concept")
    if concepts is not None:
        rows = rows.filter(concept__slug__in=concepts)
    out: dict[str, list[wh_crosswalk.Name]] = {}
    for m in rows:
        out.setdefault(m.concept.slug, []).append(
            wh_crosswalk.Name(
                source=m.source,
                scheme=m.scheme,
                name=m.source_name,
                in_use_from=m.in_use_from,
                in_use_to=m.in_use_to or None,
            )
        )
    return out


def concept_slugs() -> set[str]:
    return set(Concept.objects.values_list("slug", flat=True))


def concepts_all() -> QuerySet[Concept]:
    return Concept.objects.order_by("name")


def crosswalk_rows(*, source: str = "") -> QuerySet[CategoryMapping]:
    """The crosswalk for its page: every mapping with its concept, by source and name."""
    rows = CategoryMapping.objects.select_related("concept").order_by(
        "source", "scheme", "concept__name", "in_use_from", "source_name"
    )
    return rows.filter(source=source) if source else rows


def category_mapping(*, pk: int) -> CategoryMapping:
    try:
        return CategoryMapping.objects.select_related("concept").get(pk=pk)
    except CategoryMapping.DoesNotExist:
        raise Http404("No such mapping") from None


def measure_coverage(*, lineage: str) -> MeasureCoverage | None:
    return MeasureCoverage.objects.filter(measure_lineage=lineage).first()


def measure_how_made(*, concepts: list[str], dataset: str) -> list[dict]:
    """For "How this figure is made": each concept with the names it stands for in the sources
    the measure is computed from, in the order they came into use."""
    from policeplan.warehouse.measures import sources

    wanted = set(sources(dataset))
    found = {c.slug: c for c in Concept.objects.filter(slug__in=concepts)}
    mappings = (
        CategoryMapping.objects.filter(concept__slug__in=concepts, source__in=wanted)
        .select_related("concept")
        .order_by("scheme", "in_use_from", "source_name")
    )
    by_concept: dict[str, list[CategoryMapping]] = {}
    for mapping in mappings:
        by_concept.setdefault(mapping.concept.slug, []).append(mapping)
    return [
        {
            "concept": found[slug],
            "counted": [
                m
                for m in by_concept.get(slug, [])
                if m.scheme == wh_crosswalk.counted_scheme(m.source)
            ],
            "other_schemes": [
                m
                for m in by_concept.get(slug, [])
                if m.scheme != wh_crosswalk.counted_scheme(m.source)
            ],
        }
        for slug in concepts
        if slug in found
    ]


def measure_counted_names(*, concepts: list[str], dataset: str) -> list[str]:
    """The source names a measure bound to concepts counts (in the scheme it is counted in)."""
    from policeplan.warehouse.measures import sources

    data = crosswalk_data(concepts=set(concepts))
    return sorted(
        {name for s in sources(dataset) for name in wh_crosswalk.categories(data, concepts, s)}
    )


def population_span() -> dict[str, object] | None:
    """The population estimates rates are computed with: their source and years."""
    from django.db.models import Min

    found = (
        Population.objects.filter(area__level=AreaLevel.BOROUGH)
        .values("source")
        .annotate(first=Min("year"), last=Max("year"))
        .order_by("-last")
        .first()
    )
    return dict(found) if found else None


# The one measure presenter (`performance.presenter`): how every page shows a measure.


def measure_headlines(*, measures: list[Measure], area: Area | None) -> dict[int, Headline]:
    """By measure id: its latest headline figure for the area as a `presenter.Headline`
    (figure with its unit or 'No figures yet', interval, period, status, made-up flag), the
    same on a dashboard, a tracker, a report and a 'you said, we did' page."""
    from policeplan.performance import presenter

    return presenter.headlines(measures, area=area)


def measure_choice(
    *, measure: Measure, areas: list[Area], kinds: list[str], area: str | None, kind: str | None
) -> tuple[Area | None, str]:
    """The area and kind of period a measure's figures are shown for (see presenter.choose)."""
    from policeplan.performance import presenter

    return presenter.choose(measure, areas=areas, kinds=kinds, area=area, kind=kind)


def measure_view(
    *,
    measure: Measure,
    areas: list[Area],
    kinds: list[str],
    area: Area | None,
    kind: str,
    until: str | None = None,
) -> MeasureView:
    """Everything a measure shows for one area and kind of period, as a
    `presenter.MeasureView`: figures, status, table rows and chart specs. With `until`
    (YYYY-MM), as it stood for periods ending by that month (a report for a past period)."""
    from policeplan.performance import presenter

    return presenter.measure_view(
        measure, areas=areas, kinds=kinds, area=area, kind=kind, until=until
    )


def measure_period_figures(*, lineage: str, kind: str, period_key: str) -> list[MeasureValue]:
    """Every area's figure of a measure for one period: the force first, then BCUs and
    boroughs, each by name (one query)."""
    found = MeasureValue.objects.filter(
        measure_lineage=lineage, period_kind=kind, period_key=period_key
    ).select_related("area")
    return sorted(found, key=lambda v: (AREA_ORDER.get(v.area.level, 9), v.area.name))


def figures_at(*, keys: list[tuple[str, int, str, str]]) -> dict[tuple[str, int, str, str], tuple]:
    """(value, lower, upper) now of each (lineage, area id, kind, period key) asked for that
    still has a figure (one query, one condition per measure and period whatever the number
    of areas): how a published report sees whether its figures were revised since."""
    if not keys:
        return {}
    wanted = set(keys)
    query = Q()
    for lineage, kind, key in {(k[0], k[2], k[3]) for k in wanted}:
        query |= Q(measure_lineage=lineage, period_kind=kind, period_key=key)
    rows = MeasureValue.objects.filter(query).values_list(
        "measure_lineage", "area_id", "period_kind", "period_key", "value", "lower", "upper"
    )
    found = {(str(r[0]), r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in rows}
    return {key: value for key, value in found.items() if key in wanted}


def import_sources() -> list[dict[str, object]]:
    """The files behind the figures now: each successful import's files with their SHA-256
    (what a published report records, so its figures can be traced to the files)."""
    rows = (
        ImportedFile.objects.filter(data_import__status=ImportStatus.SUCCEEDED)
        .select_related("data_import")
        .order_by("data_import__finished_at", "file_name", "pk")
    )
    return [
        {
            "import": f.data_import_id,
            "kind": f.data_import.get_kind_display(),
            "file": f.file_name,
            "sha256": f.sha256,
        }
        for f in rows
    ]


def measure_assessment(*, measure: Measure, values: list[MeasureValue]) -> Assessment:
    """How the measure is doing on these figures of one kind of period, by the readable rules."""
    from policeplan.performance import presenter

    return presenter.assess_measure(measure, values)


# Commentary: what the office says about a measure's figures for a period.

PERIOD_KIND_ORDER = ("financial_year", "quarter", "rolling_12", "month")
MISSING = "missing"


@dataclass(frozen=True)
class CommentaryStatus:
    """One measure's commentary for a period: missing, draft or approved."""

    measure_lineage: str
    state: str  # MISSING, or a CommentaryState
    commentary: Commentary | None

    @property
    def approved(self) -> bool:
        return self.state == CommentaryState.APPROVED


def commentary_status(
    *, measure_lineages: Iterable[str | UUID], period_kind: str, period_key: str
) -> dict[str, CommentaryStatus]:
    """For each measure (by lineage, in the order given): whether its commentary for the
    period is missing, a draft or approved (one query). A report may be published only when
    every measure it shows is approved: see `commentary_unapproved`."""
    lineages = [str(lineage) for lineage in measure_lineages]
    found = {
        str(c.measure_lineage): c
        for c in Commentary.objects.filter(
            measure_lineage__in=lineages, period_kind=period_kind, period_key=period_key
        ).select_related("drafted_by", "approved_by")
    }
    return {
        lineage: CommentaryStatus(
            measure_lineage=lineage,
            state=found[lineage].state if lineage in found else MISSING,
            commentary=found.get(lineage),
        )
        for lineage in lineages
    }


def commentary_unapproved(
    *, measure_lineages: Iterable[str | UUID], period_kind: str, period_key: str
) -> list[CommentaryStatus]:
    """The measures whose commentary for the period is missing or not yet approved, in the
    order given: what stops a report showing them from being published."""
    status = commentary_status(
        measure_lineages=measure_lineages, period_kind=period_kind, period_key=period_key
    )
    return [s for s in status.values() if not s.approved]


def commentary_get(*, measure_lineage: str, period_kind: str, period_key: str) -> Commentary | None:
    """A measure's commentary for a period in whatever state (for staff)."""
    return (
        Commentary.objects.select_related("drafted_by", "approved_by")
        .filter(measure_lineage=measure_lineage, period_kind=period_kind, period_key=period_key)
        .first()
    )


def commentary_for(*, measure_lineage: str, period_kind: str, period_key: str) -> Commentary | None:
    """A measure's commentary for a period as the public may read it: approved, or none."""
    return Commentary.objects.filter(
        measure_lineage=measure_lineage,
        period_kind=period_kind,
        period_key=period_key,
        state=CommentaryState.APPROVED,
    ).first()


def commentary_version(*, lineage: str) -> tuple:
    """Changes whenever a measure's commentary changes (for caching its page)."""
    found = Commentary.objects.filter(measure_lineage=lineage).aggregate(
        n=Count("id"), last=Max("modified_at")
    )
    return (found["n"], found["last"])


def commentary_periods(*, measure_lineages: Iterable[str | UUID]) -> list[tuple[str, str, str]]:
    """(kind, key, label) of every period these measures have figures for: financial years
    first, then quarters, rolling years and months, newest first within each kind."""
    rows = (
        MeasureValue.objects.filter(measure_lineage__in=[str(x) for x in measure_lineages])
        .values_list("period_kind", "period_key", "period_label", "period_end")
        .distinct()
    )
    ordered = sorted(set(rows), key=lambda r: r[3], reverse=True)  # newest first
    ordered.sort(  # stable: newest first within each kind
        key=lambda r: PERIOD_KIND_ORDER.index(r[0]) if r[0] in PERIOD_KIND_ORDER else 99
    )
    seen: set[tuple[str, str]] = set()
    periods = []
    for kind, key, label, _end in ordered:
        if (kind, key) not in seen:
            seen.add((kind, key))
            periods.append((kind, key, label))
    return periods


def latest_month() -> str | None:
    """The last month any figure covers (YYYY-MM), or None with no figures."""
    return MeasureValue.objects.order_by("-period_end").values_list("period_end", flat=True).first()
