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
