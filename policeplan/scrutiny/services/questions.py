"""Writes for questions put to the office: asked at a meeting of the body (or in writing),
answered later, linked to the plan, and published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core import dates
from policeplan.core.services import audit_record
from policeplan.scrutiny.models import Committee, Question, QuestionPlanLink
from policeplan.scrutiny.services._common import apply, ensure_runs, publish_once
from policeplan.scrutiny.services._links import plan_links_set

QUESTION_FIELDS = (
    "meeting",
    "item",
    "asked_by",
    "asked_on",
    "text",
    "answer",
    "answered_on",
    "answered_by",
)


def _checked(committee: Committee, data: Mapping[str, Any], question: Question | None) -> dict:
    """The data with its meeting taken from its item; a meeting of another body, an item of
    another meeting, or an answer without its date (or dated before the question) refused."""
    data = dict(data)
    meeting, item = data.get("meeting"), data.get("item")
    if meeting is not None and meeting.committee_id != committee.pk:
        raise ValidationError({"meeting": "Choose a meeting of this body"})
    if item is not None:
        if item.meeting.committee_id != committee.pk:
            raise ValidationError({"item": "Choose an item on the agenda of this body’s meeting"})
        if meeting is not None and item.meeting_id != meeting.pk:
            raise ValidationError({"item": "Choose an item on the agenda of the meeting chosen"})
        data["meeting"] = item.meeting

    def current(name: str) -> Any:
        return data[name] if name in data else getattr(question, name, None)

    answer, answered_on, asked_on = current("answer"), current("answered_on"), current("asked_on")
    asked_at = current("meeting")
    if asked_at is not None and asked_on is not None:
        held = timezone.localdate(asked_at.starts_at)
        if asked_on != held:
            raise ValidationError(
                {
                    "asked_on": f"A question put at the meeting on {dates.day(held)} was asked "
                    "that day: enter that date, or choose no meeting for a written question"
                }
            )
    if str(answer or "").strip() and answered_on is None:
        raise ValidationError({"answered_on": "Enter the date it was answered"})
    if answered_on is not None and not str(answer or "").strip():
        raise ValidationError({"answer": "Enter the answer, or leave its date blank"})
    if answered_on is not None and asked_on is not None and answered_on < asked_on:
        raise ValidationError(
            {"answered_on": "The answer cannot be dated before the question was asked"}
        )
    return data


@transaction.atomic
def question_save(
    *,
    user: Any,
    committee: Committee,
    data: Mapping[str, Any],
    plan_links: Iterable[str] | None = None,
    question: Question | None = None,
) -> Question:
    """Add a question (a draft until published) or change one, its answer included."""
    ensure_runs(user)
    data = _checked(committee, data, question)
    created = question is None
    question = question or Question(committee=committee, created_by=user)
    question.modified_by = user
    changes = apply(question, data, QUESTION_FIELDS)
    if plan_links is not None:
        changes |= plan_links_set(
            owner=question, link_model=QuestionPlanLink, field="question", lineages=plan_links
        )
    audit_record(
        actor=user,
        action="question.create" if created else "question.update",
        obj=question,
        changes=changes,
    )
    return question


@transaction.atomic
def question_publish(*, user: Any, question: Question) -> Question:
    """Put the question (and its answer, when it has one) on the body's public pages."""
    return publish_once(user=user, instance=question, action="question.publish")
