"""Staff pages for reports: the editions, starting one, its texts, its checklist (what stops
it being published, each item linked to where to put it right), publishing and its PDF's
progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.roles import Perm, can
from policeplan.plans import selectors as plans
from policeplan.reports import selectors, services
from policeplan.reports.forms import ReportForm, TextsForm
from policeplan.reports.kinds import SLUGS, ReportKind


@require(Perm.PREPARE_REPORTS)
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/staff/list.html",
        {
            "reports": list(selectors.reports_for_staff()),
            "slugs": SLUGS,
            "section": "reports-staff",
        },
    )


@require(Perm.PREPARE_REPORTS)
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, versions=plans.final_versions())
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems[0])
        else:
            messages.success(request, f"{report} started as a draft.")
            return redirect("reports:staff-detail", pk=report.pk)
    return render(request, "reports/staff/new.html", {"form": form, "section": "reports-staff"})


@require(Perm.PREPARE_REPORTS)
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_staff(pk=pk)
    snapshot = selectors.report_contents(report=report)
    requirements = selectors.report_requirements(report=report, snapshot=snapshot)
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "slug": SLUGS[ReportKind(report.kind)],
            "requirements": requirements,
            "missing": [r for r in requirements if not r.done],
            "may_publish": can(request.user, Perm.PUBLISH_REPORTS),
            "section": "reports-staff",
        },
    )


@require(Perm.PREPARE_REPORTS)
def report_texts(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_staff(pk=pk)
    if report.is_published:
        messages.error(request, "This report is published: its texts can no longer change.")
        return redirect("reports:staff-detail", pk=report.pk)
    annual = report.kind == ReportKind.ANNUAL
    initial = {name: getattr(report, name) for name in services.TEXT_FIELDS}
    form = TextsForm(request.POST or None, initial=initial, annual=annual)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_texts_save(user=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, "Texts saved.")
            return redirect("reports:staff-detail", pk=report.pk)
    return render(
        request,
        "reports/staff/texts.html",
        {"form": form, "report": report, "section": "reports-staff"},
    )


@require(Perm.PUBLISH_REPORTS)
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_staff(pk=pk)
    try:
        report = services.report_publish(user=request.user, report=report)
    except services.NotReady as refusal:
        snapshot = selectors.report_contents(report=report)
        requirements = selectors.report_requirements(report=report, snapshot=snapshot)
        return render(
            request,
            "reports/staff/detail.html",
            {
                "report": report,
                "slug": SLUGS[ReportKind(report.kind)],
                "requirements": requirements,
                "missing": refusal.missing,
                "refused": True,
                "may_publish": True,
                "section": "reports-staff",
            },
        )
    messages.success(
        request, f"{report} published. Its PDF is being made; this page shows its progress."
    )
    return redirect("reports:staff-detail", pk=report.pk)


@require(Perm.PUBLISH_REPORTS)
@require_POST
def report_pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_staff(pk=pk)
    services.report_pdf_retry(user=request.user, report=report)
    return redirect("reports:staff-detail", pk=report.pk)
