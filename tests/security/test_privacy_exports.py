"""Bulk downloads of responses are audited like the single-respondent export: who, which
consultation, in what format and how many rows."""

from __future__ import annotations

import pytest

from policeplan.consultations import services as consult
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.core.models import AuditEvent
from policeplan.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
@pytest.mark.parametrize("role", [Role.ANALYST, Role.POLICY_OFFICER])
def test_every_bulk_export_leaves_an_audit_event_naming_who_what_and_how_many(
    client,
    users,
    consultation,  # noqa: F811
    ext,
    role,
):
    for n in range(3):
        consult.submission_add(
            user=users[Role.POLICY_OFFICER],
            consultation=consultation,
            channel="letter",
            text=f"Letter {n} about street lighting.",
        )
    client.force_login(users[role])
    before = AuditEvent.objects.filter(action="responses.export").count()
    response = client.get(f"/staff/consultations/{consultation.pk}/responses/export.{ext}")
    assert response.status_code == 200
    events = AuditEvent.objects.filter(action="responses.export")
    assert events.count() == before + 1
    event = events.latest("pk")
    assert event.actor == users[role]
    assert event.actor_label == users[role].email
    assert event.object_id == str(consultation.pk)
    assert event.changes["format"] == [None, ext]
    assert event.changes["rows"] == [None, "3"]
    assert event.changes["masked"] == [None, str(role == Role.ANALYST)]


def test_the_audit_trail_page_shows_the_export(client, users, consultation):  # noqa: F811
    client.force_login(users[Role.ANALYST])
    client.get(f"/staff/consultations/{consultation.pk}/responses/export.csv")
    client.force_login(users[Role.ADMINISTRATOR])
    page = client.get("/staff/audit/").text
    assert "responses.export" in page and users[Role.ANALYST].email in page
