"""Coverage of measures bound to concepts: the months their source could have recorded them.

A month is covered when the warehouse holds the source for it and at least one of the source's
names for the measure's concepts was in use (crosswalk dates). A period with an uncovered
month is not stored, so it is never published as 0; the measure page says why with the
reasons kept here."""

from __future__ import annotations

from typing import Any

from policeplan.core import dates
from policeplan.performance.models import Concept, DatasetCoverage, MeasureCoverage
from policeplan.warehouse import crosswalk as wh_crosswalk

SOURCE_LABELS = {
    "mps_crime": "MPS",
    "street": "data.police.uk",
    "outcomes": "data.police.uk",
    "stop_search": "data.police.uk stop and search",
    "pas": "Public Attitude Survey",
}


def _held_months(source: str) -> set[str]:
    scheme = wh_crosswalk.counted_scheme(source)
    months: set[str] = set()
    for scope, held in DatasetCoverage.objects.filter(dataset=source).values_list(
        "scope", "months"
    ):
        if not scheme or f"{scheme} scheme" in scope:
            # Months as YYYY-MM: the survey's are its quarters' last days (2023-12-31), read
            # as the month they end, as the measure's figures are.
            months.update(m[:7] for m in held)
    return months


def _runs(months: list[str]) -> list[tuple[str, str]]:
    """Consecutive months as (first, last) runs."""
    runs: list[tuple[str, str]] = []
    for month in sorted(months):
        if runs and wh_crosswalk.month_span(runs[-1][1], month)[1:] == [month]:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def covered_months(
    *, concepts: list[str], dataset: str, crosswalk: wh_crosswalk.Crosswalk
) -> tuple[set[str], set[str], list[str]]:
    """The months a source could have recorded these concepts (held, and a name for them in
    use), the months held at all, and the first month each source's names came into use."""
    from policeplan.warehouse import measures as warehouse_measures  # numpy: loaded when used

    covered: set[str] = set()
    held: set[str] = set()
    first_names: list[str] = []
    for source in warehouse_measures.sources(dataset):
        source_names = wh_crosswalk.names_for(crosswalk, concepts, source)
        months = _held_months(source)
        held |= months
        covered |= wh_crosswalk.months_in_use(source_names, months)
        if first := wh_crosswalk.first_in_use(source_names):
            first_names.append(first)
    return covered, held, first_names


def measure_coverage_refresh(
    *, item: dict[str, Any], crosswalk: wh_crosswalk.Crosswalk
) -> set[str]:
    """Work out and store a concept measure's coverage; returns the covered months."""
    from policeplan.warehouse import measures as warehouse_measures  # numpy: loaded when used

    concepts = list(item.get("concepts") or ())
    names = {c.slug: c.name.lower() for c in Concept.objects.filter(slug__in=concepts)}
    what = " or ".join(names.get(c, c) for c in concepts)
    covered, held, first_names = covered_months(
        concepts=concepts, dataset=item["dataset"], crosswalk=crosswalk
    )
    label = "the source"
    for source in warehouse_measures.sources(item["dataset"]):
        label = SOURCE_LABELS.get(source, source)
    first, last = (min(covered), max(covered)) if covered else ("", "")
    missing = [
        [a, b, f"No {label} category for {what} was in use"]
        for a, b in _runs(
            [m for m in held if first <= m <= last and m not in covered] if covered else []
        )
    ]
    if covered:
        before = f"No {label} records of {what} before {dates.period(first)}"
    elif first_names:
        before = f"No {label} records of {what} yet: its categories are in use from " + (
            dates.period(min(first_names))
        )
    else:
        before = f"No {label} category stands for {what} in the crosswalk"
    MeasureCoverage.objects.update_or_create(
        measure_lineage=item["lineage"],
        defaults={
            "first_month": first,
            "last_month": last,
            "missing": missing,
            "before_reason": before,
        },
    )
    return covered
