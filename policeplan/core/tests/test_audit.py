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
