"""A body's actions as a spreadsheet for staff: download them, edit them in Excel, send them
back (`services.actions_import`: all or nothing, every problem named by line and column)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from policeplan.core.access import require
from policeplan.core.govuk import apply_validation_error
from policeplan.core.roles import Perm
from policeplan.core.uploads import refusal, upload_limit
from policeplan.scrutiny import forms, selectors, services
from policeplan.scrutiny.actions_sheet import ACTIONS, record
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.models import Committee
from policeplan.scrutiny.views.staff import SECTION


def _committee(request: HttpRequest, committee_id: int) -> Committee:
    return selectors.committee_for_staff(committee_id=committee_id, viewer=viewer_for(request.user))


@require(Perm.RUN_SCRUTINY)
@require_safe
def actions_export(request: HttpRequest, committee_id: int) -> HttpResponse:
    """Every confirmed action of the body the viewer may see (staff who run scrutiny see
    those on exempt items too: the file is theirs), in the format the import reads."""
    committee = _committee(request, committee_id)
    rows = selectors.actions_for_viewer(committee=committee, viewer=viewer_for(request.user))
    content = ACTIONS.file_text(record(a) for a in rows)
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{committee.slug}-actions-{day}.csv"'
    return response


def _done(result: services.ImportResult) -> str:
    if result.nothing:
        return "Imported: the file changed nothing."
    counts = (
        (result.created, "new action", "new actions"),
        (result.changed, "action changed", "actions changed"),
        (result.updates, "update added", "updates added"),
    )
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    return "Imported: " + ", ".join(parts) + "."


@upload_limit(ACTIONS.max_bytes)
@require(Perm.RUN_SCRUTINY)
def actions_import(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _committee(request, committee_id)
    posted = request.method == "POST"
    form = forms.ActionsImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if refused := refusal(request):
        # Stopped while it streamed (too big): that is the file's one problem.
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.actions_import(
                user=request.user, committee=committee, data=upload.read(), name=upload.name
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _done(result))
            return redirect(reverse("scrutiny:staff-committee", args=[committee.pk]))
    return render(
        request,
        "scrutiny/staff/actions_import.html",
        {"committee": committee, "form": form, "columns": ACTIONS.headers, "section": SECTION},
    )
