"""Public pages of the body's reports and the recommendation tracker: every recommendation
with the office's response, its milestones and the latest figure of the measures it links
to; per recommendation, the chain to actions, plan changes and measures; a CSV of the
filtered list. What each viewer sees passes `scrutiny.disclosure`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from policeplan.core.csvsafe import SafeWriter
from policeplan.core.markdown import render_html, render_markdown
from policeplan.scrutiny import selectors
from policeplan.scrutiny import selectors_recommendations as recs
from policeplan.scrutiny.disclosure import PUBLIC, viewer_for
from policeplan.scrutiny.forms_recommendations import TrackerFilters
from policeplan.scrutiny.models import BodyFormat, Report

SECTION = "scrutiny"


def _filters(request: HttpRequest) -> tuple[TrackerFilters, recs.Filters | None]:
    """The filters asked for, or None when one is not a value the list offers."""
    form = TrackerFilters(
        request.GET or None, choices=recs.filter_choices(viewer=viewer_for(request.user))
    )
    if not request.GET:
        return form, recs.Filters()
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    return form, recs.Filters(
        body=d["body"],
        report=int(d["report"]) if d["report"] else None,
        status=d["status"],
        priority=d["priority"],
    )


@require_safe
def tracker(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    rows: list[recs.Row] = []
    if filters is not None:
        rows = recs.filtered(recs.rows_for_viewer(viewer=viewer_for(request.user)), filters)
    return render(
        request,
        "scrutiny/tracker.html",
        {
            "form": form,
            "rows": rows,
            "filtered": bool(request.GET),
            "query": request.GET.urlencode(),
            "section": SECTION,
        },
        status=400 if filters is None else 200,
    )


CSV_HEADER = [
    "body",
    "report",
    "report_published",
    "number",
    "recommendation",
    "response_due",
    "status",
    "reasons",
    "what_the_office_will_do",
    "by_when",
    "progress",
    "milestones",
    "plan_elements",
    "measures",
    "url",
]


def _csv_row(request: HttpRequest, row: recs.Row) -> list[Any]:
    response = row.response
    return [
        row.report.committee.name,
        row.report.title,
        row.report.published_on.isoformat() if row.report.published_on else "draft",
        row.recommendation.number,
        row.recommendation.text,
        row.report.response_due_on.isoformat() if row.report.response_due_on else "",
        row.status_label,
        response.reasons if response else "",
        response.will_do if response else "",
        response.target_on.isoformat() if response and response.target_on else "",
        row.progress,
        "; ".join(
            f"{m.title} (due {m.due_on.isoformat()}"
            + (f", done {m.done_on.isoformat()})" if m.done_on else ")")
            for m in row.milestones
        ),
        "; ".join(f"{e.label}: {e.title}" for e in row.elements),
        "; ".join(
            f"{m.title}: {m.figure}"
            + (f" ({m.period})" if m.period else "")
            + (f", {m.status}" if m.status else "")
            + (" [made up for the demonstration]" if m.made_up else "")
            for m in row.measures
        ),
        request.build_absolute_uri(row.url),
    ]


@require_safe
def tracker_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV, every cell formula-safe (core.csvsafe). Only what is
    published, whoever asks: a file travels beyond the person who downloaded it (as the
    actions CSV and the calendar do); the body's members see their drafts on the pages."""
    form, filters = _filters(request)
    if filters is None:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    rows = recs.filtered(recs.rows_for_viewer(viewer=PUBLIC), filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    writer = SafeWriter(response)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(_csv_row(request, row))
    return response


@require_safe
def recommendation(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    row = recs.recommendation_for_viewer(
        recommendation_id=recommendation_id, viewer=viewer_for(request.user)
    )
    return render(
        request,
        "scrutiny/recommendation.html",
        {"row": row, "report": row.report, "committee": row.report.committee, "section": SECTION},
    )


def report_body(report: Report) -> str:
    if report.body_format == BodyFormat.HTML:
        return render_html(report.body)
    return render_markdown(report.body)


@require_safe
def report(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    body = selectors.committee_by_slug(slug=slug)
    found = recs.report_for_viewer(report_id=report_id, viewer=viewer, slug=body.slug)
    return render(
        request,
        "scrutiny/report.html",
        {
            "committee": body,
            "report": found,
            "body": report_body(found),
            "rows": recs.report_page(report=found, viewer=viewer),
            "section": SECTION,
        },
    )
