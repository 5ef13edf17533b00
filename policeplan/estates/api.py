"""The estate in the public API (`/api/v1/estate/...`): buildings with their opening hours on
a date, pledges checked on a date, residents near an open counter, and disposals (exempt
figures withheld by `estates.disclosure`, as on the pages)."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from policeplan.api.schemas import ValidationErrorOut
from policeplan.estates import disclosure, hours, records, selectors

router = Router(tags=["Estate"])


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD, as the pages take (not a timestamp, a time or a week date)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("a date as YYYY-MM-DD")
    return value


class OnDate(Schema):
    date: Annotated[datetime.date | None, BeforeValidator(_iso_day)] = Field(
        None,
        ge=datetime.date(2000, 1, 1),
        le=datetime.date(2100, 12, 31),
        description="The date to answer for (default: today in London), 2000 to 2100",
    )


def _day(asked: OnDate) -> datetime.date:
    return asked.date or timezone.now().astimezone(hours.LONDON).date()


class BuildingOut(Schema):
    reference: str
    name: str
    address: str
    postcode: str
    borough: str
    borough_code: str
    latitude: float | None
    longitude: float | None
    type: str
    status: str
    step_free_access: bool | None = Field(description="Null when not known")
    services: list[str]
    opening_hours: str | None = Field(
        description="In force on the date, schema.org style ('Mo-Fr 08:00-20:00', '24/7', "
        "'closed'); null when none was recorded"
    )
    hours_from: datetime.date | None
    open_24_hours: bool | None
    hours_per_week: float | None
    next_change_on: datetime.date | None
    next_change_hours: str | None


@router.get(
    "/estate/buildings",
    response={200: list[BuildingOut], 422: ValidationErrorOut},
    summary="Police buildings and their opening hours",
    description="Every building in the estate register with the opening hours in force on the "
    "date asked for.",
    url_name="estate-buildings",
)
def buildings(request: HttpRequest, asked: Query[OnDate]) -> list[dict[str, Any]]:
    day = _day(asked)
    return [records.building_record(b, day) for b in selectors.buildings()]


class PledgeOut(Schema):
    pledge: str
    rule: str = Field(description="round_the_clock or any_counter")
    at_least: int = Field(description="Counters each borough must have")
    made_on: datetime.date
    date: datetime.date
    result: str = Field(
        description="kept, broken, not known (no opening hours recorded) or not yet made"
    )
    kept: bool | None = Field(description="Null when not known or before the pledge was made")
    since: datetime.date | None = Field(description="Since when it has been kept or broken")
    until: datetime.date | None = Field(
        description="Until when it stays so, where a change is already recorded"
    )
    not_kept_in: list[str] = Field(description="Boroughs where it was not kept on the date")
    not_kept_in_codes: list[str] = Field(description="Their ONS codes")
    not_known_in: list[str] = Field(
        description="Boroughs where it is not known: too few counters' hours recorded"
    )


@router.get(
    "/estate/pledges",
    response={200: list[PledgeOut], 422: ValidationErrorOut},
    summary="Pledges about front counters, checked on a date",
    url_name="estate-pledges",
)
def pledges(request: HttpRequest, asked: Query[OnDate]) -> list[dict[str, Any]]:
    return records.pledge_records(_day(asked))


class DisposalOut(Schema):
    id: int
    building: str
    building_reference: str
    borough: str
    borough_code: str
    decision_reference: str
    decided_on: datetime.date | None
    estimated_receipt: int | None = Field(description="Pounds; null when not known or withheld")
    actual_receipt: int | None
    sold_on: datetime.date | None
    running_cost_saving: int | None
    withheld: bool = Field(description="The figures are exempt information and withheld")
    withheld_reason: str
    notes: str


@router.get(
    "/estate/disposals",
    response={200: list[DisposalOut]},
    summary="Buildings sold or to be sold",
    url_name="estate-disposals",
)
def disposals(request: HttpRequest) -> list[dict[str, Any]]:
    return [disclosure.disposal_record(d) for d in selectors.disposals()]
