"""Staff pages for scrutiny bodies: the list, each body with its members, officers and
meetings, and adding a meeting (one meeting's own pages are in `staff_meetings`). Committee
members read their own body's pages (drafts included); only those who run scrutiny change
anything."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from policeplan.core.access import require
from policeplan.core.models import User
from policeplan.core.roles import Perm, Role, can
from policeplan.core.selectors import office_current
from policeplan.core.views.formpage import form_page as _form_page
from policeplan.scrutiny import forms, selectors, services
from policeplan.scrutiny import selectors_recommendations as recs
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.models import Committee, Meeting
from policeplan.scrutiny.wording import body_defaults

SECTION = "scrutiny-staff"


def form_page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return _form_page(request, section=SECTION, **kwargs)


def _committee_url(committee: Committee) -> str:
    return reverse("scrutiny:staff-committee", args=[committee.pk])


def meeting_url(meeting: Meeting) -> str:
    return reverse("scrutiny:staff-meeting", args=[meeting.pk])


def _committee(request: HttpRequest, committee_id: int) -> Committee:
    return selectors.committee_for_staff(committee_id=committee_id, viewer=viewer_for(request.user))


def meeting_for(request: HttpRequest, meeting_id: int) -> Meeting:
    return selectors.meeting_for_staff(meeting_id=meeting_id, viewer=viewer_for(request.user))


@require(Perm.SCRUTINY_DRAFTS)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scrutiny/staff/list.html",
        {
            "committees": list(selectors.committees_for_staff(viewer=viewer_for(request.user))),
            "can_run": can(request.user, Perm.RUN_SCRUTINY),
            "section": SECTION,
        },
    )


@require(Perm.RUN_SCRUTINY)
def committee_new(request: HttpRequest) -> HttpResponse:
    form = forms.CommitteeForm(request.POST or None, initial=body_defaults(office_current()))
    return form_page(
        request,
        form=form,
        heading="Add the scrutiny body",
        back=reverse("scrutiny:staff-list"),
        save=lambda: services.committee_save(user=request.user, data=form.cleaned_data),
        done=_committee_url,
        message="Saved. Add its members and the officers who attend, then its meetings.",
    )


@require(Perm.SCRUTINY_DRAFTS)
@require_safe
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _committee(request, committee_id)
    return render(
        request,
        "scrutiny/staff/committee.html",
        {
            "committee": committee,
            "can_run": can(request.user, Perm.RUN_SCRUTINY),
            "section": SECTION,
            "reports": recs.reports_of_body(
                committee_id=committee.pk, viewer=viewer_for(request.user)
            ),
            "reviews": recs.reviews_of_body(committee_id=committee.pk),
            **selectors.committee_staff_page(committee=committee),
        },
    )


@require(Perm.RUN_SCRUTINY)
def committee_edit(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _committee(request, committee_id)
    fields = ("name", "slug", "kind", "description", "contact_email")
    form = forms.CommitteeForm(
        request.POST or None, initial={f: getattr(committee, f) for f in fields}
    )
    return form_page(
        request,
        form=form,
        heading="Change the body’s details",
        caption=committee.name,
        back=_committee_url(committee),
        save=lambda: services.committee_save(
            user=request.user, data=form.cleaned_data, committee=committee
        ),
        done=_committee_url,
        message="Details saved.",
    )


@require(Perm.RUN_SCRUTINY)
def member_form(
    request: HttpRequest, committee_id: int, member_id: int | None = None
) -> HttpResponse:
    committee = _committee(request, committee_id)
    member = committee.members.filter(pk=member_id).first() if member_id else None
    if member_id and member is None:
        raise Http404("No such member")
    fields = ("name", "role", "affiliation", "term_from", "term_to", "user")
    initial = {f: getattr(member, f) for f in fields} if member else {}
    form = forms.MemberForm(
        request.POST or None,
        initial=initial,
        accounts=User.objects.filter(role=Role.COMMITTEE_MEMBER, is_active=True),
    )
    return form_page(
        request,
        form=form,
        heading="Change a member" if member else "Add a member",
        caption=committee.name,
        back=_committee_url(committee),
        save=lambda: services.member_save(
            user=request.user, committee=committee, data=form.cleaned_data, member=member
        ),
        done=lambda _: _committee_url(committee),
        message="Member saved.",
    )


@require(Perm.RUN_SCRUTINY)
def officer_form(
    request: HttpRequest, committee_id: int, officer_id: int | None = None
) -> HttpResponse:
    committee = _committee(request, committee_id)
    officer = committee.officers.filter(pk=officer_id).first() if officer_id else None
    if officer_id and officer is None:
        raise Http404("No such officer")
    initial = {"name": officer.name, "job_title": officer.job_title} if officer else {}
    form = forms.OfficerForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        heading="Change an officer" if officer else "Add an officer who attends",
        caption=committee.name,
        back=_committee_url(committee),
        save=lambda: services.officer_save(
            user=request.user, committee=committee, data=form.cleaned_data, officer=officer
        ),
        done=lambda _: _committee_url(committee),
        message="Officer saved.",
    )


@require(Perm.RUN_SCRUTINY)
def meeting_new(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = _committee(request, committee_id)
    form = forms.MeetingForm(request.POST or None, initial={"status": "scheduled"})
    return form_page(
        request,
        form=form,
        heading="Add a meeting",
        caption=committee.name,
        back=_committee_url(committee),
        save=lambda: services.meeting_save(
            user=request.user, committee=committee, data=form.data_for_service()
        ),
        done=meeting_url,
        message="Meeting added. Add its agenda and papers, then publish it.",
    )
