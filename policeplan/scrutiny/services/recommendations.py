"""Writes for the body's reports and recommendations and the office's responses.

The body's members draft their own body's reports (those who run scrutiny may too); once
published, a report and its recommendations' words never change. The office responds to each
recommendation (only those who run scrutiny), publishes the response, and records milestones
and their progress. A published target date (a response's 'by when' or a milestone's due
date) moves only with a reason, kept as a `DateChange` the public pages show.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core import dates
from policeplan.core.roles import Perm, can
from policeplan.core.services import audit_record
from policeplan.plans import selectors as plans
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.models import (
    Committee,
    DateChange,
    Milestone,
    MilestoneUpdate,
    OfficeResponse,
    Recommendation,
    RecommendationLink,
    Report,
)
from policeplan.scrutiny.services._common import apply, ensure_runs, publish_once

REPORT_FIELDS = (
    "kind",
    "title",
    "body",
    "body_format",
    "document_url",
    "plan_version",
    "response_due_on",
)
RESPONSE_FIELDS = ("decision", "reasons", "will_do", "target_on")
PUBLISHED_REPORT = "The report is published, so its recommendations’ words cannot change"
PUBLISHED_RESPONSE = (
    "The response is published, so it stands as the office gave it: record what has happened "
    "since as milestones and their progress, or move its date with a reason"
)


def ensure_drafts(user: Any, committee_id: int) -> None:
    """Those who run scrutiny, and the body's own members (serving today), draft its reports."""
    if not can(user, Perm.SCRUTINY_DRAFTS) or not viewer_for(user).restricted_ok(committee_id):
        raise PermissionDenied("Only the body's members and those who run scrutiny draft reports")


def _response_days() -> int:
    return int(getattr(settings, "SCRUTINY_RESPONSE_DAYS", 28))


@transaction.atomic
def report_save(
    *, user: Any, committee: Committee, data: Mapping[str, Any], report: Report | None = None
) -> Report:
    ensure_drafts(user, committee.pk)
    if (
        report is not None
        and Report.objects.filter(pk=report.pk, published_on__isnull=False).exists()
    ):
        raise ValidationError({"title": "The report is published, so it cannot be changed"})
    version = data.get("plan_version")
    if version is not None and not version.is_public:
        raise ValidationError({"plan_version": "Choose a published version of the plan"})
    created = report is None
    report = report or Report(committee=committee, created_by=user)
    report.modified_by = user
    changes = apply(report, data, REPORT_FIELDS)
    audit_record(
        actor=user,
        action="report.create" if created else "report.update",
        obj=report,
        changes=changes,
    )
    return report


@transaction.atomic
def report_publish(*, user: Any, report: Report, on: datetime.date | None = None) -> Report:
    """Publish the report and its recommendations. The office's response is due by the date
    the report gives, else SCRUTINY_RESPONSE_DAYS after publication. Twice does nothing."""
    ensure_drafts(user, report.committee_id)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        return report
    report.published_on = on or timezone.localdate()
    if report.response_due_on is None:
        report.response_due_on = report.published_on + datetime.timedelta(days=_response_days())
    elif report.response_due_on < report.published_on:
        raise ValidationError(
            {"response_due_on": "The response must be due on or after the day it is published"}
        )
    report.modified_by = user
    report.save(update_fields=["published_on", "response_due_on", "modified_by", "modified_at"])
    audit_record(
        actor=user,
        action="report.publish",
        obj=report,
        changes={"published_on": [None, str(report.published_on)]},
    )
    return report


def _links(links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The links as given, each checked against a published plan's elements."""
    wanted = [(str(element), str(lineage)) for element, lineage in links]
    found = plans.public_elements(lineages={lineage for _, lineage in wanted})
    for element, lineage in wanted:
        item = found.get(lineage)
        if item is None or item.element != element:
            raise ValidationError({"links": "Choose parts of a published plan"})
    return sorted(set(wanted))


@transaction.atomic
def recommendation_save(
    *,
    user: Any,
    report: Report,
    data: Mapping[str, Any],
    recommendation: Recommendation | None = None,
) -> Recommendation:
    """Add or change a numbered recommendation and the parts of the plan it concerns. Once
    the report is published only those who run scrutiny may change what it links to, and
    nobody its number or words."""
    ensure_drafts(user, report.committee_id)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if recommendation is not None and recommendation.report_id != report.pk:
        raise ValidationError("Choose a recommendation of this report")
    if report.is_published:
        ensure_runs(user)
        unchanged = recommendation is not None and (
            data.get("number", recommendation.number) == recommendation.number
            and data.get("text", recommendation.text) == recommendation.text
        )
        if not unchanged:
            raise ValidationError({"text": PUBLISHED_REPORT})
    number = data.get("number")
    clash = report.recommendations.filter(number=number or 0)
    if recommendation is not None:
        clash = clash.exclude(pk=recommendation.pk)
    if number is not None and clash.exists():
        raise ValidationError({"number": f"Recommendation {number} is already in this report"})
    links = _links(data.get("links") or [])
    created = recommendation is None
    recommendation = recommendation or Recommendation(report=report, created_by=user)
    recommendation.modified_by = user
    changes = apply(recommendation, data, ("number", "text"))
    before = (
        sorted((link.element, str(link.lineage)) for link in recommendation.links.all())
        if not created
        else []
    )
    if before != links:
        recommendation.links.all().delete()
        RecommendationLink.objects.bulk_create(
            RecommendationLink(recommendation=recommendation, element=e, lineage=lineage)
            for e, lineage in links
        )
        changes["links"] = [str(len(before)), str(len(links))]
    if "boroughs" in data:
        from policeplan.estates.selectors import boroughs as force_boroughs

        areas = {a.code: a for a in force_boroughs()}
        codes = sorted(set(data["boroughs"] or ()))
        if any(code not in areas for code in codes):
            raise ValidationError({"boroughs": "Choose boroughs of the force area"})
        had = sorted(a.code for a in recommendation.boroughs.all()) if not created else []
        if had != codes:
            recommendation.boroughs.set([areas[c] for c in codes])
            changes["boroughs"] = [", ".join(had), ", ".join(codes)]
    audit_record(
        actor=user,
        action="recommendation.create" if created else "recommendation.update",
        obj=recommendation,
        changes=changes,
    )
    return recommendation


def _date_moved(
    *,
    user: Any,
    old: datetime.date | None,
    new: datetime.date | None,
    reason: str,
    field: str,
    **of: Any,
) -> dict[str, Any]:
    """Record a published date's move, which needs a reason; the audit changes."""
    if old == new:
        return {}
    if not reason.strip():
        raise ValidationError(
            {
                "change_reason": "Enter why the date is changing: a published date never moves "
                "without a reason"
            }
        )
    DateChange.objects.create(
        old_date=old, new_date=new, reason=reason.strip(), created_by=user, **of
    )
    return {field: [str(old), str(new)], "change_reason": [None, reason.strip()]}


@transaction.atomic
def response_save(
    *,
    user: Any,
    recommendation: Recommendation,
    data: Mapping[str, Any],
    change_reason: str = "",
) -> OfficeResponse:
    """Write or change the office's response. Once published it stands as given (its
    decision, reasons and what the office will do never change silently; progress is
    recorded as milestones), and moving its 'by when' date needs a reason, kept with the old
    and new dates."""
    ensure_runs(user)
    if not Report.objects.filter(pk=recommendation.report_id, published_on__isnull=False).exists():
        raise ValidationError("The office responds once the body has published its report")
    response = (
        OfficeResponse.objects.select_for_update().filter(recommendation=recommendation).first()
    )
    created = response is None
    response = response or OfficeResponse(recommendation=recommendation, created_by=user)
    if response.is_published:
        for name in ("decision", "reasons", "will_do"):
            if name in data and data[name] != getattr(response, name):
                raise ValidationError({name: PUBLISHED_RESPONSE})
    moved = {}
    if response.is_published and "target_on" in data:
        moved = _date_moved(
            user=user,
            old=response.target_on,
            new=data["target_on"],
            reason=change_reason,
            field="target_on",
            response=response,
        )
    response.modified_by = user
    changes = apply(response, data, RESPONSE_FIELDS)
    audit_record(
        actor=user,
        action="office_response.create" if created else "office_response.update",
        obj=response,
        changes={**changes, **moved},
    )
    return response


@transaction.atomic
def response_publish(*, user: Any, response: OfficeResponse) -> OfficeResponse:
    return publish_once(user=user, instance=response, action="office_response.publish")


@transaction.atomic
def milestone_save(
    *,
    user: Any,
    response: OfficeResponse,
    data: Mapping[str, Any],
    milestone: Milestone | None = None,
    change_reason: str = "",
) -> Milestone:
    """Add or change a milestone of the response. Once the response is published, moving a
    milestone's due date needs a reason, kept with the old and new dates."""
    ensure_runs(user)
    if milestone is not None and milestone.response_id != response.pk:
        raise ValidationError("Choose a milestone of this response")
    response = OfficeResponse.objects.get(pk=response.pk)  # published since it was read?
    created = milestone is None
    milestone = milestone or Milestone(response=response, created_by=user)
    moved = {}
    if not created and response.is_published and "due_on" in data:
        moved = _date_moved(
            user=user,
            old=milestone.due_on,
            new=data["due_on"],
            reason=change_reason,
            field="due_on",
            milestone=milestone,
        )
    milestone.modified_by = user
    changes = apply(milestone, data, ("title", "due_on"))
    audit_record(
        actor=user,
        action="milestone.create" if created else "milestone.update",
        obj=milestone,
        changes={**changes, **moved},
    )
    return milestone


@transaction.atomic
def milestone_update_add(
    *, user: Any, milestone: Milestone, on: datetime.date, text: str, done: bool = False
) -> MilestoneUpdate:
    """A dated note on progress; `done` marks the milestone reached on that date."""
    ensure_runs(user)
    if on > timezone.localdate():
        raise ValidationError({"on": "The date of the update must be today or in the past"})
    published = Report.objects.filter(recommendations__response__milestones=milestone).values_list(
        "published_on", flat=True
    )
    since = published.first()
    if since is not None and on < since:
        raise ValidationError(
            {
                "on": "The date of the update must be on or after the day the report was "
                f"published, {dates.day(since)}"
            }
        )
    update = MilestoneUpdate(milestone=milestone, on=on, text=text, created_by=user)
    update.full_clean()
    update.save()
    changes = {}
    if done and milestone.done_on is None:
        milestone.done_on = on
        milestone.modified_by = user
        milestone.save(update_fields=["done_on", "modified_by", "modified_at"])
        changes["done_on"] = [None, str(on)]
    audit_record(actor=user, action="milestone.progress", obj=milestone, changes=changes)
    return update
