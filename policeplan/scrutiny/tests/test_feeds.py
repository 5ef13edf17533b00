"""The calendar (.ics) and the papers feed (Atom), read back by real parsers."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from policeplan.scrutiny import services
from policeplan.scrutiny.tests.conftest import DRAFT_SECRET

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_calendar_is_valid_icalendar_with_each_public_meeting(client, users, built):
    response = client.get("/scrutiny/police-and-crime-committee/meetings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 2  # the draft meeting is not in it
    past = next(e for uid, e in events.items() if uid.startswith(f"meeting-{built.past.pk}@"))
    assert past.decoded("DTSTART") == built.past.starts_at
    assert past.decoded("DTEND") == built.past.ends_at
    assert str(past["STATUS"]) == "CONFIRMED"
    assert "City Hall" in str(past["LOCATION"])
    assert str(past["URL"]).endswith(
        f"/scrutiny/police-and-crime-committee/meetings/{built.past.pk}/"
    )
    assert DRAFT_SECRET not in response.content.decode()


def test_a_cancelled_meeting_stays_in_the_calendar_as_cancelled(client, users, built):
    services.meeting_save(
        user=users["policy_officer"],
        committee=built.committee,
        meeting=built.next,
        data={"status": "cancelled"},
    )
    calendar = Calendar.from_ical(
        client.get("/scrutiny/police-and-crime-committee/meetings.ics").content
    )
    entry = next(
        e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"meeting-{built.next.pk}@")
    )
    assert str(entry["STATUS"]) == "CANCELLED"
    assert str(entry["SUMMARY"]).startswith("Cancelled: ")


def test_the_papers_feed_is_atom_with_every_required_element(client, users, built):
    response = client.get("/scrutiny/police-and-crime-committee/papers.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287 4.1.1: a feed has id, title and updated, and an author (here the feed's own).
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Cover report"]
    entry = entries[0]
    for name in ("id", "title", "updated"):  # 4.1.2
        assert entry.findtext(f"{ATOM}{name}"), name
    datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))  # RFC 3339
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(f"/meetings/{built.past.pk}/papers/{built.paper.pk}/")
    # The link leads to the paper.
    assert client.get(urlsplit(link).path).status_code == 200


def test_a_newly_published_paper_leads_the_feed(client, users, built):
    services.paper_publish(user=users["policy_officer"], paper=built.draft_paper)
    feed = ET.fromstring(client.get("/scrutiny/police-and-crime-committee/papers.atom").content)  # noqa: S314
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == [f"{DRAFT_SECRET} draft", "Cover report"]


def test_the_calendar_is_a_published_feed_whose_changed_entries_carry_a_higher_sequence(
    client, users, built
):
    import datetime

    from policeplan.scrutiny.models import Meeting

    def entry():
        calendar = Calendar.from_ical(
            client.get("/scrutiny/police-and-crime-committee/meetings.ics").content
        )
        assert str(calendar["METHOD"]) == "PUBLISH"
        return next(
            e
            for e in calendar.walk("VEVENT")
            if str(e["UID"]).startswith(f"meeting-{built.next.pk}@")
        )

    before = entry()
    # The meeting was made a while ago, then moved.
    Meeting.objects.filter(pk=built.next.pk).update(
        created_at=built.next.created_at - datetime.timedelta(hours=1)
    )
    built.next.refresh_from_db()
    services.meeting_save(
        user=users["policy_officer"],
        committee=built.committee,
        meeting=built.next,
        data={"starts_at": built.next.starts_at + datetime.timedelta(days=1)},
    )
    after = entry()
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    built.next.refresh_from_db()
    assert after.decoded("LAST-MODIFIED") == built.next.modified_at.replace(microsecond=0)
    assert after.decoded("DTSTART") == built.next.starts_at
