"""Public pages of the plan. Drafts are invisible (404) to anyone without VIEW_DRAFTS."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from policeplan.consultations import selectors as consultation_selectors
from policeplan.performance import selectors as performance
from policeplan.plans import selectors
from policeplan.plans.models import Measure, PlanVersion, Priority
from policeplan.scrutiny import selectors_recommendations as scrutiny


def _latest(priorities: list[Priority]) -> dict[str, Any]:
    """Each measure's latest figure for the force area and its status, by measure id, and
    that area (a fixed number of queries however many measures there are)."""
    measures: list[Measure] = [
        m for p in priorities for o in p.outcomes.all() for m in o.measures.all()
    ]
    force = performance.main_force()
    return {"latest": performance.measure_headlines(measures=measures, area=force), "force": force}


def _version_page(
    request: HttpRequest,
    version: PlanVersion,
    *,
    is_home: bool,
    consultation: PlanVersion | None = None,
) -> HttpResponse:
    context = {
        "version": version,
        "plan": version.plan,
        "is_home": is_home,
        "consultation": consultation,
        "open_consultations": consultation_selectors.consultations_open() if is_home else [],
        "replaced_by": selectors.plan_version_replaced_by(version=version),
        # How the scrutiny body's recommendations on the draft were answered (a final plan).
        "answered": scrutiny.answered_for_final(version=version),
        "section": "plan",
        **selectors.plan_version_contents(version=version),
    }
    return render(request, "plans/public/version.html", context)


@require_safe
def public_home(request: HttpRequest) -> HttpResponse:
    current = selectors.plan_current_public()
    if current.version is None:
        return render(request, "plans/public/no_plan.html", {"section": "plan"})
    return _version_page(request, current.version, is_home=True, consultation=current.consultation)


@require_safe
def version_home(request: HttpRequest, plan_slug: str, number: int) -> HttpResponse:
    version = selectors.plan_version_for_viewer(
        plan_slug=plan_slug, number=number, user=request.user
    )
    return _version_page(request, version, is_home=False)


@require_safe
def priority_detail(request: HttpRequest, plan_slug: str, number: int, slug: str) -> HttpResponse:
    version = selectors.plan_version_for_viewer(
        plan_slug=plan_slug, number=number, user=request.user
    )
    priority = selectors.priority_for_viewer(version=version, slug=slug)
    return render(
        request,
        "plans/public/priority.html",
        {
            "version": version,
            "plan": version.plan,
            "priority": priority,
            **_latest([priority]),
            "section": "plan",
        },
    )


@require_safe
def chapter_detail(request: HttpRequest, plan_slug: str, number: int, slug: str) -> HttpResponse:
    version = selectors.plan_version_for_viewer(
        plan_slug=plan_slug, number=number, user=request.user
    )
    chapter, before, after = selectors.chapter_for_viewer(version=version, slug=slug)
    return render(
        request,
        "plans/public/chapter.html",
        {
            "version": version,
            "plan": version.plan,
            "chapter": chapter,
            "previous": before,
            "next": after,
            "section": "plan",
        },
    )


@require_safe
def framework(request: HttpRequest, plan_slug: str, number: int) -> HttpResponse:
    version = selectors.plan_version_for_viewer(
        plan_slug=plan_slug, number=number, user=request.user
    )
    priorities = selectors.plan_version_framework(version=version)
    return render(
        request,
        "plans/public/framework.html",
        {
            "version": version,
            "plan": version.plan,
            "section": "plan",
            "priorities": priorities,
            **_latest(priorities),
        },
    )


@require_safe
def delivery(request: HttpRequest, plan_slug: str, number: int) -> HttpResponse:
    """Commitments, resources, grants and reporting arrangements."""
    version = selectors.plan_version_for_viewer(
        plan_slug=plan_slug, number=number, user=request.user
    )
    return render(
        request,
        "plans/public/delivery.html",
        {
            "version": version,
            "plan": version.plan,
            "section": "plan",
            "commitments": selectors.version_commitments(version=version),
            "resources": list(version.resources.order_by("order", "pk")),
            "grants": list(version.grants.order_by("order", "pk")),
            "reporting": list(version.reporting.order_by("order", "pk")),
        },
    )


@require_safe
def history(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan, versions = selectors.plan_for_viewer(plan_slug=plan_slug, user=request.user)
    return render(
        request,
        "plans/public/history.html",
        {"plan": plan, "versions": versions, "section": "plan"},
    )


@require_safe
def compare(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan, versions = selectors.plan_for_viewer(plan_slug=plan_slug, user=request.user)
    by_number = {v.number: v for v in versions}
    error = ""
    try:
        new_number = int(request.GET.get("to") or versions[0].number)
        old_number = int(
            request.GET.get("from") or (versions[1].number if len(versions) > 1 else new_number)
        )
    except ValueError:
        new_number = old_number = 0
    old, new = by_number.get(old_number), by_number.get(new_number)
    if old is None or new is None:
        error = "Select two versions of the plan to compare"
        old, new = (versions[1] if len(versions) > 1 else versions[0]), versions[0]
    sections = selectors.plan_versions_compare(old=old, new=new) if old != new else []
    return render(
        request,
        "plans/public/compare.html",
        {
            "plan": plan,
            "versions": versions,
            "old": old,
            "new": new,
            "sections": sections,
            "error": error,
            "section": "plan",
        },
    )


@require_safe
def document_download(
    request: HttpRequest, plan_slug: str, number: int, document_id: int
) -> FileResponse:
    version = selectors.plan_version_for_viewer(
        plan_slug=plan_slug, number=number, user=request.user
    )
    document = version.documents.filter(pk=document_id).first()
    if document is None or not document.file.storage.exists(document.file.name or ""):
        raise Http404("No such document")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name)
