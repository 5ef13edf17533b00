"""What an import changed in the categories it brought: names that map to no concept in the
crosswalk (a warning on the import's page, never a rejection), and categories that began or
stopped being recorded, which become dated series-break caveats analysts can reword."""

from __future__ import annotations

from typing import Any

import duckdb
from django.db import transaction

from policeplan.core import dates
from policeplan.core.services import audit_record
from policeplan.performance.coverage import SOURCE_LABELS
from policeplan.performance.models import CategoryMapping, Caveat
from policeplan.warehouse import crosswalk as wh_crosswalk
from policeplan.warehouse.store import Warehouse

KIND_DATASETS = {
    "mps-crime": ("mps_crime",),
    "police-uk": ("street", "stop_search"),
    "pas": ("pas",),
}
WHAT = {
    "mps_crime": "category",
    "street": "crime type",
    "stop_search": "stop and search outcome",
    "pas": "survey measure",
}


def spans_read(con: duckdb.DuckDBPyConnection, wh: Warehouse, kind: str) -> dict[str, Any]:
    return {d: wh_crosswalk.category_spans(con, wh, d) for d in KIND_DATASETS.get(kind, ())}


@transaction.atomic
def import_categories_review(
    *, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, str]]:
    """Create the caveats for categories that began or stopped being recorded (once: a
    re-import changes nothing) and return the names the import brought that map to no
    concept, for its page."""
    mapped = {
        (m.source, m.scheme, m.source_name.lower()): m.concept.name
        for m in CategoryMapping.objects.select_related("concept")
    }
    unmapped: list[dict[str, str]] = []
    for dataset, spans in after.items():
        old = before.get(dataset, ({}, {}))
        for scheme, name in sorted(wh_crosswalk.touched_names(old, spans)):
            if (dataset, scheme, name.lower()) not in mapped:
                unmapped.append({"dataset": dataset, "scheme": scheme, "name": name})
        for change in wh_crosswalk.changes(old, spans):
            concept = mapped.get((dataset, change.scheme, change.name.lower()))
            _caveat_for(dataset, change, concept)
    return unmapped


def _caveat_for(dataset: str, change: wh_crosswalk.Change, concept: str | None) -> None:
    label, what = SOURCE_LABELS.get(dataset, dataset), WHAT.get(dataset, "category")
    scheme = f" ({change.scheme} scheme)" if change.scheme else ""
    if change.began:
        title = f"‘{change.name}’ first recorded"
        text = (
            f"The {label} {what} ‘{change.name}’{scheme} is in regular use from "
            f"{dates.period(change.month)}"
        )
    else:
        title = f"‘{change.name}’ no longer recorded"
        text = (
            f"The {label} {what} ‘{change.name}’{scheme} is no longer in regular use from "
            f"{dates.period(change.month)}"
        )
    text += (
        f". It stands for {concept.lower()} in the crosswalk: compare figures across the "
        "change with care."
        if concept
        else ". It maps to no concept in the crosswalk yet."
    )
    existing = Caveat.objects.filter(dataset=dataset, effective_from=change.month)
    if any(c.categories == [change.name] for c in existing):
        return
    caveat = Caveat.objects.create(
        dataset=dataset,
        effective_from=change.month,
        title=title[:120],
        text=text,
        categories=[change.name],
        is_series_break=True,
    )
    audit_record(
        actor=None,
        action="caveat.create",
        obj=caveat,
        changes={"title": [None, caveat.title], "detected_on_import": [None, "yes"]},
    )
