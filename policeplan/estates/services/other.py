"""Pledges, disposals, the estates strategy and where residents live."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.core.uploads import safe_display_name
from policeplan.estates import coverage as cov
from policeplan.estates import selectors
from policeplan.estates.models import (
    Disposal,
    Pledge,
    PointMethod,
    ResidentPoint,
    StrategyDocument,
)
from policeplan.performance.models import AreaBoundary, Population


@transaction.atomic
def pledge_save(*, user: Any, data: dict[str, Any], pledge: Pledge | None = None) -> Pledge:
    ensure(user, Perm.MANAGE_ESTATE)
    creating = pledge is None
    pledge = pledge or Pledge(created_by=user)
    before = {k: getattr(pledge, k) for k in data}
    for name, value in data.items():
        setattr(pledge, name, value)
    pledge.modified_by = user
    pledge.full_clean()
    pledge.save()
    audit_record(
        actor=user,
        action="estates.pledge_created" if creating else "estates.pledge_changed",
        obj=pledge,
        changes={k: [str(before[k]), str(v)] for k, v in data.items() if before[k] != v},
    )
    return pledge


@transaction.atomic
def disposal_save(*, user: Any, data: dict[str, Any], disposal: Disposal | None = None) -> Disposal:
    """Record or change a disposal. A sale needs its date and receipt together; exempt
    figures need the reason they are withheld."""
    ensure(user, Perm.MANAGE_ESTATE)
    creating = disposal is None
    disposal = disposal or Disposal(created_by=user)
    before = {k: getattr(disposal, k, None) for k in data}
    for name, value in data.items():
        setattr(disposal, name, value)
    errors: dict[str, str] = {}
    if disposal.exempt and not disposal.exempt_reason.strip():
        errors["exempt_reason"] = "Say why the figures are exempt from publication"
    if disposal.actual_receipt is not None and disposal.sold_on is None:
        errors["sold_on"] = "Enter the date of the sale the receipt came from"
    if disposal.sold_on and disposal.decided_on and disposal.sold_on < disposal.decided_on:
        errors["sold_on"] = "The sale must be on or after the decision"
    today = timezone.localdate()
    if disposal.decided_on and disposal.decided_on > today:
        errors["decided_on"] = "The decision date must be today or in the past"
    if disposal.sold_on and disposal.sold_on > today:
        errors["sold_on"] = "The sale date must be today or in the past: record it once sold"
    if disposal.decision_reference.strip():
        from policeplan.core.selectors import office_current
        from policeplan.scrutiny import references

        try:
            disposal.decision_reference = references.normalise(
                disposal.decision_reference, allowed=references.prefixes(office_current())
            )
        except ValidationError as error:
            errors["decision_reference"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    disposal.modified_by = user
    disposal.full_clean()
    disposal.save()
    audit_record(
        actor=user,
        action="estates.disposal_recorded" if creating else "estates.disposal_changed",
        obj=disposal,
        changes={k: [str(before[k]), str(v)] for k, v in data.items() if before[k] != v},
    )
    return disposal


@transaction.atomic
def strategy_document_add(
    *, user: Any, title: str, published_on: datetime.date, summary: str, upload: UploadedFile
) -> StrategyDocument:
    ensure(user, Perm.MANAGE_ESTATE)
    given = safe_display_name(upload.name or "")
    name = given if given.lower().endswith(".pdf") else f"{given.rsplit('.', 1)[0]}.pdf"
    document = StrategyDocument(
        title=title,
        published_on=published_on,
        summary=summary,
        original_name=name,  # the form checked it is a PDF: it is stored and sent as one
        size=upload.size or 0,
        created_by=user,
    )
    document.file.save("strategy.pdf", upload, save=False)
    document.save()
    audit_record(actor=user, action="estates.strategy_added", obj=document)
    return document


# ---- Where residents live ---------------------------------------------------------------

CODE = re.compile(r"^lsoa\d\dcd$", re.IGNORECASE)
LAD = re.compile(r"^lad\d\dcd$", re.IGNORECASE)
PERSONS = ("persons_all-ages", "all ages", "all_ages", "population", "persons")


def _populations(data: bytes, name: str) -> dict[str, tuple[str, int]]:
    """LSOA code -> (local authority code, residents) from an ONS LSOA estimates CSV."""
    shown = safe_display_name(name, limit=80)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{shown}: the file is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    lowered = [h.lower() for h in header]
    code = next((i for i, h in enumerate(header) if CODE.match(h)), None)
    lad = next((i for i, h in enumerate(header) if LAD.match(h)), None)
    persons = next((lowered.index(p) for p in PERSONS if p in lowered), None)
    for found, what in (
        (code, "an LSOA code column (LSOA11CD)"),
        (lad, "a local authority code column (LAD11CD)"),
        (persons, "a Persons_All-Ages column"),
    ):
        if found is None:
            raise ValidationError(f"{shown}, line 1: the header has no {what}")
    assert code is not None and lad is not None and persons is not None
    rows: dict[str, tuple[str, int]] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ValidationError(
                f"{shown}, line {line}: {len(row)} cells, the header has {len(header)}"
            )
        value = row[persons].strip().replace(",", "")
        if not value.isdigit():
            raise ValidationError(
                f"{shown}, line {line}, field {header[persons]}: ‘{value[:20]}’ is not a "
                "whole number"
            )
        key = row[code].strip()
        if key in rows:
            raise ValidationError(
                f"{shown}, line {line}, field {header[code]}: {key[:20]} is on an earlier line too"
            )
        rows[key] = (row[lad].strip(), int(value))
    return rows


@transaction.atomic
def resident_points_import(
    *,
    user: Any,
    centroids: dict[str, tuple[float, float]],
    populations: bytes,
    populations_name: str,
    year: int,
    source: str,
) -> int:
    """Replace the resident points of the force's boroughs with the ONS population-weighted
    centroid of each LSOA and its residents. Every LSOA of the force's boroughs in the
    estimates must have a centroid, or nothing is written. `user` None: the operator, at the
    command line (`policeplan estate-residents`)."""
    if user is not None:
        ensure(user, Perm.MANAGE_ESTATE)
    areas = {a.code: a for a in selectors.boroughs()}
    rows = {k: v for k, v in _populations(populations, populations_name).items() if v[0] in areas}
    if not rows:
        raise ValidationError(
            f"{safe_display_name(populations_name, limit=80)}: no LSOA in it is in the "
            "force's boroughs"
        )
    missing = sorted(code for code in rows if code not in centroids)
    if missing:
        raise ValidationError(
            f"{len(missing):,} LSOAs in {safe_display_name(populations_name, limit=80)} have no "
            f"centroid in the centroids file, for example {', '.join(missing[:3])}: the two "
            "files must be of the same LSOA edition (2011 or 2021)"
        )
    ResidentPoint.objects.filter(borough__in=areas.values()).delete()
    ResidentPoint.objects.bulk_create(
        ResidentPoint(
            borough=areas[lad],
            code=code,
            latitude=centroids[code][0],
            longitude=centroids[code][1],
            population=people,
            population_year=year,
            method=PointMethod.ONS_CENTROID,
            source=source[:300],
        )
        for code, (lad, people) in rows.items()
    )
    audit_record(
        actor=user,
        action="estates.resident_points_imported",
        changes={"points": len(rows), "source": source[:300]},
    )
    return len(rows)


@transaction.atomic
def resident_points_even_spread(*, user: Any, spacing_m: float = 500) -> int:
    """For the demo, which ships no LSOA centroids: each borough's latest population spread
    evenly over its boundary (`coverage.even_spread_points`), marked as such wherever the
    figures are shown. Boroughs without a boundary or a population are left without."""
    ensure(user, Perm.MANAGE_ESTATE)
    areas = selectors.boroughs()
    outlines = dict(AreaBoundary.objects.filter(area__in=areas).values_list("area_id", "geometry"))
    latest: dict[int, Population] = {}
    for estimate in Population.objects.filter(area__in=areas).order_by("year"):
        latest[estimate.area_id] = estimate
    ResidentPoint.objects.filter(borough__in=areas).delete()
    made: list[ResidentPoint] = []
    for area in areas:
        if area.pk not in outlines or area.pk not in latest:
            continue
        estimate = latest[area.pk]
        for point in cov.even_spread_points(
            area.code, outlines[area.pk], estimate.value, spacing_m=spacing_m
        ):
            made.append(
                ResidentPoint(
                    borough=area,
                    code=point.code,
                    latitude=point.latitude,
                    longitude=point.longitude,
                    population=point.population,
                    population_year=estimate.year,
                    method=PointMethod.EVEN_SPREAD,
                    source=f"{estimate.source} over the borough boundary, {spacing_m:.0f} m grid",
                )
            )
    ResidentPoint.objects.bulk_create(made, batch_size=2000)
    audit_record(actor=user, action="estates.resident_points_spread", changes={"points": len(made)})
    return len(made)
