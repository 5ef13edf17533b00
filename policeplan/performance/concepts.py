"""Writes for the crosswalk: the concepts measures count and the source names each stands for.

The crosswalk is kept as data in the repository (crosswalk/concepts.csv and
crosswalk/crosswalk.csv, with each name's source, scheme, months in use and reference).
`crosswalk_seed` brings into the database what it does not hold yet (run after every
migrate, so a new installation and a new release of the files both arrive); it never
overwrites an analyst's edit. Analysts change mappings with `category_mapping_save`: one
transaction with its audit event (the audit log is the crosswalk's edit history), after which
the measures counting the concepts touched are recomputed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record, model_changes
from policeplan.performance.models import CategoryMapping, Concept
from policeplan.warehouse import crosswalk as wh_crosswalk

FOLDER = Path(__file__).resolve().parent / "crosswalk"
MONTH = wh_crosswalk.MONTH_PATTERN
MAPPING_FIELDS = (
    "source",
    "scheme",
    "source_name",
    "concept",
    "in_use_from",
    "in_use_to",
    "reference",
)
SOURCES = ("mps_crime", "street", "outcomes", "stop_search", "pas")


@transaction.atomic
def crosswalk_seed(*, folder: Path = FOLDER) -> dict[str, int]:
    """Add the concepts and mappings of the crosswalk files that the database lacks."""
    concepts = {c.slug: c for c in Concept.objects.all()}
    added_concepts = 0
    for row in wh_crosswalk.read_concepts(folder / "concepts.csv"):
        if row.slug not in concepts:
            concepts[row.slug] = Concept.objects.create(
                slug=row.slug, name=row.name, description=row.description
            )
            added_concepts += 1
    held = set(CategoryMapping.objects.values_list("source", "scheme", "source_name"))
    new = [
        CategoryMapping(
            source=row.source,
            scheme=row.scheme,
            source_name=row.source_name,
            concept=concepts[row.concept],
            in_use_from=row.in_use_from,
            in_use_to=row.in_use_to,
            reference=row.reference,
        )
        for row in wh_crosswalk.read_file(folder / "crosswalk.csv")
        if (row.source, row.scheme, row.source_name) not in held
    ]
    CategoryMapping.objects.bulk_create(new)
    if added_concepts or new:
        audit_record(
            actor=None,
            action="crosswalk.seed",
            changes={"concepts": [None, str(added_concepts)], "mappings": [None, str(len(new))]},
        )
    return {"concepts": added_concepts, "mappings": len(new)}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if data.get("source") not in SOURCES:
        errors["source"] = "Choose the source the name comes from"
    if not (data.get("source_name") or "").strip():
        errors["source_name"] = "Enter the category name exactly as the source writes it"
    if not isinstance(data.get("concept"), Concept):
        errors["concept"] = "Choose the concept the name stands for"
    start, end = data.get("in_use_from") or "", data.get("in_use_to") or ""
    if not MONTH.fullmatch(start):
        errors["in_use_from"] = "Enter the first month the name was in use, like 2023-04"
    if end and not MONTH.fullmatch(end):
        errors["in_use_to"] = (
            "Enter the last month the name was in use, like 2023-07, or leave it blank"
        )
    elif end and start and end < start:
        errors["in_use_to"] = "The last month in use must be the same as or after the first"
    if errors:
        raise ValidationError(errors)
    return {**data, "source_name": data["source_name"].strip()}


@transaction.atomic
def category_mapping_save(
    *, user: Any, data: dict[str, Any], mapping: CategoryMapping | None = None
) -> tuple[CategoryMapping, set[str]]:
    """Add a mapping, or change one (its concept, dates or reference). Returns it with the
    slugs of the concepts whose names changed (before and after), for the recompute."""
    ensure(user, Perm.IMPORT_DATA)
    data = _clean(data)
    is_new = mapping is None
    target = (
        CategoryMapping()
        if mapping is None
        else CategoryMapping.objects.select_for_update().get(pk=mapping.pk)
    )
    before = {name: getattr(target, name) for name in MAPPING_FIELDS} if not is_new else {}
    touched = {before["concept"].slug} if not is_new else set()
    for name in MAPPING_FIELDS:
        if name in data:
            setattr(target, name, data[name])
    clash = CategoryMapping.objects.filter(
        source=target.source, scheme=target.scheme, source_name__iexact=target.source_name
    ).exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError(
            {"source_name": "That name already has a mapping in this source and scheme: change it"}
        )
    target.full_clean()
    target.save()
    touched.add(target.concept.slug)
    audit_record(
        actor=user,
        action="category_mapping.create" if is_new else "category_mapping.update",
        obj=target,
        changes=model_changes(target, MAPPING_FIELDS, before),
    )
    return target, touched
