"""The scrutiny body's recommendations and the office's responses in the public API
(`/api/v1/`): only what the public may see (scrutiny.disclosure, as the public viewer), and
each linked measure's latest figure from the one measure presenter, as its pages show it."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from policeplan.api.schemas import ErrorOut, ValidationErrorOut
from policeplan.scrutiny import selectors_recommendations as recs
from policeplan.scrutiny.disclosure import PUBLIC

router = Router(tags=["scrutiny"])


class MilestoneOut(Schema):
    title: str
    due_on: datetime.date
    done_on: datetime.date | None
    overdue: bool


class DateChangeOut(Schema):
    of: str = Field(description="'response' (its 'by when' date) or 'milestone: <title>'")
    old_date: datetime.date | None
    new_date: datetime.date | None
    reason: str
    changed_at: datetime.datetime


class ResponseOut(Schema):
    recommendation_id: int
    decision: str = Field(description="accepted, partly or not_accepted")
    decision_label: str
    reasons: str
    will_do: str
    target_on: datetime.date | None
    published_at: datetime.datetime
    milestones: list[MilestoneOut]
    date_changes: list[DateChangeOut] = Field(
        description="Every move of a published date, oldest first, with its reason"
    )


class ElementOut(Schema):
    element: str = Field(description="priority, outcome, measure or commitment")
    title: str


class MeasureFigureOut(Schema):
    id: str = Field(description="The measure's lineage, as /api/v1/measures/{measure_id}")
    title: str
    figure: str = Field(
        description="The latest figure with its unit, as the pages show it; 'No figures yet' "
        "when there is none (never 0)"
    )
    interval: str
    period: str
    status: str = Field(description="The status in words, as the measure's page shows it")
    area: str
    made_up: bool


class RecommendationOut(Schema):
    id: int
    number: int
    text: str
    body: str
    report: str
    report_id: int
    report_kind: str
    report_published_on: datetime.date
    response_due_on: datetime.date | None
    status: str = Field(description="awaiting, accepted, partly or not_accepted")
    status_label: str
    response_overdue: bool
    progress: str
    elements: list[ElementOut]
    measures: list[MeasureFigureOut]
    page: str


class RecommendationDetailOut(RecommendationOut):
    response: ResponseOut | None


def _response(row: recs.Row) -> dict | None:
    r = row.response
    if r is None or r.published_at is None:
        return None
    titles = {m.pk: m.title for m in row.milestones}
    return {
        "recommendation_id": row.recommendation.pk,
        "decision": r.decision,
        "decision_label": r.get_decision_display(),
        "reasons": r.reasons,
        "will_do": r.will_do,
        "target_on": r.target_on,
        "published_at": r.published_at,
        "milestones": [
            {"title": m.title, "due_on": m.due_on, "done_on": m.done_on, "overdue": m.is_overdue()}
            for m in row.milestones
        ],
        "date_changes": [
            {
                "of": f"milestone: {titles.get(c.milestone_id, '')}"
                if c.milestone_id
                else "response",
                "old_date": c.old_date,
                "new_date": c.new_date,
                "reason": c.reason,
                "changed_at": c.changed_at,
            }
            for c in row.changes
        ],
    }


def _recommendation(row: recs.Row) -> dict:
    return {
        "id": row.recommendation.pk,
        "number": row.recommendation.number,
        "text": row.recommendation.text,
        "body": row.report.committee.name,
        "report": row.report.title,
        "report_id": row.report.pk,
        "report_kind": row.report.kind,
        "report_published_on": row.report.published_on,
        "response_due_on": row.report.response_due_on,
        "status": row.status,
        "status_label": row.status_label,
        "response_overdue": row.response_overdue,
        "progress": row.progress,
        "elements": [{"element": e.element, "title": e.title} for e in row.elements],
        "measures": [
            {
                "id": m.lineage,
                "title": m.title,
                "figure": m.figure,
                "interval": m.interval,
                "period": m.period,
                "status": m.status,
                "area": m.area,
                "made_up": m.made_up,
            }
            for m in row.measures
        ],
        "page": row.url,
    }


@router.get(
    "/recommendations",
    response={200: list[RecommendationOut], 422: ValidationErrorOut},
    summary="The scrutiny body's published recommendations",
    description="Every recommendation of the body's published reports, with its status "
    "(the office's published decision, or awaiting), progress, the parts of the plan it "
    "concerns and the latest figure of each measure it links to.",
)
@paginate(LimitOffsetPagination)
def recommendations(request: HttpRequest) -> list[dict]:
    return [_recommendation(row) for row in recs.public_rows()]


@router.get(
    "/recommendations/{recommendation_id}",
    response={200: RecommendationDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One recommendation, with the office's response",
)
def recommendation(
    request: HttpRequest, recommendation_id: int = Path(..., ge=1, le=2_147_483_647)
) -> dict:
    row = recs.recommendation_for_viewer(recommendation_id=recommendation_id, viewer=PUBLIC)
    return {**_recommendation(row), "response": _response(row)}


@router.get(
    "/responses",
    response={200: list[ResponseOut], 422: ValidationErrorOut},
    summary="The office's published responses to recommendations",
)
@paginate(LimitOffsetPagination)
def responses(request: HttpRequest) -> list[dict]:
    out = [_response(row) for row in recs.public_rows()]
    return [r for r in out if r is not None]
