"""One explicit output schema per resource of the public API (version 1)."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Field, Schema


class MeasureOut(Schema):
    id: UUID  # the measure's lineage: stable across versions of the plan
    title: str
    description: str
    priority: str
    outcome: str
    unit: str
    direction: str
    frequency: str
    baseline_period: str
    target: str
    target_kind: str = Field(
        description="'level': a figure to reach (a percentage from 0 to 100); 'change': a "
        "change from the baseline in per cent; empty: no numeric target"
    )
    target_value: float | None
    computed: bool
    made_up: bool = Field(
        description="true when the measure's figures were made up for a demonstration (there "
        "is no public data for it): they are not police statistics"
    )
    page: str


class OutcomeOut(Schema):
    title: str
    description: str
    measures: list[MeasureOut]


class PriorityOut(Schema):
    title: str
    slug: str
    summary: str
    outcomes: list[OutcomeOut]


class PlanOut(Schema):
    title: str
    slug: str
    starts_on: datetime.date
    ends_on: datetime.date
    version: int
    state: str
    published_at: datetime.datetime | None
    priorities: list[PriorityOut]


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None


class ValueOut(Schema):
    area_code: str
    area_name: str
    period_type: str
    period: str
    first_month: str
    last_month: str
    value: float | None  # None when withheld by disclosure control
    lower_95: float | None
    upper_95: float | None
    numerator: float | None
    base: float | None
    suppressed: bool
    made_up: bool = Field(
        description="true when the figure was made up for a demonstration: not police statistics"
    )


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """What was wrong with the request: one entry per parameter in error."""

    detail: list[dict]
