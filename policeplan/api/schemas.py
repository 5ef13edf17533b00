"""One explicit output schema per resource of the public API (version 1)."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Field, Schema


class StatusOut(Schema):
    """How the measure is doing in the force area, and which rule says so."""

    status: str = Field(
        description="green, amber, red, grey (context only) or none (cannot be assessed yet)"
    )
    label: str = Field(description="The status in words, as the measure's page shows it")
    rule: str = Field(description="target, baseline, change or context: the rule applied")
    rule_name: str
    reason: str = Field(description="Why: including why it cannot be assessed yet")
    area_code: str | None
    period_type: str | None
    period: str | None


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
    unit_text: str = Field(
        description="What the figures are in: 'per 1,000 residents', 'of people asked', 'crimes'"
    )
    status: StatusOut


class CaveatOut(Schema):
    effective_from: str = Field(description="The first month it applies to, YYYY-MM")
    title: str
    text: str
    series_break: bool = Field(
        description="true when figures before and after this month should not be compared"
    )


class MeasureDetailOut(MeasureOut):
    caveats: list[CaveatOut] = Field(
        description="Dated notes on the figures, such as series breaks (a category renamed or "
        "a recording system changed), as the measure's page, chart and CSV give them"
    )


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
    value: float | None = Field(
        description="The figure in the unit given by `unit` (a percentage as a share from 0 to "
        "1); null when withheld by disclosure control, never 0 for a missing figure"
    )
    lower_95: float | None
    upper_95: float | None
    numerator: float | None
    base: float | None
    suppressed: bool
    made_up: bool = Field(
        description="true when the figure was made up for a demonstration: not police statistics"
    )
    unit: str = Field(description="count, rate_per_1000 or percentage")
    figure: str = Field(
        description="The figure as the pages show it, with its unit: '2.81 per 1,000 residents'"
    )
    population_year: int | None = Field(
        description="For a rate: the year of the population estimate it is per 1,000 of"
    )
    population_carried: bool = Field(
        description="For a rate: true when there is no estimate for the year the period starts "
        "in, and another year's was used"
    )
    population_note: str
    not_available_reason: str | None = Field(
        None,
        description="Why the period has no figure (value null): no records of the measure's "
        "categories, no category for it in use, or no population for the area. null for a "
        "figure, including a withheld one (withheld is not the same as not available)",
    )


class ErrorOut(Schema):
    detail: str


class ChoiceOut(Schema):
    value: str
    label: str


class UnavailableOut(Schema):
    """A query the measure cannot answer: 400 when a value is malformed (or given twice), 404
    when the measure has no figures for it. Nothing else is answered in its place."""

    detail: str
    parameter: str = Field(
        "", description="The query parameter at fault (absent when the measure itself is not found)"
    )
    value: str = Field("", description="The value given (shortened)")
    available: list[ChoiceOut] = Field([], description="The values this measure has figures for")


class ValidationErrorOut(Schema):
    """What was wrong with the request: one entry per parameter in error."""

    detail: list[dict]
