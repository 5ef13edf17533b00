"""Public scrutiny pages: each body, its meetings and papers, its calendar and feed, and the
actions from its meetings. What each viewer sees passes `scrutiny.disclosure`."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from policeplan.core import calendar, dates
from policeplan.core.markdown import render_html, render_markdown
from policeplan.scrutiny import emails, forms, ocd, selectors
from policeplan.scrutiny import selectors_recommendations as recs
from policeplan.scrutiny.actions_sheet import PUBLIC_ACTIONS, record
from policeplan.scrutiny.disclosure import viewer_for
from policeplan.scrutiny.minutes import render_minutes
from policeplan.scrutiny.models import BodyFormat, Meeting, MeetingStatus, Paper

SECTION = "scrutiny"


@require_safe
def hub(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scrutiny/hub.html",
        {"committees": selectors.committees_public(), "section": SECTION},
    )


@require_safe
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    viewer = viewer_for(request.user)
    return render(
        request,
        "scrutiny/committee.html",
        {
            "committee": body,
            "form": forms.SubscribeForm(),
            "section": SECTION,
            "reports": recs.reports_of_body(committee_id=body.pk, viewer=viewer),
            "reviews": recs.reviews_of_body(committee_id=body.pk),
            **selectors.committee_page(committee=body, viewer=viewer),
        },
    )


@require_safe
def meeting(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    viewer = viewer_for(request.user)
    found = selectors.meeting_for_viewer(committee=body, meeting_id=meeting_id, viewer=viewer)
    page = selectors.meeting_page(meeting=found, viewer=viewer)
    return render(
        request,
        "scrutiny/meeting.html",
        {
            "committee": body,
            "meeting": found,
            "page": page,
            "minutes_html": render_minutes(page.minutes.text if page.minutes else ""),
            "now": timezone.now(),
            "section": SECTION,
        },
    )


def paper_body(paper: Paper) -> str:
    if paper.body_format == BodyFormat.HTML:
        return render_html(paper.body)
    return render_markdown(paper.body)


@require_safe
def paper(request: HttpRequest, slug: str, meeting_id: int, paper_id: int) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    found = selectors.paper_for_viewer(
        committee=body, meeting_id=meeting_id, paper_id=paper_id, viewer=viewer_for(request.user)
    )
    return render(
        request,
        "scrutiny/paper.html",
        {
            "committee": body,
            "meeting": found.item.meeting,
            "paper": found,
            "body": paper_body(found),
            "section": SECTION,
        },
    )


@require_safe
def paper_file(request: HttpRequest, slug: str, meeting_id: int, paper_id: int) -> FileResponse:
    body = selectors.committee_by_slug(slug=slug)
    found = selectors.paper_for_viewer(
        committee=body, meeting_id=meeting_id, paper_id=paper_id, viewer=viewer_for(request.user)
    )
    if not found.file or not found.file.storage.exists(found.file.name or ""):
        raise Http404("No such file")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.file_name)


@require_safe
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.committee_by_slug(slug=slug)
    now = timezone.now()
    rows = selectors.actions_for_viewer(committee=body, viewer=viewer_for(request.user))
    return render(
        request,
        "scrutiny/actions.html",
        {
            "committee": body,
            "actions": rows,
            "overdue": {a.pk for a in rows if a.is_overdue(now)},
            "section": SECTION,
        },
    )


@require_safe
def actions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The public list of actions as a spreadsheet: what the public sees, whoever asks (a
    file travels), so never an action on an exempt item or from a draft meeting."""
    body = selectors.committee_by_slug(slug=slug)
    now = timezone.now()
    rows = selectors.actions_public(committee=body)
    content = PUBLIC_ACTIONS.file_text(record(a, now=now) for a in rows)
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{body.slug}-actions.csv"'
    return response


@require_safe
def meetings_json(request: HttpRequest, slug: str) -> JsonResponse:
    """The body's public meetings as Open Civic Data events (public whoever asks)."""
    body = selectors.committee_by_slug(slug=slug)
    pages = selectors.meeting_pages_public(committee=body)
    return JsonResponse(ocd.events(body, pages), json_dumps_params={"ensure_ascii": False})


@require_safe
def meeting_json(request: HttpRequest, slug: str, meeting_id: int) -> JsonResponse:
    """One public meeting as an Open Civic Data event; a draft is not found, for anyone."""
    body = selectors.committee_by_slug(slug=slug)
    pages = selectors.meeting_pages_public(committee=body, meeting_id=meeting_id)
    if not pages:
        raise Http404("No such meeting")
    return JsonResponse(ocd.event(pages[0]), json_dumps_params={"ensure_ascii": False})


ICS_STATUS = {
    MeetingStatus.SCHEDULED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
    MeetingStatus.HELD: "CONFIRMED",
}


def _summary(meeting: Meeting) -> str:
    if meeting.status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED):
        return f"{meeting.get_status_display()}: {meeting.display_title}"
    return meeting.display_title


def _sequence(meeting: Meeting) -> int:
    """The entry's SEQUENCE: seconds from the meeting's creation to its last change, so it
    grows every time the meeting is changed (RFC 5545 asks for a higher one on each change)."""
    return max(0, int((meeting.modified_at - meeting.created_at).total_seconds()))


@require_safe
def calendar_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The body's public meetings as an iCalendar file people can subscribe to."""
    body = selectors.committee_by_slug(slug=slug)
    office = calendar.organizer()
    entries = [
        calendar.entry(
            uid=calendar.uid("meeting", m.pk),
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            summary=_summary(m),
            url=emails.meeting_url(m),
            location=m.venue or m.online_link,
            description=f"Agenda and papers: {emails.meeting_url(m)}",
            status=ICS_STATUS[MeetingStatus(m.status)],
            sequence=_sequence(m),
            last_modified=m.modified_at,
            organised_by=office,
        )
        for m in selectors.meetings_calendar(committee=body)
    ]
    content = calendar.calendar(
        entries,
        prodid="-//policeplan//scrutiny meetings//EN",
        # A feed people subscribe to, not invitations to answer.
        method="PUBLISH",
        name=f"{body.name} meetings",
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body.slug}.ics"'
    return response


@require_safe
def papers_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """An Atom feed of the body's newest papers the public may read."""
    body = selectors.committee_by_slug(slug=slug)
    papers = selectors.papers_feed(committee=body)
    feed = Atom1Feed(
        title=f"{body.name}: new papers",
        link=request.build_absolute_uri(reverse("scrutiny:committee", args=[body.slug])),
        feed_url=request.build_absolute_uri(),
        description=f"Papers published for meetings of the {body.name}.",
        language="en-GB",
        author_name=body.name,
        feed_guid=request.build_absolute_uri(),
    )
    for item in papers:
        meeting = item.item.meeting
        feed.add_item(
            title=item.title,
            link=emails.paper_url(item),
            description=(
                f"For the meeting on {dates.day(meeting.starts_at)}, item {item.item.number}: "
                f"{item.item.title}."
            ),
            unique_id=emails.paper_url(item),
            pubdate=item.published_at,
            updateddate=item.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
