"""Staff pages for the body's reports and recommendations (drafted by the body's members or
those who run scrutiny) and for the office's responses, milestones and their progress (only
those who run scrutiny)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.roles import Perm, can
from policeplan.plans import selectors as plans
from policeplan.scrutiny import selectors, services
from policeplan.scrutiny import selectors_recommendations as recs
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.forms_recommendations import (
    MilestoneForm,
    MilestoneUpdateForm,
    RecommendationForm,
    ReportForm,
    ResponseForm,
    ReviewDatesForm,
)
from policeplan.scrutiny.models import (
    Milestone,
    OfficeResponse,
    PlanReview,
    Recommendation,
    Report,
)
from policeplan.scrutiny.views.staff import SECTION, form_page

REPORT_FIELDS = (
    "kind",
    "title",
    "plan_version",
    "body_format",
    "body",
    "document_url",
    "response_due_on",
)


def report_url(report: Report) -> str:
    return reverse("scrutiny:staff-report", args=[report.pk])


def report_or_404(request: HttpRequest, report_id: int) -> Report:
    report = Report.objects.select_related("committee").filter(pk=report_id).first()
    if report is None or not viewer_for(request.user).restricted_ok(report.committee_id):
        raise Http404("No such report")
    return report


def _recommendation(request: HttpRequest, recommendation_id: int) -> Recommendation:
    found = (
        Recommendation.objects.select_related("report__committee")
        .filter(pk=recommendation_id)
        .first()
    )
    if found is None or not viewer_for(request.user).restricted_ok(found.report.committee_id):
        raise Http404("No such recommendation")
    return found


def _response(request: HttpRequest, recommendation_id: int) -> OfficeResponse:
    found = OfficeResponse.objects.filter(
        recommendation=_recommendation(request, recommendation_id)
    ).first()
    if found is None:
        raise Http404("No response yet")
    return found


def _milestone(request: HttpRequest, milestone_id: int) -> Milestone:
    found = (
        Milestone.objects.select_related("response__recommendation__report")
        .filter(pk=milestone_id)
        .first()
    )
    committee_id = found.response.recommendation.report.committee_id if found else 0
    if found is None or not viewer_for(request.user).restricted_ok(committee_id):
        raise Http404("No such milestone")
    return found


@require(Perm.SCRUTINY_DRAFTS)
def report_new(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = selectors.committee_for_staff(
        committee_id=committee_id, viewer=viewer_for(request.user)
    )
    form = ReportForm(request.POST or None, versions=plans.public_versions())
    return form_page(
        request,
        form=form,
        heading="Add a report",
        caption=committee.name,
        back=reverse("scrutiny:staff-committee", args=[committee.pk]),
        save=lambda: services.report_save(
            user=request.user, committee=committee, data=form.cleaned_data
        ),
        done=report_url,
        message="Report saved. Add its recommendations, then publish it.",
    )


@require(Perm.SCRUTINY_DRAFTS)
@require_safe
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    return render(
        request,
        "scrutiny/staff/report.html",
        {
            "report": report,
            "committee": report.committee,
            "rows": recs.report_page(report=report, viewer=viewer_for(request.user)),
            "can_run": can(request.user, Perm.RUN_SCRUTINY),
            "section": SECTION,
        },
    )


@require(Perm.SCRUTINY_DRAFTS)
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    form = ReportForm(
        request.POST or None,
        initial={f: getattr(report, f) for f in REPORT_FIELDS},
        versions=plans.public_versions(),
    )
    return form_page(
        request,
        form=form,
        heading="Change the report",
        caption=report.committee.name,
        back=report_url(report),
        save=lambda: services.report_save(
            user=request.user, committee=report.committee, data=form.cleaned_data, report=report
        ),
        done=report_url,
        message="Report saved.",
    )


@require(Perm.SCRUTINY_DRAFTS)
@require_POST
def report_publish(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    try:
        services.report_publish(user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Published: the report and its recommendations are public.")
    return redirect(report_url(report))


def _recommendation_page(
    request: HttpRequest, report: Report, recommendation: Recommendation | None
) -> HttpResponse:
    initial: dict[str, Any] = {"number": report.recommendations.count() + 1}
    if recommendation is not None:
        initial = {
            "number": recommendation.number,
            "text": recommendation.text,
            "links": [f"{link.element}:{link.lineage}" for link in recommendation.links.all()],
            "boroughs": [a.code for a in recommendation.boroughs.all()],
        }
    from policeplan.estates.selectors import boroughs

    form = RecommendationForm(
        request.POST or None,
        initial=initial,
        elements=recs.recommendation_elements(report=report),
        boroughs=[(a.code, a.name) for a in boroughs()],
    )
    return form_page(
        request,
        form=form,
        heading="Change a recommendation" if recommendation else "Add a recommendation",
        caption=report.title,
        back=report_url(report),
        save=lambda: services.recommendation_save(
            user=request.user,
            report=report,
            recommendation=recommendation,
            data={
                "number": form.cleaned_data["number"],
                "text": form.cleaned_data["text"],
                "links": form.links_chosen(),
                "boroughs": form.cleaned_data["boroughs"],
            },
        ),
        done=lambda _: report_url(report),
        message="Recommendation saved.",
    )


@require(Perm.SCRUTINY_DRAFTS)
def recommendation_new(request: HttpRequest, report_id: int) -> HttpResponse:
    return _recommendation_page(request, report_or_404(request, report_id), None)


@require(Perm.SCRUTINY_DRAFTS)
def recommendation_edit(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    found = _recommendation(request, recommendation_id)
    return _recommendation_page(request, found.report, found)


@require(Perm.RUN_SCRUTINY)
def response_edit(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    found = _recommendation(request, recommendation_id)
    existing = OfficeResponse.objects.filter(recommendation=found).first()
    fields = ("decision", "reasons", "will_do", "target_on")
    initial = {f: getattr(existing, f) for f in fields} if existing else {}
    form = ResponseForm(request.POST or None, initial=initial)

    def save() -> Any:
        data = dict(form.cleaned_data)
        reason = data.pop("change_reason")
        return services.response_save(
            user=request.user, recommendation=found, data=data, change_reason=reason
        )

    return form_page(
        request,
        form=form,
        heading="The office’s response",
        caption=f"{found.report.title}: recommendation {found.number}",
        back=report_url(found.report),
        save=save,
        done=lambda _: report_url(found.report),
        message="Response saved. Publish it when it is ready.",
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def response_publish(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    response = _response(request, recommendation_id)
    services.response_publish(user=request.user, response=response)
    messages.success(request, "Published: the response is on the tracker.")
    return redirect(report_url(response.recommendation.report))


def _milestone_page(
    request: HttpRequest, response: OfficeResponse, milestone: Milestone | None
) -> HttpResponse:
    initial = {"title": milestone.title, "due_on": milestone.due_on} if milestone else {}
    form = MilestoneForm(request.POST or None, initial=initial)
    report = response.recommendation.report

    def save() -> Any:
        data = dict(form.cleaned_data)
        reason = data.pop("change_reason")
        return services.milestone_save(
            user=request.user,
            response=response,
            data=data,
            milestone=milestone,
            change_reason=reason,
        )

    return form_page(
        request,
        form=form,
        heading="Change a milestone" if milestone else "Add a milestone",
        caption=f"{report.title}: recommendation {response.recommendation.number}",
        back=report_url(report),
        save=save,
        done=lambda _: report_url(report),
        message="Milestone saved.",
    )


@require(Perm.RUN_SCRUTINY)
def milestone_new(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    return _milestone_page(request, _response(request, recommendation_id), None)


@require(Perm.RUN_SCRUTINY)
def milestone_edit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    found = _milestone(request, milestone_id)
    return _milestone_page(request, found.response, found)


@require(Perm.RUN_SCRUTINY)
def milestone_progress(request: HttpRequest, milestone_id: int) -> HttpResponse:
    found = _milestone(request, milestone_id)
    report = found.response.recommendation.report
    form = MilestoneUpdateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        heading="Record progress on a milestone",
        caption=found.title,
        back=report_url(report),
        save=lambda: services.milestone_update_add(
            user=request.user, milestone=found, **form.cleaned_data
        ),
        done=lambda _: report_url(report),
        message="Progress recorded.",
    )


@require(Perm.RUN_SCRUTINY)
def review_dates(request: HttpRequest, review_id: int) -> HttpResponse:
    """Change when the body's statutory review of a draft plan opens and closes."""
    review = (
        PlanReview.objects.select_related("committee", "plan_version__plan")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("No such review")
    form = ReviewDatesForm(
        request.POST or None,
        initial={"opens_on": review.opens_on, "closes_on": review.closes_on},
    )
    back = reverse("scrutiny:staff-committee", args=[review.committee_id])
    version = review.plan_version
    return form_page(
        request,
        form=form,
        heading="Change the dates of the review",
        caption=f"{review.committee.name}: {version.plan.title}, version {version.number}",
        back=back,
        save=lambda: services.plan_review_dates(
            user=request.user,
            review=review,
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
        ),
        done=lambda _: back,
        message="The review’s dates are saved.",
    )
