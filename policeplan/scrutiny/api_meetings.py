"""The API's meetings and actions (`/api/v1/meetings`, `/api/v1/actions`): what the public
sees, whoever asks. Thin over `scrutiny.selectors`, whose answers have passed
`scrutiny.disclosure` for the public: no draft meeting or paper, an exempt item only as its
number and reason, no action from an exempt item."""

import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from policeplan.api.schemas import ErrorOut, ValidationErrorOut
from policeplan.scrutiny import emails, selectors
from policeplan.scrutiny.disclosure import Shown
from policeplan.scrutiny.models import Action, Committee, Meeting, Paper
from policeplan.scrutiny.ocd import absolute

router = Router(tags=["Meetings and actions"])
ID = Path(..., ge=1, le=2_147_483_647)


class PaperOut(Schema):
    id: int
    title: str
    url: str = Field(description="Its page")
    file_url: str | None = Field(description="Its attached file, if it has one")
    published_at: datetime.datetime


class WithheldPaperOut(Schema):
    reason: str = Field(description="Why the paper is withheld from the public")


class AgendaItemOut(Schema):
    number: int
    exempt: bool = Field(description="true: withheld from the public; only its reason is given")
    exempt_reason: str
    title: str | None = Field(description="null for an exempt item")
    description: str | None = Field(description="Markdown; null for an exempt item")
    papers: list[PaperOut]
    withheld_papers: list[WithheldPaperOut]


class MeetingOut(Schema):
    id: int
    committee: str = Field(description="The body's short name (as in its web address)")
    committee_name: str
    title: str
    starts_at: datetime.datetime = Field(description="With its UTC offset (London time)")
    ends_at: datetime.datetime | None
    status: Literal["scheduled", "confirmed", "postponed", "cancelled", "held"]
    venue: str
    online_link: str
    webcast_link: str
    url: str = Field(description="Its page")
    ocd_url: str = Field(description="The meeting as an Open Civic Data event")


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    minutes: str | None = Field(description="Markdown, once approved; null before")


class ActionUpdateOut(Schema):
    on: datetime.date
    text: str
    status: str


class ActionOut(Schema):
    id: int
    committee: str
    meeting_id: int
    meeting_date: datetime.date
    item_number: int | None
    text: str
    owner: str
    due_on: datetime.date | None
    status: Literal["open", "in_progress", "done", "dropped"]
    dropped_reason: str
    overdue: bool = Field(
        description="Open or in progress and past its due date (a London day): worked out "
        "when asked"
    )
    updates: list[ActionUpdateOut]


def _meeting(m: Meeting) -> dict:
    slug = m.committee.slug
    return {
        "id": m.pk,
        "committee": slug,
        "committee_name": m.committee.name,
        "title": m.display_title,
        "starts_at": timezone.localtime(m.starts_at),
        "ends_at": timezone.localtime(m.ends_at) if m.ends_at else None,
        "status": m.status,
        "venue": m.venue,
        "online_link": m.online_link,
        "webcast_link": m.webcast_link,
        "url": emails.meeting_url(m),
        "ocd_url": absolute(reverse("scrutiny:meeting-json", args=[slug, m.pk])),
    }


def _paper(m: Meeting, paper: Paper) -> dict:
    args = [m.committee.slug, m.pk, paper.pk]
    return {
        "id": paper.pk,
        "title": paper.title,
        "url": absolute(reverse("scrutiny:paper", args=args)),
        "file_url": absolute(reverse("scrutiny:paper-file", args=args)) if paper.file else None,
        "published_at": paper.published_at,
    }


def _committee(slug: str | None) -> Committee | None:
    return selectors.committee_by_slug(slug=slug) if slug else None


@router.get(
    "/meetings",
    response={200: list[MeetingOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="Meetings of the scrutiny bodies",
    description="Published meetings, oldest first; `committee` (a body's short name) narrows "
    "them to one body (404 for one there is not).",
)
@paginate(LimitOffsetPagination)
def meetings(request: HttpRequest, committee: str | None = None) -> list[dict]:
    return [_meeting(m) for m in selectors.meetings_public(committee=_committee(committee))]


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One meeting, with its agenda and papers",
    description="Exempt items give only their number and the reason; withheld papers only "
    "the reason. Draft meetings are not found.",
)
def meeting(request: HttpRequest, meeting_id: int = ID) -> dict:
    pages = selectors.meeting_pages_public(meeting_id=meeting_id)
    if not pages:
        raise Http404("No such meeting")
    page = pages[0]
    m = page.meeting
    agenda = []
    for view in page.items:
        item, full = view.item, view.shown == Shown.FULL
        agenda.append(
            {
                "number": item.number,
                "exempt": not full,
                "exempt_reason": item.exempt_reason if not full else "",
                "title": item.title if full else None,
                "description": item.description if full else None,
                "papers": [_paper(m, p.paper) for p in view.papers if p.shown == Shown.FULL],
                "withheld_papers": [
                    {"reason": p.paper.exempt_reason} for p in view.papers if p.shown != Shown.FULL
                ],
            }
        )
    return {
        **_meeting(m),
        "agenda": agenda,
        "minutes": page.minutes.text if page.minutes is not None else None,
    }


def _action(a: Action, now: datetime.datetime) -> dict:
    return {
        "id": a.pk,
        "committee": a.meeting.committee.slug,
        "meeting_id": a.meeting_id,
        "meeting_date": timezone.localdate(a.meeting.starts_at),
        "item_number": a.item.number if a.item else None,
        "text": a.text,
        "owner": a.owner,
        "due_on": a.due_on,
        "status": a.status,
        "dropped_reason": a.dropped_reason,
        "overdue": a.is_overdue(now),
        "updates": [{"on": u.on, "text": u.text, "status": u.status} for u in a.updates.all()],
    }


@router.get(
    "/actions",
    response={200: list[ActionOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="Actions from meetings",
    description="Confirmed actions from published meetings (none from an exempt item), "
    "soonest due first; filtered by `committee`, `status` and `overdue`.",
)
@paginate(LimitOffsetPagination)
def actions(
    request: HttpRequest,
    committee: str | None = None,
    status: Literal["open", "in_progress", "done", "dropped"] | None = None,
    overdue: bool | None = None,
) -> list[dict]:
    now = timezone.now()
    found = selectors.actions_public(committee=_committee(committee))
    out = [_action(a, now) for a in found if status is None or a.status == status]
    if overdue is not None:
        out = [a for a in out if a["overdue"] == overdue]
    return out
