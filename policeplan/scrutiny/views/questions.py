"""Questions a body put to the office: its public list (filters, pages) and a page per
question, and the staff pages that add, answer and publish them. What each viewer sees
passes `scrutiny.disclosure` (through `selectors_questions`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.markdown import render_markdown
from policeplan.core.roles import Perm
from policeplan.plans import selectors as plans
from policeplan.scrutiny import forms_record, selectors, services
from policeplan.scrutiny import selectors_questions as questions
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.models import Committee, Question
from policeplan.scrutiny.services.questions import QUESTION_FIELDS
from policeplan.scrutiny.views.staff import SECTION as STAFF_SECTION
from policeplan.scrutiny.views.staff import form_page

SECTION = "scrutiny"
PER_PAGE = 25


@require_safe
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    viewer = viewer_for(request.user)
    form = forms_record.QuestionFilterForm(
        request.GET or None, choices=questions.question_filter_choices(committee=body)
    )
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    now = timezone.now()
    rows = questions.questions_list(committee=body, viewer=viewer, now=now, **filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    days = questions.answer_days()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scrutiny/questions.html",
        {
            "committee": body,
            "form": form,
            "page": page,
            "overdue": {q.pk for q in page if q.is_overdue(days, now)},
            "late": {q.pk for q in page if q.answered_late(days)},
            "days": days,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "section": SECTION,
        },
        status=400 if form.errors else 200,
    )


@require_safe
def question(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    viewer = viewer_for(request.user)
    found = questions.question_for_viewer(committee=body, question_id=question_id, viewer=viewer)
    return render(
        request,
        "scrutiny/question.html",
        {
            "committee": body,
            "question": found,
            "page": questions.question_page(question=found, viewer=viewer),
            "answer": render_markdown(found.answer),
            "days": questions.answer_days(),
            "section": SECTION,
        },
    )


# ---- Staff -------------------------------------------------------------------------------


def _staff_url(question: Question) -> str:
    return reverse("scrutiny:staff-question", args=[question.pk])


def _list_url(committee: Committee) -> str:
    return reverse("scrutiny:staff-questions", args=[committee.pk])


@require(Perm.RUN_SCRUTINY)
@require_safe
def staff_questions(request: HttpRequest, committee_id: int) -> HttpResponse:
    body = selectors.committee_for_staff(committee_id=committee_id, viewer=viewer_for(request.user))
    page = Paginator(questions.questions_for_staff(committee=body), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "scrutiny/staff/questions.html",
        {"committee": body, "page": page, "section": STAFF_SECTION},
    )


def _question_form(
    request: HttpRequest, committee: Committee, question: Question | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if question is not None:
        initial = {name: getattr(question, name) for name in QUESTION_FIELDS}
        initial["plan_links"] = [str(link.lineage) for link in question.plan_links.all()]
    form = forms_record.QuestionForm(
        request.POST or None,
        initial=initial,
        elements=plans.plan_elements_current(),
        meetings=questions.committee_meetings(committee=committee),
        items=questions.committee_items(committee=committee),
    )
    return form_page(
        request,
        form=form,
        heading="Change the question or record its answer" if question else "Add a question",
        caption=committee.name,
        back=_staff_url(question) if question else _list_url(committee),
        save=lambda: services.question_save(
            user=request.user,
            committee=committee,
            data=form.data_for_service(),
            plan_links=form.cleaned_data["plan_links"],
            question=question,
        ),
        done=_staff_url,
        message="Question saved." if question else "Question added. Publish it when ready.",
    )


@require(Perm.RUN_SCRUTINY)
def staff_question_new(request: HttpRequest, committee_id: int) -> HttpResponse:
    body = selectors.committee_for_staff(committee_id=committee_id, viewer=viewer_for(request.user))
    return _question_form(request, body, None)


@require(Perm.RUN_SCRUTINY)
def staff_question(request: HttpRequest, question_id: int) -> HttpResponse:
    found = questions.question_for_staff(question_id=question_id, viewer=viewer_for(request.user))
    return _question_form(request, found.committee, found)


@require(Perm.RUN_SCRUTINY)
@require_POST
def staff_question_publish(request: HttpRequest, question_id: int) -> HttpResponse:
    found = questions.question_for_staff(question_id=question_id, viewer=viewer_for(request.user))
    services.question_publish(user=request.user, question=found)
    messages.success(request, "Published: the question is on the public pages.")
    return redirect(_list_url(found.committee))
