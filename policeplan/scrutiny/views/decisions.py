"""The decisions log: the public list (search, filters, pages, CSV) and a page per decision,
and the staff pages that add, change and publish decisions and their documents. What each
viewer sees passes `scrutiny.disclosure` (through `selectors_decisions`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.csvsafe import to_csv
from policeplan.core.markdown import render_markdown
from policeplan.core.roles import Perm
from policeplan.core.uploads import upload_limit
from policeplan.plans import selectors as plans
from policeplan.scrutiny import forms_record, services
from policeplan.scrutiny import selectors_decisions as selectors
from policeplan.scrutiny.disclosure import PUBLIC, viewer_for
from policeplan.scrutiny.models import Decision
from policeplan.scrutiny.services.decisions import DECISION_FIELDS
from policeplan.scrutiny.views.staff import SECTION as STAFF_SECTION
from policeplan.scrutiny.views.staff import form_page

SECTION = "scrutiny"
PER_PAGE = 25


def _search(request: HttpRequest) -> tuple[forms_record.DecisionSearchForm, dict[str, Any]]:
    form = forms_record.DecisionSearchForm(
        request.GET or None, choices=selectors.decision_filter_choices()
    )
    if form.is_bound:
        form.is_valid()
    return form, form.filters()


@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    """Published decisions, newest first, searched and filtered, 25 to a page."""
    form, filters = _search(request)
    rows = selectors.decisions_list(viewer=PUBLIC, **filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scrutiny/decisions.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "section": SECTION,
        },
        status=400 if form.errors else 200,
    )


CSV_HEADER = [
    "reference",
    "title",
    "summary",
    "decision_maker",
    "decision_maker_role",
    "decided_on",
    "value_gbp",
    "part2_withheld",
    "part2_reason",
    "plan_links",
    "meeting_date",
    "url",
]


@require_safe
def decisions_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV: the public's view whoever asks, every cell formula-safe;
    a value is a number in pounds, or empty when the decision has none (never 0)."""
    form, filters = _search(request)
    if form.errors:
        return render(
            request,
            "scrutiny/decisions.html",
            {"form": form, "page": None, "query": "", "section": SECTION},
            status=400,
        )
    rows = selectors.decisions_with_links(selectors.decisions_list(viewer=PUBLIC, **filters))
    elements = {e.lineage: e for e in plans.plan_elements_current()}
    out = []
    for decision in rows:
        row = selectors.public_row(decision, elements)
        meeting = row["meeting"]
        out.append(
            [
                decision.reference,
                decision.title,
                decision.summary,
                decision.decision_maker,
                decision.decision_maker_role,
                decision.decided_on.isoformat(),
                "" if decision.value is None else f"{decision.value:.2f}",
                "yes" if row["part2_withheld"] else "no",
                decision.exempt_reason if row["part2_withheld"] else "",
                "; ".join(f"{link.kind_label}: {link.title}" for link in row["links"]),
                timezone.localdate(meeting.starts_at).isoformat() if meeting else "",
                request.build_absolute_uri(reverse("scrutiny:decision", args=[decision.slug])),
            ]
        )
    response = HttpResponse(to_csv(CSV_HEADER, out), content_type="text/csv; charset=utf-8")
    name = f"decisions-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def decision(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    found = selectors.decision_for_viewer(slug=slug, viewer=viewer)
    page = selectors.decision_page(decision=found, viewer=viewer)
    return render(
        request,
        "scrutiny/decision.html",
        {
            "decision": found,
            "page": page,
            "summary": render_markdown(found.summary),
            "part2": render_markdown(found.exempt_summary) if page.part2 == "full" else "",
            "section": SECTION,
        },
    )


@require_safe
def decision_document(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    document = selectors.document_for_viewer(
        slug=slug, document_id=document_id, viewer=viewer_for(request.user)
    )
    if not document.file or not document.file.storage.exists(document.file.name or ""):
        raise Http404("No such file")
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


# ---- Staff -------------------------------------------------------------------------------


def _staff_url(decision: Decision) -> str:
    return reverse("scrutiny:staff-decision", args=[decision.pk])


def _decision(request: HttpRequest, decision_id: int) -> Decision:
    return selectors.decision_for_staff(decision_id=decision_id, viewer=viewer_for(request.user))


@require(Perm.RUN_SCRUTINY)
@require_safe
def staff_decisions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.decisions_for_staff(), 50).get_page(request.GET.get("page"))
    return render(
        request, "scrutiny/staff/decisions.html", {"page": page, "section": STAFF_SECTION}
    )


def _decision_form(request: HttpRequest, decision: Decision | None) -> HttpResponse:
    elements = plans.plan_elements_current()
    initial: dict[str, Any] = {}
    if decision is not None:
        names = [f for f in DECISION_FIELDS if f != "slug"]
        initial = {name: getattr(decision, name) for name in names}
        initial["value"] = "" if decision.value is None else f"{decision.value:.2f}"
        links = decision.plan_links.values_list("lineage", flat=True)
        initial["plan_links"] = [str(x) for x in links]
    form = forms_record.DecisionForm(
        request.POST or None,
        initial=initial,
        elements=elements,
        meetings=selectors.meetings_to_link(),
        items=selectors.items_to_link(),
    )
    return form_page(
        request,
        form=form,
        heading="Change the decision" if decision else "Add a decision",
        caption=decision.reference if decision else "Decisions log",
        back=_staff_url(decision) if decision else reverse("scrutiny:staff-decisions"),
        save=lambda: services.decision_save(
            user=request.user,
            data=form.data_for_service(),
            plan_links=form.cleaned_data["plan_links"],
            decision=decision,
        ),
        done=_staff_url,
        message="Decision saved."
        if decision
        else "Decision added. Add its documents, then publish it.",
    )


@require(Perm.RUN_SCRUTINY)
def staff_decision_new(request: HttpRequest) -> HttpResponse:
    return _decision_form(request, None)


@require(Perm.RUN_SCRUTINY)
def staff_decision_edit(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _decision_form(request, _decision(request, decision_id))


@require(Perm.RUN_SCRUTINY)
@require_safe
def staff_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    found = _decision(request, decision_id)
    viewer = viewer_for(request.user)
    return render(
        request,
        "scrutiny/staff/decision.html",
        {
            "decision": found,
            "page": selectors.decision_page(decision=found, viewer=viewer),
            "section": STAFF_SECTION,
        },
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def staff_decision_publish(request: HttpRequest, decision_id: int) -> HttpResponse:
    found = _decision(request, decision_id)
    services.decision_publish(user=request.user, decision=found)
    messages.success(request, f"Published: {found.reference} is in the public decisions log.")
    return redirect(_staff_url(found))


@require(Perm.RUN_SCRUTINY)
@upload_limit(forms_record.DOCUMENT_MAX_BYTES)
def staff_document_add(request: HttpRequest, decision_id: int) -> HttpResponse:
    found = _decision(request, decision_id)
    form = forms_record.DecisionDocumentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        heading="Add a document",
        caption=found.reference,
        back=_staff_url(found),
        save=lambda: services.decision_document_add(
            user=request.user,
            decision=found,
            data={k: v for k, v in form.cleaned_data.items() if k != "upload"},
            upload=form.cleaned_data.get("upload"),
        ),
        done=lambda _: _staff_url(found),
        message="Document added.",
        enctype="multipart/form-data",
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def staff_document_remove(request: HttpRequest, decision_id: int, document_id: int) -> HttpResponse:
    found = _decision(request, decision_id)
    document = found.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    services.decision_document_remove(user=request.user, document=document)
    messages.success(request, f"Removed: {document.title}.")
    return redirect(_staff_url(found))
