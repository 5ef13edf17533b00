"""Meetings as Open Civic Data events (the `Event` of the OCD data specification, as pupa and
Open States write it), for anyone who collects council and committee meetings.

Built only from `selectors.meeting_pages_public`, so what it holds has passed
`scrutiny.disclosure` for the public: a draft meeting is not there, an exempt item is only its
number and the reason (`classification: ["exempt"]`), a withheld paper is only a note, and
minutes appear once approved. Times carry their UTC offset and `timezone` is Europe/London.
"""

from __future__ import annotations

import datetime
import mimetypes
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from policeplan.scrutiny import emails
from policeplan.scrutiny.disclosure import Shown
from policeplan.scrutiny.models import Committee, Meeting, MeetingStatus, Paper, Presence
from policeplan.scrutiny.selectors import ItemView, MeetingPage

TIMEZONE = "Europe/London"
# OCD's statuses. A postponed meeting has no date it will happen on: tentative.
STATUS = {
    MeetingStatus.SCHEDULED: "tentative",
    MeetingStatus.CONFIRMED: "confirmed",
    MeetingStatus.POSTPONED: "tentative",
    MeetingStatus.CANCELLED: "cancelled",
    MeetingStatus.HELD: "passed",
}
NAMESPACE = uuid.UUID("5d0e3c55-6a3e-4f0b-9d54-1f9a8f3b2c71")  # this system's OCD event ids


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _moment(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def status(meeting: Meeting, now: datetime.datetime) -> str:
    """OCD's status: a confirmed meeting that has ended has passed."""
    found = STATUS[MeetingStatus(meeting.status)]
    if found == "confirmed" and (meeting.ends_at or meeting.starts_at) < now:
        return "passed"
    return found


def event_id(meeting: Meeting) -> str:
    return f"ocd-event/{uuid.uuid5(NAMESPACE, f'scrutiny-meeting-{meeting.pk}')}"


def _document(meeting: Meeting, paper: Paper, item_number: int) -> dict[str, Any]:
    if paper.file:
        path = reverse("scrutiny:paper-file", args=[meeting.committee.slug, meeting.pk, paper.pk])
        media_type = mimetypes.guess_type(paper.file_name)[0] or "application/octet-stream"
    else:
        path = reverse("scrutiny:paper", args=[meeting.committee.slug, meeting.pk, paper.pk])
        media_type = "text/html"
    return {
        "note": f"Item {item_number}: {paper.title}",
        "url": absolute(path),
        "media_type": media_type,
        "date": timezone.localdate(paper.published_at).isoformat() if paper.published_at else "",
    }


def _agenda_item(view: ItemView, page: MeetingPage) -> dict[str, Any]:
    item = view.item
    if view.shown != Shown.FULL:
        return {
            "order": str(item.number),
            "description": f"Exempt item: {item.exempt_reason}",
            "classification": ["exempt"],
            "subjects": [],
            "notes": [],
            "related_entities": [],
            "media": [],
        }
    notes = [item.description.strip()] if item.description.strip() else []
    notes += [
        f"A paper is withheld from the public: {p.paper.exempt_reason}"
        for p in view.papers
        if p.shown != Shown.FULL
    ]
    return {
        "order": str(item.number),
        "description": item.title,
        "classification": [],
        "subjects": [],
        "notes": notes,
        "related_entities": [
            {
                "entity_type": "person",
                "name": d.member.name,
                "note": f"Declared an interest: {d.interest}",
            }
            for d in page.declarations
            if d.item_id == item.pk
        ],
        "media": [],
    }


def _participants(page: MeetingPage) -> list[dict[str, Any]]:
    committee = page.meeting.committee
    out: list[dict[str, Any]] = [{"name": committee.name, "type": "organization", "note": "host"}]
    for a in page.attendance:
        if a.presence not in (Presence.PRESENT, Presence.REMOTE):
            continue
        online = ", attended online" if a.presence == Presence.REMOTE else ""
        if a.member is not None:
            note = a.member.get_role_display()
            out.append({"name": a.member.name, "type": "person", "note": f"{note}{online}"})
        elif a.officer is not None:
            note = f"Officer: {a.officer.job_title}"
            out.append({"name": a.officer.name, "type": "person", "note": f"{note}{online}"})
    return out


def _location(meeting: Meeting) -> dict[str, Any]:
    venue = ", ".join(line.strip(" ,") for line in meeting.venue.splitlines() if line.strip())
    return {
        "name": venue or ("Online" if meeting.online_link else "To be confirmed"),
        "note": "Also online" if venue and meeting.online_link else "",
        "url": meeting.online_link or None,
        "coordinates": None,
    }


def event(page: MeetingPage, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """One meeting as an OCD event."""
    now = now or timezone.now()
    meeting = page.meeting
    committee = meeting.committee
    url = emails.meeting_url(meeting)
    documents = [
        _document(meeting, p.paper, view.item.number)
        for view in page.items
        if view.shown == Shown.FULL
        for p in view.papers
        if p.shown == Shown.FULL
    ]
    media = []
    if meeting.webcast_link:
        media.append(
            {
                "name": "Webcast",
                "type": "webcast",
                "date": timezone.localdate(meeting.starts_at).isoformat(),
                "offset": None,
                "links": [{"media_type": "text/html", "url": meeting.webcast_link}],
            }
        )
    return {
        "id": event_id(meeting),
        "_type": "event",
        "name": meeting.display_title,
        "description": f"A meeting of the {committee.name}.",
        "classification": "committee-meeting",
        "start_date": _moment(meeting.starts_at),
        "end_date": _moment(meeting.ends_at),
        "all_day": False,
        "timezone": TIMEZONE,
        "status": status(meeting, now),
        "location": _location(meeting),
        "media": media,
        "documents": documents,
        "links": [
            {"note": "The meeting’s page", "url": url},
            {
                "note": "The committee’s meetings as a calendar (iCalendar)",
                "url": absolute(reverse("scrutiny:calendar", args=[committee.slug])),
            },
        ],
        "participants": _participants(page),
        "agenda": [_agenda_item(view, page) for view in page.items],
        "sources": [{"url": url, "note": "Published by the office"}],
        "created_at": _moment(meeting.created_at),
        "updated_at": _moment(meeting.modified_at),
        "extras": {
            "committee": {"name": committee.name, "slug": committee.slug},
            "meeting_status": meeting.status,
            "minutes": page.minutes.text if page.minutes is not None else None,
        },
    }


def events(committee: Committee, pages: list[MeetingPage]) -> dict[str, Any]:
    """A body's public meetings, oldest first, as a list of OCD events."""
    now = timezone.now()
    return {
        "meta": {
            "committee": committee.name,
            "count": len(pages),
            "timezone": TIMEZONE,
            "generated_at": _moment(now),
        },
        "results": [event(page, now=now) for page in pages],
    }
