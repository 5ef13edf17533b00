"""The decisions log in the public API (`/api/v1/decisions`): what the public list and page
show, and nothing more. Thin: rows come from `selectors_decisions` with the public viewer
whoever asks, so a draft decision, a Part 2 text or document, an unpublished meeting and an
exempt item's title never reach it."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from policeplan.api.schemas import ErrorOut, ValidationErrorOut
from policeplan.plans import selectors as plans
from policeplan.scrutiny import selectors_decisions as selectors
from policeplan.scrutiny.disclosure import PUBLIC
from policeplan.scrutiny.models import Decision

router = Router(tags=["Decisions"])

# One line of text, as the search box takes it: no control characters.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
Band = Literal["none", "under-100k", "100k-500k", "500k-1m", "1m-plus"]


class PlanLinkOut(Schema):
    kind: str = Field(description="priority, outcome or commitment")
    id: UUID = Field(description="The item's lineage: stable across versions of the plan")
    title: str
    page: str | None = Field(description="Its page in the current plan; null if it has none")


class DocumentOut(Schema):
    title: str
    url: str
    file_type: str
    size: int = Field(description="In bytes")


class MeetingRefOut(Schema):
    committee: str
    starts_at: datetime.datetime
    page: str
    agenda_item: str | None = Field(description="Number and title; null for an exempt item")


class DecisionOut(Schema):
    id: str = Field(description="The decision's web address name, made from its reference")
    reference: str = Field(description="For example 'PCD 1031'")
    title: str
    summary: str = Field(description="Markdown")
    decision_maker: str
    decision_maker_role: str
    decided_on: datetime.date
    value_gbp: str | None = Field(
        description="The value in pounds as an exact decimal string (for example "
        "'1250000.00'), never a float; null when the decision has no value (never 0)"
    )
    value_text: str | None = Field(description="The value as the page shows it: '£1,250,000'")
    part2_withheld: bool = Field(
        description="true when part of the decision (Part 2) is exempt and withheld"
    )
    part2_reason: str | None = Field(description="Why Part 2 is withheld, when it is")
    plan_links: list[PlanLinkOut]
    meeting: MeetingRefOut | None
    documents: list[DocumentOut] = Field(description="Published documents (never Part 2)")
    page: str
    published_at: datetime.datetime


class DecisionPageOut(Schema):
    count: int
    items: list[DecisionOut]


def _out(decision: Decision, elements: dict[str, plans.PlanElement]) -> dict[str, Any]:
    row = selectors.public_row(decision, elements)
    meeting, item = row["meeting"], row["item"]
    return {
        "id": decision.slug,
        "reference": decision.reference,
        "title": decision.title,
        "summary": decision.summary,
        "decision_maker": decision.decision_maker,
        "decision_maker_role": decision.decision_maker_role,
        "decided_on": decision.decided_on,
        "value_gbp": None if decision.value is None else f"{decision.value:.2f}",
        "value_text": decision.value_text or None,
        "part2_withheld": row["part2_withheld"],
        "part2_reason": decision.exempt_reason if row["part2_withheld"] else None,
        "plan_links": [
            {"kind": link.kind, "id": link.lineage, "title": link.title, "page": link.url}
            for link in row["links"]
        ],
        "meeting": None
        if meeting is None
        else {
            "committee": meeting.committee.name,
            "starts_at": meeting.starts_at,
            "page": reverse("scrutiny:meeting", args=[meeting.committee.slug, meeting.pk]),
            "agenda_item": f"{item.number}. {item.title}" if item is not None else None,
        },
        "documents": [
            {
                "title": d.title,
                "url": reverse("scrutiny:decision-document", args=[decision.slug, d.pk]),
                "file_type": d.extension,
                "size": d.size,
            }
            for d in row["documents"]
        ],
        "page": reverse("scrutiny:decision", args=[decision.slug]),
        "published_at": decision.published_at,
    }


@router.get(
    "/decisions",
    response={200: DecisionPageOut, 422: ValidationErrorOut},
    summary="The decisions log",
    description="Published decisions, newest first: searched by reference, title and summary "
    "(`q`), filtered by year, decision maker, plan priority (its id) and value band, paged "
    "with `limit` and `offset`. The same as the public list and its CSV.",
    url_name="decisions",
)
def decisions(
    request: HttpRequest,
    q: str = Query("", max_length=200, pattern=ONE_LINE),
    year: int | None = Query(None, ge=1900, le=2200),
    decision_maker: str = Query("", max_length=200, pattern=ONE_LINE),
    priority: UUID | None = None,
    value_band: Band | None = None,
    limit: int = Query(100, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    rows = selectors.decisions_list(
        viewer=PUBLIC,
        q=q.strip(),
        year=year,
        maker=decision_maker,
        priority=str(priority) if priority else "",
        band=value_band or "",
    )
    elements = {e.lineage: e for e in plans.plan_elements_current()}
    page = selectors.decisions_with_links(rows)[offset : offset + limit]
    return {"count": rows.count(), "items": [_out(d, elements) for d in page]}


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One decision",
    url_name="decision",
)
def decision(
    request: HttpRequest, decision_id: str = Path(..., pattern=r"^[a-z0-9-]{1,60}$")
) -> dict[str, Any]:
    found = selectors.decision_for_viewer(slug=decision_id, viewer=PUBLIC)
    rows = selectors.decisions_with_links(Decision.objects.filter(pk=found.pk))
    elements = {e.lineage: e for e in plans.plan_elements_current()}
    return _out(rows.get(), elements)
