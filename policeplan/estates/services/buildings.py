"""Buildings and their opening hours: one at a time from the staff pages, many from the
estate spreadsheet (all or nothing), or from data.police.uk's neighbourhood locations."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core import dates
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.core.spreadsheet import Problems, Row
from policeplan.estates import hours as hrs
from policeplan.estates import selectors
from policeplan.estates.estate_sheet import ESTATE
from policeplan.estates.models import Building, BuildingKind, BuildingStatus, HoursSchedule
from policeplan.performance.models import Area, AreaBoundary

BUILDING_FIELDS = (
    "name",
    "address",
    "postcode",
    "borough",
    "latitude",
    "longitude",
    "kind",
    "status",
    "step_free",
    "services",
)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Area) else value


def _changes(building: Building, data: dict[str, Any]) -> dict[str, list[Any]]:
    changes = {}
    for name in BUILDING_FIELDS:
        if name not in data:
            continue
        before = getattr(building, name) if building.pk else None
        after = data[name]
        if before != after:
            changes[name] = [_plain(before), _plain(after)]
    return changes


CLOSED_STATUSES = {BuildingStatus.CLOSED, BuildingStatus.DISPOSED}


PUBLIC_KINDS = selectors.PUBLIC_KINDS  # the types the public can use (one list, in selectors)


def _open_hours_now_or_planned(building: Building) -> bool:
    today = timezone.localdate()
    schedules = list(building.schedules.order_by("starts_on"))
    in_force = [s for s in schedules if s.starts_on <= today][-1:]
    later = [s for s in schedules if s.starts_on > today]
    return any(hrs.parse(s.hours).spans for s in in_force + later)


def status_problem(
    building: Building, *, recording_hours: bool = False, left_public: bool = False
) -> str:
    """Why the building's status or type disagrees with its hours, or "": a building marked
    closed or disposed of, or of a type the public cannot use (an office, a custody suite),
    must have no public hours in force today or planned. A counter leaves public use by
    dated hours ("closed" from a day), so the record of what was open on a date stays true.
    `left_public`: its type has just changed from a public one (a correction of a type
    entered wrongly is made after recording its hours as they really were)."""
    if building.pk is None:
        return ""
    closed = building.status in CLOSED_STATUSES
    private = left_public and building.kind not in PUBLIC_KINDS
    if not (closed or private) or not _open_hours_now_or_planned(building):
        return ""
    what = (
        f"marked “{building.get_status_display()}”"
        if closed
        else f"a “{building.get_kind_display()}” (not open to the public)"
    )
    if recording_hours:
        return (
            f"{building.name} is {what}: change that first (to reopen it, mark it open), then "
            "record the hours it opens"
        )
    return (
        f"{building.name} cannot be {what} while it has public opening hours in force or "
        "planned: record its hours as “closed” from the day it closed first"
    )


@transaction.atomic
def building_save(
    *,
    user: Any,
    data: dict[str, Any],
    building: Building | None = None,
    reference: str = "",
    check_status: bool = True,
) -> Building:
    """Create a building (with `reference`) or change one; audited with what changed.
    `check_status=False`: the caller checks the status against the hours itself, once it has
    recorded those too (the import)."""
    ensure(user, Perm.MANAGE_ESTATE)
    creating = building is None
    if building is None:
        building = Building(reference=reference, created_by=user, source="Entered by staff")
    changes = _changes(building, data)
    for name, value in data.items():
        setattr(building, name, value)
    building.modified_by = user
    building.full_clean()
    changed = {"status", "kind"} & set(changes)
    left_public = "kind" in changes and changes["kind"][0] in PUBLIC_KINDS
    if check_status and changed and (problem := status_problem(building, left_public=left_public)):
        raise ValidationError({"status" if "status" in changed else "kind": problem})
    building.save()
    if creating or changes:
        audit_record(
            actor=user,
            action="estates.building_created" if creating else "estates.building_changed",
            obj=building,
            changes=changes,
        )
    return building


@transaction.atomic
def schedule_record(
    *,
    user: Any,
    building: Building,
    starts_on: datetime.date,
    hours: str,
    note: str = "",
    check_status: bool = True,
) -> HoursSchedule | None:
    """Record the building's opening hours from a date (a closure is "closed"). The schedule
    before it is kept. A planned schedule (starting after today) on the same day is replaced
    (audited with both); one already in force is never rewritten. Hours the same as those
    already in force that day change nothing (None)."""
    ensure(user, Perm.MANAGE_ESTATE)
    try:
        text = str(hrs.parse(hours))
    except hrs.HoursError as error:
        raise ValidationError({"hours": str(error)}) from None
    schedules = list(building.schedules.order_by("starts_on"))
    in_force = [s for s in schedules if s.starts_on <= starts_on]
    if in_force and in_force[-1].hours == text:
        return None
    same_day = next((s for s in schedules if s.starts_on == starts_on), None)
    if same_day is not None and starts_on <= timezone.localdate():
        raise ValidationError(
            {
                "hours": f"The hours from {dates.day(starts_on)} are recorded as "
                f"‘{same_day.hours}’ and have been in force since: give the date the new hours "
                "start from (what was open on a past day is kept as it was)"
            }
        )
    before = same_day.hours if same_day else (in_force[-1].hours if in_force else "")
    earlier = [s for s in schedules if s.starts_on < starts_on]
    if same_day is not None and earlier and earlier[-1].hours == text:
        # The planned change is called off: the hours stay as they are.
        same_day.delete()
        audit_record(
            actor=user,
            action="estates.hours_plan_cancelled",
            obj=building,
            changes={"hours": [before, text], "from": starts_on.isoformat()},
        )
        return None
    if same_day is not None:  # a planned change, corrected before it starts
        same_day.hours, same_day.note, same_day.recorded_by = text, note, user
        same_day.save()
        schedule = same_day
    else:
        schedule = HoursSchedule.objects.create(
            building=building, starts_on=starts_on, hours=text, note=note, recorded_by=user
        )
    if check_status and (problem := status_problem(building, recording_hours=True)):
        raise ValidationError({"hours": problem})  # rolls back (atomic)
    audit_record(
        actor=user,
        action="estates.hours_recorded",
        obj=building,
        changes={"hours": [before, text], "from": starts_on.isoformat()},
    )
    return schedule


# ---- The spreadsheet --------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    schedules: int = 0
    skipped: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def nothing(self) -> bool:
        return not (self.created or self.changed or self.schedules)


def _borough_lookup() -> dict[str, Area]:
    lookup: dict[str, Area] = {}
    for area in selectors.boroughs():
        lookup[" ".join(area.name.lower().split())] = area
        lookup[area.code.lower()] = area
    return lookup


def _check_row(row: Row, problems: Problems, lookup: dict[str, Area], seen: dict[str, int]) -> bool:
    values = row.values
    good = True
    reference = values["reference"]
    if reference.lower() in seen:
        problems.add(
            f"reference {reference} is also on line {seen[reference.lower()]}: one row each",
            line=row.line,
            column="Reference",
        )
        good = False
    seen.setdefault(reference.lower(), row.line)
    area = lookup.get(" ".join(values["borough"].lower().split()))
    if area is None:
        problems.add(
            f"‘{values['borough'][:40]}’ is not one of the force's boroughs (use its name or "
            "ONS code, like Barnet or E09000003)",
            line=row.line,
            column="Borough",
        )
        good = False
    values["borough"] = area
    if (values["latitude"] is None) != (values["longitude"] is None):
        problems.add(
            "give both the latitude and the longitude, or neither",
            line=row.line,
            column="Latitude" if values["latitude"] is None else "Longitude",
        )
        good = False
    if values["hours"] is not None and values["hours_from"] is None:
        problems.add(
            "enter the date these opening hours start, like 01/04/2026",
            line=row.line,
            column="Hours from",
        )
        good = False
    if values["hours"] is None and values["hours_from"] is not None:
        problems.add(
            "enter the opening hours that start on this date (or “closed”), or clear the date",
            line=row.line,
            column="Opening hours",
        )
        good = False
    return good


@transaction.atomic
def estate_import(*, user: Any, data: bytes, name: str) -> ImportResult:
    """Import the estate spreadsheet: every row checked before anything is written, every
    problem named by file, line and column, and nothing written unless there are none."""
    ensure(user, Perm.MANAGE_ESTATE)
    problems = Problems(name)
    rows = ESTATE.read(data, name=name, problems=problems)
    lookup = _borough_lookup()
    seen: dict[str, int] = {}
    checked = [row for row in rows if _check_row(row, problems, lookup, seen)]
    problems.raise_if_any()
    existing = {b.reference.lower(): b for b in Building.objects.all()}
    result = ImportResult()
    for row in checked:
        values = dict(row.values)
        hours, hours_from = values.pop("hours"), values.pop("hours_from")
        reference = values.pop("reference")
        building = existing.get(reference.lower())
        was_public = building is not None and building.kind in PUBLIC_KINDS
        if building is None:
            building = building_save(user=user, data=values, reference=reference)
            building.source = f"Imported from {problems.name}"
            building.save(update_fields=["source"])
            result.created += 1
        elif _changes(building, values):
            # the status is checked against the hours once both are in (below)
            building_save(user=user, data=values, building=building, check_status=False)
            result.changed += 1
        if hours is not None:
            try:
                if schedule_record(
                    user=user,
                    building=building,
                    starts_on=hours_from,
                    hours=hours,
                    check_status=False,  # checked for the whole row below
                ):
                    result.schedules += 1
            except ValidationError as error:
                for message in error.messages:
                    problems.add(message, line=row.line, column="Opening hours")
        if problem := status_problem(building, left_public=was_public):
            closed = building.status in CLOSED_STATUSES
            problems.add(problem, line=row.line, column="Status" if closed else "Type")
    problems.raise_if_any()  # inside the transaction: nothing of the file stays
    audit_record(
        actor=user,
        action="estates.imported",
        changes={
            "file": problems.name,
            "created": result.created,
            "changed": result.changed,
            "schedules": result.schedules,
        },
    )
    return result


# ---- data.police.uk ---------------------------------------------------------------------


def _reference(source_id: str) -> str:
    return "police.uk:" + hashlib.sha256(source_id.encode()).hexdigest()[:20]


def _borough_finder() -> Any:
    from shapely.geometry import Point, shape  # loaded by the import, not at start-up

    shapes = [
        (boundary.area, shape(boundary.geometry))
        for boundary in AreaBoundary.objects.filter(area__in=selectors.boroughs()).select_related(
            "area"
        )
    ]

    def find(latitude: float, longitude: float) -> Area | None:
        point = Point(longitude, latitude)
        return next((area for area, outline in shapes if outline.covers(point)), None)

    return find


@transaction.atomic
def police_uk_import(*, user: Any, locations: list[Any], source: str) -> ImportResult:
    """Add or update the buildings data.police.uk lists for the force's neighbourhoods
    (`estates.police_uk.Location`), placing each in the borough whose boundary holds it.
    data.police.uk gives no opening hours, so none are changed. A location without usable
    coordinates, or outside every borough, is left out and named in the result."""
    ensure(user, Perm.MANAGE_ESTATE)
    find = _borough_finder()
    existing = {b.reference: b for b in Building.objects.all()}
    result = ImportResult()
    for location in locations:
        if location.latitude is None or location.longitude is None:
            result.skipped.append(f"{location.name}: data.police.uk gives no location")
            continue
        area = find(location.latitude, location.longitude)
        if area is None:
            result.skipped.append(f"{location.name}: not inside any of the force's boroughs")
            continue
        data = {
            "name": location.name[:200],
            "address": location.address[:300],
            "postcode": location.postcode,
            "borough": area,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
        reference = _reference(location.source_id)
        building = existing.get(reference)
        if building is None:
            kind = BuildingKind.POLICE_STATION if location.kind == "station" else BuildingKind.OTHER
            data |= {"kind": kind, "status": BuildingStatus.OPEN}
            building = building_save(user=user, data=data, reference=reference)
            building.source = source[:200]
            building.save(update_fields=["source"])
            result.created += 1
        elif _changes(building, data):
            building_save(user=user, data=data, building=building)
            result.changed += 1
    audit_record(
        actor=user,
        action="estates.police_uk_imported",
        changes={
            "source": source,
            "created": result.created,
            "changed": result.changed,
            "skipped": len(result.skipped),
        },
    )
    return result
