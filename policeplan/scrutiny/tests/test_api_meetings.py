"""/api/v1/meetings and /api/v1/actions: in the OpenAPI document, public content only (no
draft, no exempt content), filters that do what they say, a fixed number of queries."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from policeplan.scrutiny import services
from policeplan.scrutiny.tests.conftest import DRAFT_SECRET, SECRET

pytestmark = pytest.mark.django_db


def get(client, url: str) -> dict:
    response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200, (url, response.content)
    text = response.content.decode()
    assert SECRET not in text and DRAFT_SECRET not in text
    return json.loads(text)


def test_the_openapi_document_describes_them(client):
    schema = client.get("/api/v1/openapi.json", HTTP_ACCEPT_ENCODING="identity").json()
    paths = schema["paths"]
    assert {"/api/v1/meetings", "/api/v1/meetings/{meeting_id}", "/api/v1/actions"} <= set(paths)
    names = {p["name"] for p in paths["/api/v1/actions"]["get"]["parameters"]}
    assert {"committee", "status", "overdue", "limit", "offset"} <= names
    detail = paths["/api/v1/meetings/{meeting_id}"]["get"]
    assert set(detail["responses"]) >= {"200", "404"}
    schemas = schema["components"]["schemas"]
    assert "exempt_reason" in schemas["AgendaItemOut"]["properties"]
    assert "overdue" in schemas["ActionOut"]["properties"]


def test_meetings_are_the_public_ones(client, users, built):
    for who in (None, users["policy_officer"]):  # public whoever asks
        if who is not None:
            client.force_login(who)
        data = get(client, "/api/v1/meetings")
        assert [m["id"] for m in data["items"]] == [built.past.pk, built.next.pk]
        assert data["count"] == 2
    first = data["items"][0]
    assert first["committee"] == "police-and-crime-committee" and first["status"] == "held"
    assert first["ocd_url"].endswith(f"/meetings/{built.past.pk}.json")
    assert datetime.datetime.fromisoformat(first["starts_at"]) == built.past.starts_at
    assert get(client, f"/api/v1/meetings?committee={built.other.slug}")["items"] == []
    assert client.get("/api/v1/meetings?committee=no-such-body").status_code == 404


def test_a_meeting_gives_its_agenda_with_exempt_content_withheld(client, users, built):
    data = get(client, f"/api/v1/meetings/{built.past.pk}")
    open_item, exempt = data["agenda"]
    assert open_item["title"].startswith("Question and answer") and not open_item["exempt"]
    assert [p["title"] for p in open_item["papers"]] == ["Cover report"]
    assert open_item["papers"][0]["file_url"].endswith(f"/papers/{built.paper.pk}/file/")
    assert open_item["withheld_papers"] == [{"reason": "Information about individuals"}]
    assert exempt == {
        "number": 2,
        "exempt": True,
        "exempt_reason": "Information about the financial affairs of a company",
        "title": None,
        "description": None,
        "papers": [],
        "withheld_papers": [],
    }
    assert data["minutes"] is None  # draft minutes
    client.force_login(users["policy_officer"])
    assert client.get(f"/api/v1/meetings/{built.draft.pk}").status_code == 404
    assert client.get("/api/v1/meetings/999999").status_code == 404
    assert client.get("/api/v1/meetings/0").status_code == 422
    assert client.get(f"/api/v1/meetings/{2**40}").status_code == 422


def test_actions_are_filtered_by_body_status_and_overdue(client, users, built):
    officer = users["policy_officer"]
    done = services.action_save(
        user=officer,
        meeting=built.past,
        data={
            "text": "Publish the figures",
            "due_on": timezone.localdate() - datetime.timedelta(days=9),
        },
    )
    services.action_update_add(
        user=officer, action=done, on=timezone.localdate(), text="Published", status="done"
    )
    everything = get(client, "/api/v1/actions")["items"]
    # Never the exempt item's action, nor one the minutes proposed and staff did not confirm.
    assert [a["text"] for a in everything] == [
        "Publish the figures",
        "Write to the committee about stop and search",
    ]
    assert everything[0]["updates"] == [
        {"on": timezone.localdate().isoformat(), "text": "Published", "status": "done"}
    ]
    assert everything[0]["overdue"] is False and everything[1]["overdue"] is True
    overdue = get(client, "/api/v1/actions?overdue=true")["items"]
    assert [a["id"] for a in overdue] == [built.action.pk]
    assert [a["id"] for a in get(client, "/api/v1/actions?status=done")["items"]] == [done.pk]
    assert get(client, f"/api/v1/actions?committee={built.other.slug}")["items"] == []
    assert client.get("/api/v1/actions?status=shut").status_code == 422


def test_lists_take_a_fixed_number_of_queries(client, users, built, django_assert_max_num_queries):
    officer = users["policy_officer"]
    start = timezone.now() - datetime.timedelta(days=100)
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
        services.meeting_publish(user=officer, meeting=meeting)
        action = services.action_save(
            user=officer, meeting=meeting, data={"text": f"Do {n}", "item": item}
        )
        services.action_update_add(
            user=officer, action=action, on=timezone.localdate(), text="Begun", status="in_progress"
        )
    with django_assert_max_num_queries(6):
        assert get(client, "/api/v1/meetings?limit=100")["count"] == 17
    with django_assert_max_num_queries(6):
        assert get(client, "/api/v1/actions?limit=100")["count"] == 16
