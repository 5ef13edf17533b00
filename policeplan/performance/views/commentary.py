"""Staff pages for commentary: the task list of every measure of the public plan for a
period, with its commentary's state; the page to write it; and approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.roles import Perm, can
from policeplan.performance import commentary as services
from policeplan.performance import selectors
from policeplan.performance.disclosure import Shown, present
from policeplan.performance.forms import CommentaryForm
from policeplan.plans import selectors as plan_selectors
from policeplan.plans.models import Measure
from policeplan.warehouse.periods import KIND_LABELS


def _measures() -> list[Measure]:
    """Every measure of the current public plan, in the framework's order."""
    current = plan_selectors.plan_current_public()
    if current.version is None:
        return []
    framework = plan_selectors.plan_version_framework(version=current.version)
    return [m for p in framework for o in p.outcomes.all() for m in o.measures.all()]


def _period(measures: list[Measure], kind: str, key: str) -> tuple[str, str, str]:
    """(kind, key, label) of a period some measure has figures for, or 404."""
    for period in selectors.commentary_periods(measure_lineages=[m.lineage for m in measures]):
        if period[:2] == (kind, key):
            return period
    raise Http404("No figures for that period")


def _list_url(kind: str, key: str) -> str:
    return reverse("performance:commentary") + "?" + urlencode({"period": f"{kind}/{key}"})


def _back(request: HttpRequest, kind: str, key: str) -> tuple[str, str]:
    """Where to go back to: the report whose task list linked here (`?report=<id>`, only a
    number: never an address from the query), else the period's commentary list; and the
    query that keeps it on the next step."""
    asked = request.GET.get("report", "")
    if asked.isascii() and asked.isdigit() and len(asked) < 10:
        return reverse("reports:staff-detail", kwargs={"pk": int(asked)}), "?" + urlencode(
            {"report": asked}
        )
    return _list_url(kind, key), ""


def _figure(measure: Measure, kind: str, key: str) -> Shown | None:
    """The force area's figure the commentary is about, as the public sees it."""
    force = selectors.main_force()
    found = next(
        (
            v
            for v in selectors.measure_period_figures(
                lineage=str(measure.lineage), kind=kind, period_key=key
            )
            if force is not None and v.area_id == force.pk
        ),
        None,
    )
    return present(found, measure.unit, measure.dataset) if found is not None else None


@require(Perm.WRITE_COMMENTARY)
@require_safe
def commentary_list(request: HttpRequest) -> HttpResponse:
    """The measures of the public plan for a period, each with its commentary's state."""
    measures = _measures()
    periods = selectors.commentary_periods(measure_lineages=[m.lineage for m in measures])
    asked = request.GET.get("period", "")
    default = periods[0] if periods else None
    chosen = next((p for p in periods if f"{p[0]}/{p[1]}" == asked), default)
    status = (
        selectors.commentary_status(
            measure_lineages=[m.lineage for m in measures],
            period_kind=chosen[0],
            period_key=chosen[1],
        )
        if chosen
        else {}
    )
    rows = [(m, status[str(m.lineage)]) for m in measures] if chosen else []
    return render(
        request,
        "performance/commentary_list.html",
        {
            "periods": periods,
            "chosen": chosen,
            "rows": rows,
            "unapproved": sum(1 for _m, s in rows if not s.approved),
            "kind_labels": KIND_LABELS,
            "section": "commentary",
        },
    )


@require(Perm.WRITE_COMMENTARY)
def commentary_edit(request: HttpRequest, lineage: str, kind: str, key: str) -> HttpResponse:
    """Write or change a measure's commentary for a period; approve it from here too."""
    measure = plan_selectors.measure_public(lineage=str(lineage))
    period = _period([measure], kind, key)
    commentary = selectors.commentary_get(
        measure_lineage=str(lineage), period_kind=kind, period_key=key
    )
    form = CommentaryForm(
        request.POST or None, initial={"text": commentary.text if commentary else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commentary_save(
                user=request.user,
                measure_lineage=str(lineage),
                period_kind=kind,
                period_key=key,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error("text", error.messages[0])
        else:
            messages.success(
                request, f"Commentary on ‘{measure.title}’ for {period[2]} saved as a draft."
            )
            return redirect(_back(request, kind, key)[0])
    return render(
        request,
        "performance/commentary_edit.html",
        {
            "form": form,
            "measure": measure,
            "period": period,
            "commentary": commentary,
            "may_approve": can(request.user, Perm.APPROVE_COMMENTARY),
            "self_drafted": commentary is not None and commentary.drafted_by_id == request.user.pk,
            "back": _back(request, kind, key)[0],
            "keep": _back(request, kind, key)[1],
            "figure": _figure(measure, kind, key),
            "section": "commentary",
        },
    )


@require(Perm.APPROVE_COMMENTARY)
@require_POST
def commentary_approve(request: HttpRequest, lineage: str, kind: str, key: str) -> HttpResponse:
    measure = plan_selectors.measure_public(lineage=str(lineage))
    period = _period([measure], kind, key)
    commentary = selectors.commentary_get(
        measure_lineage=str(lineage), period_kind=kind, period_key=key
    )
    if commentary is None:
        raise Http404("No commentary to approve")
    try:
        services.commentary_approve(user=request.user, commentary=commentary)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        edit = reverse(
            "performance:commentary-edit", kwargs={"lineage": lineage, "kind": kind, "key": key}
        )
        return redirect(edit + _back(request, kind, key)[1])
    messages.success(request, f"Commentary on ‘{measure.title}’ for {period[2]} approved.")
    return redirect(_back(request, kind, key)[0])
