"""Staff pages for scrutiny: bodies, members and officers, meetings with their agenda, papers,
declarations, attendance and minutes, and actions. Committee members read their own body's
pages here (drafts included); only those who run scrutiny change anything."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.models import User
from policeplan.core.roles import Perm, Role, can
from policeplan.core.selectors import office_current
from policeplan.core.uploads import upload_limit
from policeplan.core.views.formpage import form_page as _form_page
from policeplan.scrutiny import forms, selectors, services
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.models import Committee, Meeting, Minutes, Paper
from policeplan.scrutiny.wording import body_defaults

SECTION = "scrutiny-staff"


def form_page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return _form_page(request, section=SECTION, **kwargs)


def _committee_url(committee: Committee) -> str:
    return reverse("scrutiny:staff-committee", args=[committee.pk])


def _meeting_url(meeting: Meeting) -> str:
    return reverse("scrutiny:staff-meeting", args=[meeting.pk])


def _committee(request: HttpRequest, committee_id: int) -> Committee:
    return selectors.committee_for_staff(committee_id=committee_id, viewer=viewer_for(request.user))


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
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
        done=_meeting_url,
        message="Meeting added. Add its agenda and papers, then publish it.",
    )


@require(Perm.SCRUTINY_DRAFTS)
@require_safe
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return render(
        request,
        "scrutiny/staff/meeting.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "page": selectors.meeting_page(meeting=meeting, viewer=viewer_for(request.user)),
            "draft_minutes": Minutes.objects.filter(meeting=meeting).first(),
            "can_run": can(request.user, Perm.RUN_SCRUTINY),
            "section": SECTION,
        },
    )


@require(Perm.RUN_SCRUTINY)
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = forms.MeetingForm(request.POST or None)
    if request.method != "POST":
        form.initial = {
            f: getattr(meeting, f)
            for f in ("title", "status", "venue", "online_link", "webcast_link")
        }
        form.initial_from(meeting)
    return form_page(
        request,
        form=form,
        heading="Change the meeting",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.meeting_save(
            user=request.user,
            committee=meeting.committee,
            data=form.data_for_service(),
            meeting=meeting,
        ),
        done=_meeting_url,
        message="Meeting saved.",
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def meeting_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    services.meeting_publish(user=request.user, meeting=meeting)
    messages.success(request, "Published: the meeting is on the public pages and calendar.")
    return redirect(_meeting_url(meeting))


@require(Perm.RUN_SCRUTINY)
def item_form(request: HttpRequest, meeting_id: int, item_id: int | None = None) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    item = meeting.items.filter(pk=item_id).first() if item_id else None
    if item_id and item is None:
        raise Http404("No such item")
    fields = ("number", "title", "description", "exempt", "exempt_reason")
    initial = (
        {f: getattr(item, f) for f in fields} if item else {"number": meeting.items.count() + 1}
    )
    form = forms.AgendaItemForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        heading="Change an agenda item" if item else "Add an agenda item",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.agenda_item_save(
            user=request.user, meeting=meeting, data=form.cleaned_data, item=item
        ),
        done=lambda _: _meeting_url(meeting),
        message="Agenda item saved.",
    )


@require(Perm.RUN_SCRUTINY)
@upload_limit(forms.PAPER_MAX_BYTES)
def paper_form(
    request: HttpRequest, meeting_id: int, item_id: int, paper_id: int | None = None
) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such item")
    paper = item.papers.filter(pk=paper_id).first() if paper_id else None
    if paper_id and paper is None:
        raise Http404("No such paper")
    fields = ("title", "body", "body_format", "order", "exempt", "exempt_reason")
    initial = {f: getattr(paper, f) for f in fields} if paper else {}
    form = forms.PaperForm(request.POST or None, request.FILES or None, initial=initial)

    def save() -> Any:
        data = {k: v for k, v in form.cleaned_data.items() if k != "upload"}
        return services.paper_save(
            user=request.user,
            item=item,
            data=data,
            upload=form.cleaned_data.get("upload"),
            paper=paper,
        )

    return form_page(
        request,
        form=form,
        heading="Change a paper" if paper else "Add a paper",
        caption=str(item),
        back=_meeting_url(meeting),
        save=save,
        done=lambda _: _meeting_url(meeting),
        message="Paper saved. Publish it when it is ready.",
        enctype="multipart/form-data",
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def paper_publish(request: HttpRequest, meeting_id: int, paper_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    paper = Paper.objects.filter(item__meeting=meeting, pk=paper_id).first()
    if paper is None:
        raise Http404("No such paper")
    services.paper_publish(user=request.user, paper=paper)
    messages.success(request, f"Published: {paper.title}.")
    return redirect(_meeting_url(meeting))


@require(Perm.RUN_SCRUTINY)
def declaration_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = forms.DeclarationForm(request.POST or None, meeting=meeting)
    return form_page(
        request,
        form=form,
        heading="Record a declaration of interest",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.declaration_add(
            user=request.user, meeting=meeting, data=form.cleaned_data
        ),
        done=lambda _: _meeting_url(meeting),
        message="Declaration recorded.",
    )


@require(Perm.RUN_SCRUTINY)
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    members = selectors.members_serving(meeting=meeting)
    officers = list(meeting.committee.officers.all())
    initial = {
        (f"member_{a.member_id}" if a.member_id else f"officer_{a.officer_id}"): a.presence
        for a in meeting.attendance.all()
    }
    form = forms.AttendanceForm(
        request.POST or None, initial=initial, members=members, officers=officers
    )
    return form_page(
        request,
        form=form,
        heading="Record attendance",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.attendance_record(
            user=request.user,
            meeting=meeting,
            members=form.presences("member"),
            officers=form.presences("officer"),
        ),
        done=_meeting_url,
        message="Attendance saved.",
    )


@require(Perm.RUN_SCRUTINY)
def minutes_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    initial = {"text": minutes.text, "exempt_text": minutes.exempt_text} if minutes else {}
    form = forms.MinutesForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        heading="Draft the minutes",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.minutes_save(user=request.user, meeting=meeting, **form.cleaned_data),
        done=lambda _: _meeting_url(meeting),
        message="Minutes saved. Actions they propose are listed for you to confirm.",
    )


@require(Perm.RUN_SCRUTINY)
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404("No minutes yet")
    form = forms.ApproveMinutesForm(
        request.POST or None, meetings=selectors.later_meetings(meeting=meeting)
    )
    return form_page(
        request,
        form=form,
        heading="Record the minutes’ approval",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.minutes_approve(
            user=request.user, minutes=minutes, at_meeting=form.cleaned_data["at_meeting"]
        ),
        done=lambda _: _meeting_url(meeting),
        message="Minutes approved: they are now on the public meeting page.",
        button="Approve the minutes",
    )


@require(Perm.RUN_SCRUTINY)
def action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = forms.ActionForm(request.POST or None, meeting=meeting)
    return form_page(
        request,
        form=form,
        heading="Add an action",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=lambda: services.action_save(
            user=request.user, meeting=meeting, data=form.cleaned_data
        ),
        done=lambda _: _meeting_url(meeting),
        message="Action added.",
    )


@require(Perm.RUN_SCRUTINY)
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change an action; one the minutes proposed is confirmed by saving it here."""
    action = selectors.action_for_staff(action_id=action_id, viewer=viewer_for(request.user))
    meeting = action.meeting
    proposed = action.confirmed_at is None
    initial = {f: getattr(action, f) for f in ("text", "owner", "due_on", "item")}
    form = forms.ActionForm(request.POST or None, initial=initial, meeting=meeting)

    def save() -> Any:
        if proposed:
            return services.action_confirm(user=request.user, action=action, data=form.cleaned_data)
        return services.action_save(
            user=request.user, meeting=meeting, data=form.cleaned_data, action=action
        )

    return form_page(
        request,
        form=form,
        heading="Confirm an action from the minutes" if proposed else "Change an action",
        caption=meeting.display_title,
        back=_meeting_url(meeting),
        save=save,
        done=lambda _: _meeting_url(meeting),
        message="Action confirmed: it is on the public list." if proposed else "Action saved.",
        button="Confirm the action" if proposed else "Save",
    )


@require(Perm.RUN_SCRUTINY)
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_for_staff(action_id=action_id, viewer=viewer_for(request.user))
    form = forms.ActionUpdateForm(request.POST or None, initial={"status": action.status})
    return form_page(
        request,
        form=form,
        heading="Record progress on an action",
        caption=action.text[:120],
        back=_meeting_url(action.meeting),
        save=lambda: services.action_update_add(
            user=request.user, action=action, **form.cleaned_data
        ),
        done=lambda _: _meeting_url(action.meeting),
        message="Progress recorded.",
    )
