"""Meetings as Open Civic Data events: valid against a JSON Schema written from the OCD Event
specification, public only (no draft meeting or paper, no exempt content), London times."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema_rs
import pytest
from django.conf import settings
from django.utils import timezone

from policeplan.scrutiny import services
from policeplan.scrutiny.tests.conftest import DRAFT_SECRET, SECRET

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "ocd_event.schema.json").read_text())
VALIDATOR = jsonschema_rs.validator_for(SCHEMA, validate_formats=True)
LONDON = ZoneInfo("Europe/London")


def valid(event: dict) -> dict:
    errors = [f"{e.instance_path}: {e.message}" for e in VALIDATOR.iter_errors(event)]
    assert errors == [], errors
    return event


def test_the_schema_refuses_what_ocd_does_not_allow():
    good = {
        "id": "ocd-event/5d0e3c55-6a3e-4f0b-9d54-1f9a8f3b2c71",
        "name": "Police and Crime Committee",
        "start_date": "2026-10-14T10:00:00+01:00",
        "end_date": "",
        "all_day": False,
        "timezone": "Europe/London",
        "status": "confirmed",
        "classification": "committee-meeting",
        "location": {"name": "City Hall"},
        "media": [],
        "documents": [],
        "links": [],
        "participants": [],
        "agenda": [],
        "sources": [{"url": "https://example.org/m/1/"}],
    }
    valid(good)
    for bad in (
        {"status": "postponed"},  # not an OCD status
        {"start_date": "2026-10-14T10:00:00"},  # no offset
        {"start_date": "14/10/2026"},
        {"sources": []},
        {"agenda": [{"order": "1", "description": "", "notes": [], "related_entities": []}]},
        {"participants": [{"name": "X", "type": "robot"}]},
        {"documents": [{"note": "Report", "url": "/relative/", "media_type": "text/html"}]},
    ):
        assert not VALIDATOR.is_valid({**good, **bad}), bad


def test_a_bodys_meetings_as_ocd_events(client, users, built):
    officer = users["policy_officer"]
    services.attendance_record(
        user=officer,
        meeting=built.past,
        members={built.chair.pk: "present"},
        officers={built.committee.officers.get().pk: "remote"},
    )
    services.declaration_add(
        user=officer,
        meeting=built.past,
        data={"member": built.chair, "item": built.item, "interest": "A relative is an officer."},
    )
    services.declaration_add(
        user=officer,
        meeting=built.past,
        data={"member": built.chair, "item": built.exempt, "interest": f"{SECRET} shares."},
    )
    for who in (None, users["policy_officer"]):  # what the public sees, whoever asks
        if who is not None:
            client.force_login(who)
        response = client.get(f"/scrutiny/{built.committee.slug}/meetings.json")
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        text = response.content.decode()
        assert SECRET not in text and DRAFT_SECRET not in text
        data = json.loads(text)
        assert data["meta"]["count"] == 2
        past, coming = (valid(e) for e in data["results"])
        assert [past["name"], past["status"], coming["status"]] == [
            "Police and Crime Committee",
            "passed",
            "confirmed",
        ]
    assert past["start_date"] == timezone.localtime(built.past.starts_at, LONDON).isoformat()
    assert past["media"][0]["links"][0]["url"] == "https://example.org/webcast"
    assert past["location"]["name"].startswith("The Chamber, City Hall")
    assert coming["location"] == {
        "name": "Online",
        "note": "",
        "url": "https://example.org/join",
        "coordinates": None,
    }
    # The open item in full, the exempt one only as its number and reason.
    open_item, exempt = past["agenda"]
    assert open_item["order"] == "1" and open_item["description"].startswith("Question and")
    assert open_item["notes"] == [
        "A paper is withheld from the public: Information about individuals"
    ]
    assert open_item["related_entities"] == [
        {
            "entity_type": "person",
            "name": "Susan Hall",
            "note": "Declared an interest: A relative is an officer.",
        }
    ]
    assert exempt == {
        "order": "2",
        "description": "Exempt item: Information about the financial affairs of a company",
        "classification": ["exempt"],
        "subjects": [],
        "notes": [],
        "related_entities": [],
        "media": [],
    }
    # Only the published paper of the open item, linked by its public address.
    site = settings.SITE_URL.rstrip("/")
    assert past["documents"] == [
        {
            "note": "Item 1: Cover report",
            "url": f"{site}/scrutiny/{built.committee.slug}/meetings/{built.past.pk}"
            f"/papers/{built.paper.pk}/file/",
            "media_type": "application/pdf",
            "date": timezone.localdate(built.paper.published_at).isoformat(),
        }
    ]
    assert [(p["name"], p["note"]) for p in past["participants"]] == [
        ("Police and Crime Committee", "host"),
        ("Susan Hall", "Chair"),
        ("Kaya Comer-Schwartz", "Officer: Deputy Mayor for Policing and Crime, attended online"),
    ]
    assert past["extras"]["minutes"] is None  # draft minutes are not public


def test_one_meeting_and_a_draft_is_not_found_even_for_staff(client, users, built):
    url = f"/scrutiny/{built.committee.slug}/meetings/{built.past.pk}.json"
    event = valid(client.get(url).json())
    assert event["id"].startswith("ocd-event/") and event["timezone"] == "Europe/London"
    client.force_login(users["policy_officer"])
    assert (
        client.get(f"/scrutiny/{built.committee.slug}/meetings/{built.draft.pk}.json").status_code
        == 404
    )
    # Another body's meeting is not found under this body's address.
    assert (
        client.get(f"/scrutiny/{built.other.slug}/meetings/{built.past.pk}.json").status_code == 404
    )
    assert (
        f'/meetings/{built.past.pk}.json"'
        in client.get(f"/scrutiny/{built.committee.slug}/meetings/{built.past.pk}/").text
    )


def test_approved_minutes_are_carried_and_cancelled_meetings_say_so(client, users, built):
    officer = users["policy_officer"]
    later = services.meeting_save(
        user=officer,
        committee=built.committee,
        data={
            "starts_at": timezone.now() - datetime.timedelta(days=1),
            "venue": "City Hall",
            "status": "cancelled",
        },
    )
    services.meeting_publish(user=officer, meeting=later)
    services.minutes_approve(user=officer, minutes=built.past.minutes, at_meeting=later)
    data = client.get(f"/scrutiny/{built.committee.slug}/meetings.json").json()
    past = next(
        e
        for e in data["results"]
        if e["start_date"].startswith(str(timezone.localdate(built.past.starts_at)))
    )
    assert past["extras"]["minutes"].startswith("The committee questioned")
    assert SECRET not in json.dumps(data)  # never the minutes of exempt items
    assert valid(data["results"][1])["status"] == "cancelled"


@pytest.mark.parametrize(
    ("when", "offset"),
    [
        (datetime.datetime(2026, 10, 24, 10, 0, tzinfo=LONDON), "+01:00"),  # BST
        (datetime.datetime(2026, 10, 26, 10, 0, tzinfo=LONDON), "+00:00"),  # GMT
    ],
)
def test_times_are_london_times_with_their_offset_across_the_clocks_change(
    client, users, built, when, offset
):
    officer = users["policy_officer"]
    meeting = services.meeting_save(
        user=officer,
        committee=built.committee,
        data={"starts_at": when, "venue": "City Hall", "status": "confirmed"},
    )
    services.meeting_publish(user=officer, meeting=meeting)
    event = valid(client.get(f"/scrutiny/{built.committee.slug}/meetings/{meeting.pk}.json").json())
    assert event["start_date"] == f"2026-10-{when.day}T10:00:00{offset}"


def test_the_list_takes_a_fixed_number_of_queries(
    client, users, built, django_assert_max_num_queries
):
    officer = users["policy_officer"]
    start = timezone.now() - datetime.timedelta(days=200)
    for n in range(15):
        meeting = services.meeting_save(
            user=officer,
            committee=built.committee,
            data={
                "starts_at": start + datetime.timedelta(days=n),
                "venue": "Hall",
                "status": "held",
            },
        )
        item = services.agenda_item_save(
            user=officer, meeting=meeting, data={"number": 1, "title": "Item"}
        )
        paper = services.paper_save(
            user=officer, item=item, data={"title": f"Paper {n}", "body": "Text"}
        )
        services.paper_publish(user=officer, paper=paper)
        services.meeting_publish(user=officer, meeting=meeting)
    with django_assert_max_num_queries(12):
        data = client.get(f"/scrutiny/{built.committee.slug}/meetings.json").json()
    assert data["meta"]["count"] == 17
    for event in data["results"]:
        valid(event)
