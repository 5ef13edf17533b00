import pytest

pytestmark = pytest.mark.django_db


def test_administrators_read_who_changed_what_and_when(client, users, demo):
    client.force_login(users["administrator"])
    response = client.get("/staff/audit/")
    assert response.status_code == 200
    assert "plan_version.publish" in response.text
    assert "policy@demo.policeplan.example" in response.text


def test_the_trail_can_be_filtered_by_person_and_object(client, users, demo):
    client.force_login(users["administrator"])
    response = client.get("/staff/audit/", {"object_type": "plans.planversion"})
    assert "plans.chapter" not in response.text
    assert "plans.planversion" in response.text


def test_other_roles_cannot_read_the_trail(client, users):
    for role in ["policy_officer", "analyst", "committee_member"]:
        client.force_login(users[role])
        assert client.get("/staff/audit/").status_code == 403


def test_only_administrators_may_create_accounts_through_the_service(users):
    from django.core.exceptions import PermissionDenied

    from policeplan.core.models import AuditEvent
    from policeplan.core.services import user_create

    with pytest.raises(PermissionDenied):
        user_create(
            email="x@example.org",
            full_name="X",
            role="analyst",
            password="a-long-enough-passphrase",
            actor=users["policy_officer"],
        )
    user = user_create(
        email="y@example.org",
        full_name="Y",
        role="analyst",
        password="a-long-enough-passphrase",
        actor=users["administrator"],
    )
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == users["administrator"] and event.changes == {"role": [None, "analyst"]}


def test_the_trail_says_a_field_was_set_or_cleared_not_none_to_something(client, users):
    from policeplan.core.services import audit_record

    audit_record(
        actor=users["administrator"],
        action="caveat.edit",
        changes={
            "title": [None, "Series break"],
            "wording": ["", "The Met changed its recording system"],
            "note": ["Provisional", ""],
            "effective_from": ["2024-01", "2024-02"],
            "imported": [None, {"file": "pas.csv", "responses": 3}],
        },
    )
    client.force_login(users["administrator"])
    html = client.get("/staff/audit/").text
    assert "<strong>title</strong>: set to Series break<br>" in html
    assert "<strong>wording</strong>: set to The Met changed its recording system<br>" in html
    assert "<strong>note</strong>: cleared (was Provisional)<br>" in html
    assert "<strong>effective_from</strong>: changed from 2024-01 to 2024-02<br>" in html
    assert "<strong>imported</strong>: set to file: pas.csv, responses: 3<br>" in html
    assert "None" not in html.split("<tbody")[1]
    assert "→" not in html


def test_the_trail_dates_each_event_the_short_way_staff_tables_do(client, users):
    import datetime

    from policeplan.core.models import AuditEvent
    from policeplan.core.services import audit_record

    event = audit_record(actor=users["administrator"], action="user.create")
    when = datetime.datetime(2026, 12, 1, 18, 30, tzinfo=datetime.UTC)
    AuditEvent.objects.filter(pk=event.pk).update(at=when)
    client.force_login(users["administrator"])
    html = client.get("/staff/audit/").text
    assert '<td class="govuk-table__cell">1 Dec 2026, 6:30pm</td>' in html
