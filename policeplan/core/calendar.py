"""iCalendar (.ics) entries for every app: event invitations sent by email and the calendar
feeds people subscribe to. Times are written as aware UTC date-times (calendars show them in
the reader's zone); every entry names the office as organiser and links to its page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from policeplan.core.selectors import office_current


def uid(kind: str, pk: int) -> str:
    """A stable id for an entry: the same object keeps it, so calendars update it in place."""
    return f"{kind}-{pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}"


def organizer() -> vCalAddress:
    """The office, as the organiser of every entry (look it up once for a whole feed)."""
    office = office_current()
    address = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    address.params["cn"] = office.name if office else "policeplan"
    return address


def entry(
    *,
    uid: str,
    starts_at: dt.datetime,
    summary: str,
    url: str,
    ends_at: dt.datetime | None = None,
    location: str = "",
    description: str = "",
    status: str = "",
    sequence: int = 0,
    last_modified: dt.datetime | None = None,
    organised_by: vCalAddress | None = None,
) -> Event:
    """One calendar entry (VEVENT). A changed entry needs a higher `sequence` and its
    `last_modified`, or calendars keep the copy they have."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    if last_modified is not None:
        event.add("last-modified", last_modified.astimezone(dt.UTC))
    event.add("organizer", organised_by or organizer())
    event.add("url", url)
    if status:
        event.add("status", status)
    event.add("dtstart", starts_at)
    if ends_at is not None:
        event.add("dtend", ends_at)
    event.add("summary", summary)
    if location:
        event.add("location", location.replace("\n", ", "))
    if description:
        event.add("description", description)
    return event


def calendar(entries: Iterable[Event], *, prodid: str, method: str = "", name: str = "") -> bytes:
    """A calendar file of the entries: an invitation (method REQUEST or CANCEL) or a feed."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for item in entries:
        cal.add_component(item)
    return cal.to_ical()
