"""A report's recommendations (and, for those who run scrutiny, the office's responses) as a
spreadsheet: download, edit in Excel, send back (`services.recommendations_import`: all or
nothing, every problem named by line and column)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from policeplan.core.access import require
from policeplan.core.govuk import apply_validation_error
from policeplan.core.roles import Perm, can
from policeplan.core.uploads import refusal, upload_limit
from policeplan.scrutiny import services
from policeplan.scrutiny.forms_recommendations import RecommendationsImportForm
from policeplan.scrutiny.models import RecommendationLink
from policeplan.scrutiny.recommendations_sheet import labels_for, record, sheet_for
from policeplan.scrutiny.views.staff import SECTION
from policeplan.scrutiny.views.staff_reports import report_or_404, report_url


@require(Perm.SCRUTINY_DRAFTS)
@require_safe
def recommendations_export(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report's recommendations in the format the import reads; with the office's
    responses (drafts included) for those who run scrutiny only."""
    report = report_or_404(request, report_id)
    respond = can(request.user, Perm.RUN_SCRUTINY)
    rows = list(
        report.recommendations.select_related("response").prefetch_related(
            Prefetch("links", queryset=RecommendationLink.objects.order_by("id"))
        )
    )
    labels = labels_for(report=report, recommendations=rows)
    content = sheet_for(can_respond=respond).file_text(record(r, labels) for r in rows)
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="report-{report.pk}-recommendations-{day}.csv"'
    )
    return response


def _done(result: services.RecommendationsImported) -> str:
    if result.nothing:
        return "Imported: the file changed nothing."
    counts = (
        (result.created, "new recommendation", "new recommendations"),
        (result.changed, "recommendation changed", "recommendations changed"),
        (result.responses, "response written", "responses written"),
    )
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    return "Imported: " + ", ".join(parts) + "."


@upload_limit(sheet_for(can_respond=True).max_bytes)
@require(Perm.SCRUTINY_DRAFTS)
def recommendations_import(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    respond = can(request.user, Perm.RUN_SCRUTINY)
    posted = request.method == "POST"
    form = RecommendationsImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if refused := refusal(request):
        # Stopped while it streamed (too big): that is the file's one problem.
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.recommendations_import(
                user=request.user, report=report, data=upload.read(), name=upload.name
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _done(result))
            return redirect(report_url(report))
    return render(
        request,
        "scrutiny/staff/recommendations_import.html",
        {
            "report": report,
            "committee": report.committee,
            "form": form,
            "columns": sheet_for(can_respond=respond).headers,
            "can_run": respond,
            "section": SECTION,
        },
    )
