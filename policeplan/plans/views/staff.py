"""Staff pages: create and edit plan versions, check s.7 completeness, publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.govuk import apply_validation_error
from policeplan.core.roles import Perm, can
from policeplan.core.uploads import refusal, upload_limit
from policeplan.plans import forms, selectors, services
from policeplan.plans.kinds import KINDS, ItemKind, version_of
from policeplan.plans.models import Outcome, PlanVersion, Priority

SECTIONS = {
    "chapters": "Chapters",
    "priorities": "Priorities, outcomes and measures",
    "commitments": "Commitments",
    "resources": "Resources",
    "grants": "Crime and disorder reduction grants",
    "reporting": "How the chief officer reports",
    "documents": "Documents",
}


def _version(request: HttpRequest, version_id: int) -> PlanVersion:
    return selectors.version_for_staff(version_id=version_id, user=request.user)


def _tasks_url(version: PlanVersion) -> str:
    return reverse("plans:staff-version", args=[version.pk])


def _section_url(version: PlanVersion, section: str) -> str:
    return reverse("plans:staff-section", args=[version.pk, section])


@require(Perm.STAFF_AREA)
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plans/staff/home.html",
        {"plans": selectors.plans_for_staff(user=request.user), "section": "staff"},
    )


@require(Perm.EDIT_PLANS)
def plan_create(request: HttpRequest) -> HttpResponse:
    form = forms.PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{version.plan.title} created. Version 1 is a draft.")
            return redirect(_tasks_url(version))
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "heading": "Create a Police and Crime Plan",
            "section": "staff",
            "back": reverse("plans:staff-home"),
            "button": "Create the plan",
        },
    )


@require(Perm.EDIT_PLANS)
@require_POST
def version_new_draft(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plans = [p for p in selectors.plans_for_staff(user=request.user) if p.slug == plan_slug]
    if not plans:
        raise Http404("No such plan")
    try:
        version = services.plan_version_new_draft(user=request.user, plan=plans[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:staff-home")
    messages.success(
        request, f"Version {version.number} created as a draft, copied from the latest version."
    )
    return redirect(_tasks_url(version))


@require(Perm.STAFF_AREA)
@require_safe
def version_tasks(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    requirements = selectors.plan_version_completeness(version=version)
    contents = selectors.plan_version_snapshot(version=version)
    return render(
        request,
        "plans/staff/version.html",
        {
            "version": version,
            "plan": version.plan,
            "requirements": requirements,
            "contents": contents,
            "sections": SECTIONS,
            "section": "staff",
            "can_edit": version.is_editable and can(request.user, Perm.EDIT_PLANS),
            "can_publish": version.is_editable and can(request.user, Perm.PUBLISH_PLANS),
        },
    )


@require(Perm.EDIT_PLANS)
def version_details(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _editable(request, version_id)
    form = forms.VersionDetailsForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_update(user=request.user, version=version, data=form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Introduction and details saved.")
            return redirect(_tasks_url(version))
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "version": version,
            "heading": "Introduction and details",
            "section": "staff",
            "back": _tasks_url(version),
        },
    )


def _editable(request: HttpRequest, version_id: int) -> PlanVersion:
    version = _version(request, version_id)
    if not version.is_editable:
        raise PermissionDenied("Published versions cannot be changed.")
    return version


@require(Perm.STAFF_AREA)
@require_safe
def section(request: HttpRequest, version_id: int, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such section")
    version = _version(request, version_id)
    context: dict[str, Any] = {
        "version": version,
        "plan": version.plan,
        "section_key": section,
        "heading": SECTIONS[section],
        "section": "staff",
        "can_edit": version.is_editable and can(request.user, Perm.EDIT_PLANS),
    }
    if section == "priorities":
        context["priorities"] = selectors.plan_version_framework(version=version)
    elif section == "commitments":
        context["items"] = selectors.version_commitments(version=version)
    else:
        context["items"] = list(KINDS[section].siblings(version).order_by("order", "pk"))
    return render(request, f"plans/staff/section_{section}.html", context)


def _parent(kind: ItemKind, version: PlanVersion, parent_id: str | None) -> models.Model:
    if kind.parent_field == "version":
        return version
    model = Priority if kind.parent_field == "priority" else Outcome
    lookup = "version" if model is Priority else "priority__version"
    parent = (
        model.objects.filter(pk=parent_id or 0, **{lookup: version}).first()
        if (parent_id or "").isdigit()
        else None
    )
    if parent is None:
        raise Http404(f"No such {kind.parent_field}")
    return parent


def _form(kind: ItemKind, version: PlanVersion, request: HttpRequest, instance: Any = None) -> Any:
    form_class = forms.FORMS[kind.key]
    extra: dict[str, Any] = {"version": version} if kind.key == "commitments" else {}
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = form_class(data, files, instance=instance, **extra)
    if (refused := refusal(request)) and "file" in form.fields:
        form.add_error("file", refused)  # stopped while it streamed: never read whole
    return form


@upload_limit(forms.MAX_DOCUMENT_BYTES)
@require(Perm.EDIT_PLANS)
def item_add(request: HttpRequest, version_id: int, kind: str) -> HttpResponse:
    item_kind = KINDS.get(kind)
    if item_kind is None:
        raise Http404("No such kind of item")
    version = _editable(request, version_id)
    parent = _parent(item_kind, version, request.GET.get("parent") or request.POST.get("parent"))
    form = _form(item_kind, version, request)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_create(
                user=request.user, kind=item_kind, parent=parent, data=form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"The {item_kind.singular} has been added.")
            return redirect(_section_url(version, item_kind.section))
    heading = f"Add a {item_kind.singular}"
    if parent is not version:
        heading += f" to ‘{parent}’"
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "version": version,
            "heading": heading,
            "section": "staff",
            "parent": parent if parent is not version else None,
            "kind": item_kind,
            "back": _section_url(version, item_kind.section),
            "enctype": "multipart/form-data" if kind == "documents" else None,
        },
    )


def _item(version: PlanVersion, kind: str, item_id: int) -> tuple[ItemKind, models.Model]:
    item_kind = KINDS.get(kind)
    item = item_kind.model.objects.filter(pk=item_id).first() if item_kind else None  # type: ignore[attr-defined]
    if item_kind is None or item is None or version_of(item).pk != version.pk:
        raise Http404("No such item")
    return item_kind, item


@upload_limit(forms.MAX_DOCUMENT_BYTES)
@require(Perm.EDIT_PLANS)
def item_edit(request: HttpRequest, version_id: int, kind: str, item_id: int) -> HttpResponse:
    version = _editable(request, version_id)
    item_kind, item = _item(version, kind, item_id)
    form = _form(item_kind, version, request, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(user=request.user, item=item, data=form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"The {item_kind.singular} has been saved.")
            return redirect(_section_url(version, item_kind.section))
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "version": version,
            "heading": f"Change the {item_kind.singular}",
            "section": "staff",
            "kind": item_kind,
            "back": _section_url(version, item_kind.section),
            "enctype": "multipart/form-data" if kind == "documents" else None,
        },
    )


@require(Perm.EDIT_PLANS)
def item_remove(request: HttpRequest, version_id: int, kind: str, item_id: int) -> HttpResponse:
    version = _editable(request, version_id)
    item_kind, item = _item(version, kind, item_id)
    if request.method == "POST":
        services.plan_item_archive(user=request.user, item=item)
        messages.success(
            request, f"The {item_kind.singular} ‘{item}’ has been removed from this draft."
        )
        return redirect(_section_url(version, item_kind.section))
    return render(
        request,
        "plans/staff/remove.html",
        {
            "version": version,
            "kind": item_kind,
            "item": item,
            "section": "staff",
            "back": _section_url(version, item_kind.section),
        },
    )


@require(Perm.EDIT_PLANS)
@require_POST
def item_move(request: HttpRequest, version_id: int, kind: str, item_id: int) -> HttpResponse:
    version = _editable(request, version_id)
    item_kind, item = _item(version, kind, item_id)
    services.plan_item_move(
        user=request.user, item=item, direction=request.POST.get("direction", "")
    )
    return redirect(_section_url(version, item_kind.section))


@require(Perm.PUBLISH_PLANS)
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _editable(request, version_id)
    form = forms.PublishForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_publish(
                user=request.user,
                version=version,
                state=form.cleaned_data["state"],
                change_note=form.cleaned_data["change_note"],
            )
        except services.PublishRefused as refusal:
            problems = refusal.problems
            form.add_error(None, "This version cannot be published as the final plan yet")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, f"{version.plan.title}, version {version.number}, has been published."
            )
            return redirect("plans:version", plan_slug=version.plan.slug, number=version.number)
    requirements = selectors.plan_version_completeness(version=version)
    # Each missing item links to the section of the version where it is added.
    fixed_in = {problem: r.section for r in requirements for problem in r.problems}
    return render(
        request,
        "plans/staff/publish.html",
        {
            "form": form,
            "version": version,
            "plan": version.plan,
            "problems": [
                {"text": p, "href": _section_url(version, fixed_in.get(p, "priorities"))}
                for p in problems
            ],
            "section": "staff",
            "requirements": requirements,
        },
    )
