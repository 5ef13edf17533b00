"""Writes for figures the office receives already counted: a measure reported elsewhere (a
victim survey, a partner's return) gets its figures from a CSV, all or nothing, with the
same intervals, disclosure control and pages as computed measures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.performance.measures import measure_values_insert
from policeplan.performance.models import Area, MeasureGap, MeasureValue, ReportedFigures
from policeplan.warehouse.errors import FileRejected, shown
from policeplan.warehouse.figures import read_figures


def measure_figures_import(
    *, user: Any, lineage: str, path: Path, name: str = "", made_up: bool = False
) -> int:
    """Replace the figures of a measure reported elsewhere with those in the file; returns
    how many were stored. A bad row refuses the file, naming its line and field. `name` is
    the file's name as uploaded (it is stored under a name the server makes). `made_up`
    marks figures made up for the demonstration: every page showing them says so, until
    real figures replace them."""
    name = name or path.name
    from policeplan.plans import selectors as plan_selectors

    if user is not None:
        ensure(user, Perm.IMPORT_DATA)
    measure = next(
        (m for m in plan_selectors.measures_reported_elsewhere() if str(m["lineage"]) == lineage),
        None,
    )
    if measure is None:
        raise FileRejected(name, "that measure is computed from imported data, not a file")
    rows = read_figures(path, unit=measure["unit"], name=name)
    areas = dict(
        Area.objects.filter(code__in={r.area_code for r in rows})
        .exclude(level__in=["lsoa"])
        .values_list("code", "pk")
    )
    for row in rows:
        if row.area_code not in areas:
            raise FileRejected(
                name,
                f"‘{shown(row.area_code)}’ is not one of the office's areas "
                "(force, BCU, borough or ward)",
                line=row.line,
                field="area_code",
            )
    now = timezone.now()
    values = [
        (
            measure["lineage"],
            areas[r.area_code],
            r.period.kind,
            r.period.key,
            r.period.label,
            r.period.start,
            r.period.end,
            r.value,
            r.lower,
            r.upper,
            r.numerator,
            r.denominator,
            now,
            None,  # the base was supplied with the figure: no population year of ours
            False,
        )
        for r in rows
    ]
    with transaction.atomic():
        MeasureValue.objects.filter(measure_lineage=measure["lineage"]).delete()
        # Reported figures replace computed ones whole, with the gaps worked out for them.
        MeasureGap.objects.filter(measure_lineage=measure["lineage"]).delete()
        measure_values_insert(values)
        ReportedFigures.objects.update_or_create(
            measure_lineage=measure["lineage"], defaults={"file_name": name, "made_up": made_up}
        )
        audit_record(
            actor=user,
            action="measure_figures.import",
            changes={
                "measure": [None, measure["title"]],
                "file": [None, name],
                **({"made_up": [None, "yes"]} if made_up else {}),
            },
        )
    return len(values)
