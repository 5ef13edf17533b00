"""Local priorities in the public API (`/api/v1/local-priorities`): what each borough agreed
for a year, who agreed it, and the evidence as it was frozen."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from policeplan.api.schemas import ValidationErrorOut
from policeplan.plans.localpriorities import selectors

router = Router(tags=["Local priorities"])


class YearIn(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="The financial year's first year (2026 is 2026-27)"
    )


class LocalPrioritiesOut(Schema):
    borough: str
    borough_code: str
    year: str = Field(description="The financial year, like '2026-27'")
    priorities: list[str]
    mandatory: list[str]
    council: str
    commander: str
    partnership: str
    agreed_on: datetime.date
    evidence_sha256: str
    evidence: dict[str, Any] = Field(description="The evidence pack as frozen when agreed")


@router.get(
    "/local-priorities",
    response={200: list[LocalPrioritiesOut], 422: ValidationErrorOut},
    summary="Each borough's local priorities for a year",
    url_name="local-priorities",
)
def local_priorities(request: HttpRequest, asked: Query[YearIn]) -> list[dict[str, Any]]:
    year = asked.year or selectors.current_year()
    return [
        {
            "borough": r.borough.name,
            "borough_code": r.borough.code,
            "year": r.year_label,
            "priorities": r.chosen_titles,
            "mandatory": r.mandatory,
            "council": r.council,
            "commander": r.commander,
            "partnership": r.partnership,
            "agreed_on": r.agreed_on,
            "evidence_sha256": r.evidence_sha256,
            "evidence": r.evidence,
        }
        for r in selectors.agreed(year=year)
    ]
