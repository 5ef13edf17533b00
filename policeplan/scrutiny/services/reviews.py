"""The body's statutory review of a draft plan (Police Reform and Social Responsibility Act
2011, s.28(3); in London s.32): when a plan version is published as the consultation draft,
each scrutiny body's review of it opens, from the day of publication for
SCRUTINY_PLAN_REVIEW_DAYS (the Act sets no period, only that the body has time to report).
Staff then record the body's report on that version and its recommendations."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core.services import audit_record
from policeplan.scrutiny.models import Committee, PlanReview
from policeplan.scrutiny.services._common import ensure_runs


def review_days() -> int:
    return int(getattr(settings, "SCRUTINY_PLAN_REVIEW_DAYS", 42))


@transaction.atomic
def plan_review_open(
    *, committee: Committee, version: Any, user: Any = None, opens_on: datetime.date | None = None
) -> PlanReview:
    """Open the body's review of a version published for consultation, from the day it was
    published (or `opens_on`, for a review recorded afterwards), once: a second call returns
    the review already open."""
    found = PlanReview.objects.filter(committee=committee, plan_version=version).first()
    if found is not None:
        return found
    opens = opens_on or timezone.localdate(version.published_at or timezone.now())
    review = PlanReview.objects.create(
        committee=committee,
        plan_version=version,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=review_days()),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit_record(
        actor=user,
        action="plan_review.open",
        obj=review,
        changes={"closes_on": [None, str(review.closes_on)]},
    )
    return review


@transaction.atomic
def plan_review_dates(
    *, user: Any, review: PlanReview, opens_on: datetime.date, closes_on: datetime.date
) -> PlanReview:
    """Set the review's dates as the body agreed them with the office (the Act sets no
    period): those who run scrutiny only; it closes on or after the day it opens."""
    ensure_runs(user)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "The review must close on or after the day it opens"})
    review = PlanReview.objects.select_for_update().get(pk=review.pk)
    changes = {
        name: [str(getattr(review, name)), str(value)]
        for name, value in (("opens_on", opens_on), ("closes_on", closes_on))
        if getattr(review, name) != value
    }
    if not changes:
        return review
    review.opens_on, review.closes_on = opens_on, closes_on
    review.modified_by = user
    review.save(update_fields=["opens_on", "closes_on", "modified_by", "modified_at"])
    audit_record(actor=user, action="plan_review.dates", obj=review, changes=changes)
    return review


def version_published(*, version: Any, user: Any = None, **_: Any) -> None:
    """Receiver of plans.signals.version_published: a consultation draft opens each body's
    review of it (inside the publishing transaction)."""
    if version.state != "consultation":
        return
    for committee in Committee.objects.order_by("pk"):
        plan_review_open(committee=committee, version=version, user=user)
