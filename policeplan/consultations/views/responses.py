"""Staff pages to read responses: the dashboard, search, one response, exports, equality."""

from __future__ import annotations

import datetime
import io
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from policeplan.consultations import forms, selectors, services
from policeplan.consultations.disclosure import sees_personal_details, text_for_viewer
from policeplan.consultations.models import Consultation, ResponseStatus
from policeplan.core import dates
from policeplan.core.access import require
from policeplan.core.csvsafe import safe_row, to_csv
from policeplan.core.roles import Perm, can
from policeplan.performance import charts


def _weekly(by_day: list[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """Responses per week (weeks starting Monday), with empty weeks shown as 0."""
    if not by_day:
        return []
    weeks: dict[datetime.date, int] = {}
    for day, n in by_day:
        start = day - datetime.timedelta(days=day.weekday())
        weeks[start] = weeks.get(start, 0) + n
    first, last = min(weeks), max(weeks)
    out, week = [], first
    while week <= last:
        out.append((week, weeks.get(week, 0)))
        week += datetime.timedelta(days=7)
    return out


def week_label(monday: datetime.date) -> str:
    return f"Week beginning {dates.day(monday)}"


def _chart(weeks: list[tuple[datetime.date, int]]) -> str:
    """One bar a week, named as the table beside it names the week ('Week beginning
    2 November 2026'); bars run across the page so those names can be read in full."""
    spec = charts.count_bars_spec(
        [(week_label(w), n) for w, n in weeks],
        label="week",
        count="Responses",
        step=28,
        label_limit=400,
    )
    return charts.svg(spec)


@require(Perm.READ_RESPONSES)
@require_safe
def dashboard(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    summary = selectors.dashboard(consultation=consultation)
    weeks = _weekly(summary.by_day)
    search = forms.SearchForm(request.GET or None)
    search.is_valid()
    data = search.cleaned_data if search.is_bound else {}
    rows = selectors.responses_search(
        consultation=consultation,
        text=data.get("q", ""),
        channel=data.get("channel", ""),
        letters=sees_personal_details(request.user),
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/staff/responses.html",
        {
            "consultation": consultation,
            "summary": summary,
            "weeks": weeks,
            "chart": _chart(weeks) if weeks else "",
            "form": search,
            "page": page,
            "query": request.GET.urlencode(),
            "section": "consultations",
        },
    )


@require(Perm.READ_RESPONSES)
@require_safe
def response_detail(request: HttpRequest, consultation_id: int, response_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    response = selectors.response_for_staff(consultation=consultation, response_id=response_id)
    personal = sees_personal_details(request.user)
    return render(
        request,
        "consultations/staff/response.html",
        {
            "consultation": consultation,
            "response": response,
            "contact": getattr(response, "contact", None) if personal else None,
            "body": text_for_viewer(text=response.body, user=request.user),
            "answers": selectors.response_answer_rows(response=response),
            "can_personal": personal,
            "can_analyse": can(request.user, Perm.ANALYSE),
            "boroughs": selectors.performance.borough_names(),
            "section": "consultations",
        },
    )


def _filename(consultation: Consultation, ext: str) -> str:
    return f"{consultation.slug}-responses-{timezone.localdate():%Y-%m-%d}.{ext}"


@require(Perm.READ_RESPONSES)
@require_safe
def export_csv(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    header, rows = services.responses_export(
        user=request.user, consultation=consultation, fmt="csv"
    )
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(consultation, "csv")}"'
    return response


@require(Perm.READ_RESPONSES)
@require_safe
def export_xlsx(request: HttpRequest, consultation_id: int) -> HttpResponse:
    from openpyxl import Workbook

    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    header, rows = services.responses_export(
        user=request.user, consultation=consultation, fmt="xlsx"
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    # Text that a spreadsheet would run as a formula (a question's text in the header too)
    # is written as text, never a formula.
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(consultation, "xlsx")}"'
    return response


@require(Perm.READ_RESPONSES)
@require_safe
def equality_report(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    return render(
        request,
        "consultations/staff/equality.html",
        {
            "consultation": consultation,
            "tables": selectors.equality_tables(
                consultation=consultation, min_cell=settings.EQUALITY_MIN_CELL
            ),
            "min_cell": settings.EQUALITY_MIN_CELL,
            "section": "consultations",
        },
    )


@require(Perm.PERSONAL_DATA)
@require_safe
def respondent_export(request: HttpRequest, consultation_id: int, response_id: int) -> HttpResponse:
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    response = selectors.response_for_staff(consultation=consultation, response_id=response_id)
    data = services.respondent_export(user=request.user, response=response)
    out = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    out["Content-Disposition"] = f'attachment; filename="{response.reference}.json"'
    return out


@require(Perm.PERSONAL_DATA)
def response_withdraw(request: HttpRequest, consultation_id: int, response_id: int) -> HttpResponse:
    """Withdraw a response for the person who sent it, when they asked the office quoting its
    reference (a letter, or no email address and no withdrawal code): a page to confirm,
    and the withdrawal only on POST, recorded in the audit trail with who did it."""
    consultation = selectors.consultation_for_staff(consultation_id=consultation_id)
    response = selectors.response_for_staff(consultation=consultation, response_id=response_id)
    if request.method == "POST" and response.status != ResponseStatus.WITHDRAWN:
        try:
            services.response_withdraw_on_behalf(user=request.user, response=response)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Response {response.reference} withdrawn.")
        return redirect(
            "consultations:staff-response", consultation_id=consultation.pk, response_id=response.pk
        )
    return render(
        request,
        "consultations/staff/response_withdraw.html",
        {"consultation": consultation, "response": response, "section": "consultations"},
    )
