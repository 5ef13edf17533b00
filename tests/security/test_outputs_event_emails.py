"""The link to join an online event goes only to people with a place: the waiting-list email
(and its attachments) never carries it, and the email that gives someone a place does."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from policeplan.consultations import services
from policeplan.consultations.tests.conftest import build

pytestmark = pytest.mark.django_db

LINK = "https://meet.example/secret-room-42"


def _everything_in(message) -> str:
    parts = [message.subject, message.body]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.content
        parts.append(content.decode() if isinstance(content, bytes) else str(content))
    return "\n".join(parts)


def test_the_waiting_list_is_not_given_the_link_and_gets_it_with_a_place(
    demo, users, django_capture_on_commit_callbacks
):
    consultation = build(users["policy_officer"])
    start = timezone.now() + datetime.timedelta(days=3)
    event = services.event_save(
        user=users["policy_officer"],
        consultation=consultation,
        data={
            "kind": "online_workshop",
            "title": "Online workshop",
            "online_link": LINK,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=1),
            "capacity": 1,
            "public_registration": True,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.registration_create(event=event, name="Ada", email="ada@example.org")
        services.registration_create(event=event, name="Bo", email="bo@example.org")
    to_ada, to_bo = mail.outbox
    assert to_ada.to == ["ada@example.org"] and f"Join online: {LINK}" in to_ada.body
    assert LINK in _everything_in(to_ada)  # the calendar invitation has it too
    assert to_bo.to == ["bo@example.org"] and "waiting list" in to_bo.body
    assert LINK not in _everything_in(to_bo) and not to_bo.attachments
    assert "we will email you the link to join if a place comes up for you" in to_bo.body

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(token=first.cancel_token)
    promoted = mail.outbox[-1]
    assert promoted.to == ["bo@example.org"] and "now have a place" in promoted.body
    assert f"Join online: {LINK}" in promoted.body and promoted.attachments
