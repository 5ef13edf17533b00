"""The estate register as a spreadsheet: one declaration of its columns for the import
(`services.estate_import`), the staff export and the public download of buildings.

A row is one building, found by its Reference (new references add buildings). 'Opening hours'
take the schema.org style the public pages show ("Mo-Fr 08:00-20:00; Sa 10:00-16:00", "24/7",
"closed"), from the date in 'Hours from': a change adds a dated schedule and keeps the old
one, so what was open on any date stays answerable. Leave both empty to change no hours.
"""

from __future__ import annotations

import re
from typing import Any

from policeplan.core import spreadsheet as sheet
from policeplan.core.spreadsheet import CellError, shown
from policeplan.estates import hours as hrs
from policeplan.estates.models import BuildingKind, BuildingStatus

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def _number(low: float, high: float, what: str) -> Any:
    def parse(value: str) -> float | None:
        value = value.strip()
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise CellError(f"‘{shown(value, 20)}’ is not a number") from None
        if not low <= number <= high:
            raise CellError(f"{what} must be between {low} and {high}, not {shown(value, 20)}")
        return number

    return parse


def _yes_no(value: str) -> bool | None:
    key = value.strip().lower()
    if not key:
        return None
    if key in {"yes", "y", "true"}:
        return True
    if key in {"no", "n", "false"}:
        return False
    raise CellError(f"‘{shown(value, 20)}’ is not Yes or No (leave it empty when not known)")


def _postcode(value: str) -> str:
    key = " ".join(value.upper().split())
    if not key:
        return ""
    found = POSTCODE.match(key)
    if not found:
        raise CellError(f"‘{shown(value, 12)}’ is not a UK postcode like SW1A 2JL")
    return f"{found.group(1)} {found.group(2)}"


def _services(value: str) -> list[str]:
    found = [part.strip() for part in value.split(";") if part.strip()]
    for part in found:
        if len(part) > 100:
            raise CellError("each service (separated by ;) may be at most 100 characters")
    return found


def _hours(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        return str(hrs.parse(value))
    except hrs.HoursError as error:
        raise CellError(str(error)) from None


def _write_yes_no(value: Any) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _write_list(value: Any) -> str:
    return "; ".join(value or [])


def _write_label(choices: Any) -> Any:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or ""))


COLUMNS = (
    sheet.Column(
        "Reference", "reference", sheet.text(required=True, max_length=60, single_line=True)
    ),
    sheet.Column("Name", "name", sheet.text(required=True, max_length=200, single_line=True)),
    sheet.Column("Address", "address", sheet.text(max_length=300, single_line=True)),
    sheet.Column("Postcode", "postcode", _postcode),
    sheet.Column("Borough", "borough", sheet.text(required=True, max_length=120, single_line=True)),
    sheet.Column("Latitude", "latitude", _number(49.0, 61.0, "a latitude in the UK")),
    sheet.Column("Longitude", "longitude", _number(-9.0, 3.0, "a longitude in the UK")),
    sheet.Column(
        "Type", "kind", sheet.choice(BuildingKind.choices), write=_write_label(BuildingKind.choices)
    ),
    sheet.Column(
        "Status",
        "status",
        sheet.choice(BuildingStatus.choices),
        write=_write_label(BuildingStatus.choices),
    ),
    sheet.Column("Step-free access", "step_free", _yes_no, write=_write_yes_no),
    sheet.Column("Services", "services", _services, write=_write_list),
    sheet.Column("Opening hours", "hours", _hours),
    sheet.Column("Hours from", "hours_from", sheet.date()),
)

ESTATE = sheet.Sheet(columns=COLUMNS)
