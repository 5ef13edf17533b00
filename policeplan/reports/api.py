"""Published reports in the public API (`/api/v1/reports`): each edition's figures exactly as
published (its frozen snapshot), never a draft whoever asks, never a recomputation."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Router, Schema

from policeplan.api.schemas import ErrorOut, ValidationErrorOut
from policeplan.reports import assemble, selectors
from policeplan.reports.kinds import SLUGS, ReportKind

router = Router(tags=["Reports"])

KindSlug = Literal["annual-reports", "quarterly-performance-updates", "committee-packs"]


class ReportEditionOut(Schema):
    kind: str = Field(description="annual, quarterly or monthly")
    period: str = Field(description="For example '2023-24', '2025-26-Q4' or '2026-03'")
    title: str
    published_at: datetime.datetime
    page: str
    pdf: str
    csv: str
    snapshot_sha256: str = Field(description="SHA-256 of the snapshot frozen at publication")


class ReportAreaFigureOut(Schema):
    area: str
    level: str
    figure: str = Field(description="As published, with its unit; 'fewer than 10' when withheld")
    value: float | None = Field(description="Null when withheld (never 0)")
    lower: float | None
    upper: float | None


class ReportMeasureOut(Schema):
    id: str = Field(description="The measure's lineage")
    title: str
    priority: str
    outcome: str
    period: str = Field(description="The period of its figure; '' when it had none")
    figure: str = Field(description="'No figures yet' when it had none (never 0)")
    status: str
    made_up: bool = Field(description="Figures made up for the demonstration")
    areas: list[ReportAreaFigureOut]


class ReportOut(ReportEditionOut):
    measures: list[ReportMeasureOut]


def _edition(report: Any) -> dict[str, Any]:
    slug = SLUGS[ReportKind(report.kind)]
    args = {"kind_slug": slug, "period": report.period_key}
    return {
        "kind": report.kind,
        "period": report.period_key,
        "title": str(report),
        "published_at": report.published_at,
        "page": reverse("reports:edition", kwargs=args),
        "pdf": reverse("reports:pdf", kwargs=args),
        "csv": reverse("reports:csv", kwargs=args),
        "snapshot_sha256": report.snapshot_sha256,
    }


@router.get(
    "/reports",
    response={200: list[ReportEditionOut]},
    summary="Published reports",
    description="Every published edition of every kind of report, newest first within a kind.",
    url_name="reports",
)
def reports(request: HttpRequest) -> list[dict[str, Any]]:
    return [_edition(r) for r in selectors.reports_published()]


@router.get(
    "/reports/{kind}/{period}",
    response={200: ReportOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One published report's figures",
    description="Every measure's figure for the force and each area, as published.",
    url_name="report",
)
def report(
    request: HttpRequest,
    kind: KindSlug,
    period: str = Path(..., pattern=r"^[0-9]{4}-[0-9]{2}(-Q[1-4])?$"),
) -> tuple[int, dict[str, Any]]:
    found = selectors.reports_published(kind=selectors.kind_from_slug(kind)).filter(
        period_key=period
    )
    edition = found.defer(None).first()
    if edition is None or not edition.snapshot:
        return 404, {"detail": "No published report for that period"}
    measures = [
        {
            "id": m["lineage"],
            "title": m["title"],
            "priority": m["priority"],
            "outcome": m["outcome"],
            "period": m["period"],
            "figure": m["figure"],
            "status": m["status"],
            "made_up": m["made_up"],
            "areas": [
                {
                    "area": a["name"],
                    "level": a["level"],
                    "figure": a["figure"],
                    "value": a["value"],
                    "lower": a["lower"],
                    "upper": a["upper"],
                }
                for a in m["areas"]
            ],
        }
        for m in assemble.measures_of(edition.snapshot)
    ]
    return 200, {**_edition(edition), "measures": measures}
