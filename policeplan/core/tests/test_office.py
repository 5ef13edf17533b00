import pytest

from policeplan.core.models import OfficeKind
from policeplan.core.tests.factories import OfficeFactory
from policeplan.plans.models import VersionState
from policeplan.plans.tests.factories import complete_version

pytestmark = pytest.mark.django_db


def test_a_pcc_office_is_named_and_worded_as_a_pcc(client):
    OfficeFactory(kind=OfficeKind.PCC, name="Kent Police and Crime Commissioner", force_area="Kent")
    version = complete_version(state=VersionState.FINAL)
    html = client.get("/sign-in/").text
    assert "Kent Police and Crime Commissioner" in html  # the service name in the header
    assert "the Kent Police and Crime Panel" in html
    delivery = client.get(f"/plans/{version.plan.slug}/v1/delivery/").text
    assert "How the Chief Constable of Kent Police reports" in delivery


def test_a_london_office_is_worded_for_the_mayor_and_the_assembly(client, demo):
    assert "the London Assembly Police and Crime Committee" in client.get("/sign-in/").text
    delivery = client.get("/plans/london-2022-25/v2/delivery/").text
    assert "How the Commissioner of Police of the Metropolis reports" in delivery


def test_without_an_office_the_site_still_has_a_name(client):
    html = client.get("/").text
    assert "Police and Crime Plan" in html
    assert "No Police and Crime Plan has been published here yet." in html


def test_administrators_manage_the_office_and_accounts_in_the_django_admin(client, users, demo):
    client.force_login(users["administrator"])
    assert (
        "Mayor&#x27;s Office for Policing and Crime"
        in client.get("/django-admin/core/office/").text
    )
    assert "policy@demo.policeplan.example" in client.get("/django-admin/core/user/").text
    audit = client.get("/django-admin/core/auditevent/")
    assert audit.status_code == 200 and "Add audit event" not in audit.text
