"""Reads for the questions a body put to the office. What a viewer is shown passes
`scrutiny.disclosure` (a draft question is the body's and the office's until published);
the list gets what it shows in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from policeplan.plans import selectors as plans
from policeplan.scrutiny.disclosure import Shown, Viewer, body_records_visible, shown
from policeplan.scrutiny.models import (
    AgendaItem,
    Committee,
    Meeting,
    Question,
    QuestionPlanLink,
)
from policeplan.scrutiny.selectors_decisions import LinkView, link_views, meeting_and_item

STATUSES = {
    "awaiting": "Awaiting an answer",
    "overdue": "Overdue",
    "answered": "Answered",
}


def answer_days() -> int:
    return int(settings.QUESTION_ANSWER_DAYS)


@dataclass
class QuestionPage:
    question: Question
    overdue: bool
    due: datetime.date
    links: list[LinkView] = field(default_factory=list)
    meeting: Meeting | None = None
    item: AgendaItem | None = None


def question_shown(*, question: Question, viewer: Viewer) -> Shown:
    return shown(
        viewer=viewer,
        committee_id=question.committee_id,
        published=question.is_published,
        exempt=False,
    )


def questions_list(
    *,
    committee: Committee,
    viewer: Viewer,
    status: str = "",
    asked_by: str = "",
    year: int | None = None,
    priority: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Question]:
    """The body's questions the viewer may see, newest first, filtered. Overdue: still
    unanswered more than QUESTION_ANSWER_DAYS London days after it was asked."""
    rows = Question.objects.filter(committee=committee).filter(
        body_records_visible(viewer=viewer, committee_id=committee.pk)
    )
    if status == "answered":
        rows = rows.filter(answered_on__isnull=False)
    elif status == "awaiting":
        rows = rows.filter(answered_on__isnull=True)
    elif status == "overdue":
        today = timezone.localdate(now or timezone.now())
        due_before = today - datetime.timedelta(days=answer_days())
        rows = rows.filter(answered_on__isnull=True, asked_on__lt=due_before)
    if asked_by:
        rows = rows.filter(asked_by=asked_by)
    if year is not None:
        rows = rows.filter(asked_on__year=year)
    if priority:
        linked = QuestionPlanLink.objects.filter(priority_lineage=priority).values("question_id")
        rows = rows.filter(pk__in=linked)
    return rows.select_related("meeting__committee").order_by("-asked_on", "-id")


def question_filter_choices(*, committee: Committee) -> dict[str, list[tuple[str, str]]]:
    """What the public filters offer: who asked and in which years (of published questions),
    the current plan's priorities, and the statuses."""
    public = Question.objects.filter(committee=committee, published_at__isnull=False)
    years = sorted({d.year for d in public.dates("asked_on", "year")}, reverse=True)
    askers = public.order_by("asked_by").values_list("asked_by", flat=True).distinct()
    priorities = [e for e in plans.plan_elements_current() if e.kind == "priority"]
    return {
        "status": list(STATUSES.items()),
        "asked_by": [(a, a) for a in askers],
        "year": [(str(y), str(y)) for y in years],
        "priority": [(p.lineage, p.title) for p in priorities],
    }


def question_for_viewer(*, committee: Committee, question_id: int, viewer: Viewer) -> Question:
    question = (
        Question.objects.select_related("meeting__committee", "item", "committee")
        .filter(committee=committee, pk=question_id)
        .first()
    )
    if question is None or question_shown(question=question, viewer=viewer) == Shown.HIDDEN:
        raise Http404("No such question")
    return question


def question_page(
    *, question: Question, viewer: Viewer, now: datetime.datetime | None = None
) -> QuestionPage:
    days = answer_days()
    meeting, item = meeting_and_item(meeting=question.meeting, item=question.item, viewer=viewer)
    return QuestionPage(
        question=question,
        overdue=question.is_overdue(days, now),
        due=question.answer_due(days),
        links=link_views(list(question.plan_links.order_by("id"))),
        meeting=meeting,
        item=item,
    )


# ---- Staff -------------------------------------------------------------------------------


def questions_for_staff(*, committee: Committee) -> QuerySet[Question]:
    return committee.questions.order_by("-asked_on", "-id")


def question_for_staff(*, question_id: int, viewer: Viewer) -> Question:
    question = (
        Question.objects.select_related("committee", "meeting", "item")
        .prefetch_related(Prefetch("plan_links", queryset=QuestionPlanLink.objects.all()))
        .filter(pk=question_id)
        .first()
    )
    if question is None or not viewer.everything:
        raise Http404("No such question")
    return question


def committee_meetings(*, committee: Committee) -> QuerySet[Meeting]:
    return committee.meetings.select_related("committee").order_by("-starts_at", "-id")


def committee_items(*, committee: Committee) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting__committee=committee)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "number", "id")
    )
