"""The disposals register: exempt figures withheld on the page, in the CSV, in the totals
and in the API, through the one rule (estates.disclosure)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from policeplan.estates import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def disposals(estate, officer):
    from policeplan.core.models import OfficeKind
    from policeplan.core.tests.factories import OfficeFactory

    OfficeFactory(kind=OfficeKind.LONDON, name="MOPAC")  # London's decisions: PCD, DMPCD
    services.disposal_save(
        user=officer,
        data={
            "building": estate["barnet"],
            "decision_reference": "PCD 0301",
            "decided_on": datetime.date(2018, 3, 12),
            "estimated_receipt": Decimal(4_500_000),
            "actual_receipt": Decimal(4_750_000),
            "sold_on": datetime.date(2019, 1, 15),
            "running_cost_saving": Decimal(180_000),
        },
    )
    services.disposal_save(
        user=officer,
        data={
            "building": estate["wembley"],
            "decision_reference": "PCD 1207",
            "decided_on": datetime.date(2026, 9, 14),
            "estimated_receipt": Decimal(3_217_345),
            "running_cost_saving": Decimal(161_999),
            "exempt": True,
            "exempt_reason": "Commercially sensitive",
            "notes": "Offer from Secret Developer Ltd",
        },
    )


def test_exempt_figures_are_withheld_everywhere_and_left_out_of_totals(client, disposals):
    page = client.get("/estate/disposals/").content.decode()
    download = client.get("/estate/disposals.csv").content.decode()
    api = client.get("/api/v1/estate/disposals").content.decode()
    for shown in (page, download, api):
        assert "3217345" not in shown.replace(",", "")
        assert "161999" not in shown.replace(",", "")
        assert "Secret Developer" not in shown
        assert "PCD 1207" in shown
    assert "£4,750,000" in page and "Withheld" in page
    assert "4750000" in download
    # Totals by year: 2017-18 has the one published sale; 2026-27 one withheld.
    assert "2017-18" in page and "2026-27" in page


def test_a_sale_needs_its_date_and_exempt_figures_their_reason(estate, officer):
    with pytest.raises(ValidationError) as caught:
        services.disposal_save(
            user=officer,
            data={
                "building": estate["barnet"],
                "actual_receipt": Decimal(1),
                "exempt": True,
            },
        )
    assert set(caught.value.message_dict) == {"sold_on", "exempt_reason"}


def test_a_published_decision_is_linked_from_the_register(client, disposals, officer):
    from policeplan.scrutiny.models import Decision

    Decision.objects.create(
        reference="PCD 0301",
        slug="pcd-0301",
        title="Sale of Barnet police station",
        summary="Sold.",
        decision_maker="A",
        decision_maker_role="B",
        decided_on=datetime.date(2018, 3, 12),
        published_at=datetime.datetime(2018, 3, 13, tzinfo=datetime.UTC),
    )
    page = client.get("/estate/disposals/").content.decode()
    assert 'href="/scrutiny/decisions/pcd-0301/"' in page
    assert 'href="/scrutiny/decisions/pcd-1207/"' not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("decision_reference", "XYZ 1", "Enter a reference like PCD 1031"),
        ("decided_on", datetime.date(2099, 1, 1), "today or in the past"),
    ],
)
def test_a_disposal_needs_a_real_decision_reference_and_a_decision_already_made(
    estate, officer, field, value, message
):
    from policeplan.core.models import OfficeKind
    from policeplan.core.tests.factories import OfficeFactory

    OfficeFactory(kind=OfficeKind.LONDON, name="MOPAC")
    data = {"building": estate["wembley"], "decision_reference": "pcd  1207", field: value}
    with pytest.raises(ValidationError) as refused:
        services.disposal_save(user=officer, data=data)
    assert message in str(refused.value.message_dict[field])
