"""Reads for performance data."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from policeplan.performance.models import Area, AreaLevel, DataImport, DatasetCoverage, ImportedFile


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
