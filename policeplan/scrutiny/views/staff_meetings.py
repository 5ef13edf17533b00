"""Staff pages for one meeting: its details and publication, agenda items and papers,
declarations, attendance, minutes and their approval, and actions with their progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.views.decorators.http import require_POST, require_safe

from policeplan.core.access import require
from policeplan.core.roles import Perm, can
from policeplan.core.uploads import upload_limit
from policeplan.scrutiny import forms, selectors, services
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.minutes import render_minutes
from policeplan.scrutiny.models import Minutes, Paper
from policeplan.scrutiny.views.staff import SECTION, form_page, meeting_for, meeting_url


@require(Perm.SCRUTINY_DRAFTS)
@require_safe
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
    page = selectors.meeting_page(meeting=meeting, viewer=viewer_for(request.user))
    return render(
        request,
        "scrutiny/staff/meeting.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "page": page,
            "minutes_html": render_minutes(page.minutes.text if page.minutes else ""),
            "exempt_minutes_html": render_minutes(page.minutes.exempt_text if page.minutes else ""),
            "draft_minutes": Minutes.objects.filter(meeting=meeting).first(),
            "can_run": can(request.user, Perm.RUN_SCRUTINY),
            "section": SECTION,
        },
    )


@require(Perm.RUN_SCRUTINY)
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
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
        back=meeting_url(meeting),
        save=lambda: services.meeting_save(
            user=request.user,
            committee=meeting.committee,
            data=form.data_for_service(),
            meeting=meeting,
        ),
        done=meeting_url,
        message="Meeting saved.",
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def meeting_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
    services.meeting_publish(user=request.user, meeting=meeting)
    messages.success(request, "Published: the meeting is on the public pages and calendar.")
    return redirect(meeting_url(meeting))


@require(Perm.RUN_SCRUTINY)
def item_form(request: HttpRequest, meeting_id: int, item_id: int | None = None) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
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
        back=meeting_url(meeting),
        save=lambda: services.agenda_item_save(
            user=request.user, meeting=meeting, data=form.cleaned_data, item=item
        ),
        done=lambda _: meeting_url(meeting),
        message="Agenda item saved.",
    )


@require(Perm.RUN_SCRUTINY)
@upload_limit(forms.PAPER_MAX_BYTES)
def paper_form(
    request: HttpRequest, meeting_id: int, item_id: int, paper_id: int | None = None
) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
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
        back=meeting_url(meeting),
        save=save,
        done=lambda _: meeting_url(meeting),
        message="Paper saved. Publish it when it is ready.",
        enctype="multipart/form-data",
    )


@require(Perm.RUN_SCRUTINY)
@require_POST
def paper_publish(request: HttpRequest, meeting_id: int, paper_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
    paper = Paper.objects.filter(item__meeting=meeting, pk=paper_id).first()
    if paper is None:
        raise Http404("No such paper")
    services.paper_publish(user=request.user, paper=paper)
    messages.success(request, f"Published: {paper.title}.")
    return redirect(meeting_url(meeting))


@require(Perm.RUN_SCRUTINY)
def declaration_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
    form = forms.DeclarationForm(request.POST or None, meeting=meeting)
    return form_page(
        request,
        form=form,
        heading="Record a declaration of interest",
        caption=meeting.display_title,
        back=meeting_url(meeting),
        save=lambda: services.declaration_add(
            user=request.user, meeting=meeting, data=form.cleaned_data
        ),
        done=lambda _: meeting_url(meeting),
        message="Declaration recorded.",
    )


@require(Perm.RUN_SCRUTINY)
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
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
        back=meeting_url(meeting),
        save=lambda: services.attendance_record(
            user=request.user,
            meeting=meeting,
            members=form.presences("member"),
            officers=form.presences("officer"),
        ),
        done=meeting_url,
        message="Attendance saved.",
    )


@require(Perm.RUN_SCRUTINY)
def minutes_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    initial = {"text": minutes.text, "exempt_text": minutes.exempt_text} if minutes else {}
    form = forms.MinutesForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        heading="Draft the minutes",
        caption=meeting.display_title,
        back=meeting_url(meeting),
        save=lambda: services.minutes_save(user=request.user, meeting=meeting, **form.cleaned_data),
        done=lambda _: meeting_url(meeting),
        message="Minutes saved. Actions they propose are listed for you to confirm.",
    )


@require(Perm.RUN_SCRUTINY)
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
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
        back=meeting_url(meeting),
        save=lambda: services.minutes_approve(
            user=request.user, minutes=minutes, at_meeting=form.cleaned_data["at_meeting"]
        ),
        done=lambda _: meeting_url(meeting),
        message="Minutes approved: they are now on the public meeting page.",
        button="Approve the minutes",
    )


@require(Perm.RUN_SCRUTINY)
def action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_for(request, meeting_id)
    form = forms.ActionForm(request.POST or None, meeting=meeting)
    return form_page(
        request,
        form=form,
        heading="Add an action",
        caption=meeting.display_title,
        back=meeting_url(meeting),
        save=lambda: services.action_save(
            user=request.user, meeting=meeting, data=form.cleaned_data
        ),
        done=lambda _: meeting_url(meeting),
        message="Action added.",
    )


@require(Perm.RUN_SCRUTINY)
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change an action; one the minutes proposed is confirmed by saving it here."""
    action = selectors.action_for_staff(action_id=action_id, viewer=viewer_for(request.user))
    meeting = action.meeting
    proposed = action.confirmed_at is None
    initial = {f: getattr(action, f) for f in ("text", "owner", "due_on", "item", "recommendation")}
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
        back=meeting_url(meeting),
        save=save,
        done=lambda _: meeting_url(meeting),
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
        caption=Truncator(action.text).words(20, truncate="…"),
        back=meeting_url(action.meeting),
        save=lambda: services.action_update_add(
            user=request.user, action=action, **form.cleaned_data
        ),
        done=lambda _: meeting_url(action.meeting),
        message="Progress recorded.",
    )
