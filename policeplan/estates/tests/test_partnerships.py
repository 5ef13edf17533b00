"""Community safety partnerships from the real ONS lookup (all or nothing, every problem
named), their page on the borough, and their representations found among the consultations'
written submissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from policeplan.estates import services
from policeplan.estates.models import Partnership

pytestmark = pytest.mark.django_db

LOOKUP = "ons/national/Local_Authority_District_to_CSPs_to_Police_Force_Areas_(December__2023)_Lookup_.csv"
OLD = (
    "ons/national/Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_"
    "Areas__December_2016__Lookup_in_England_and_Wales.csv"
)


def test_the_real_lookup_names_each_boroughs_partnership(shared_data, boroughs, officer):
    data = (shared_data / LOOKUP).read_bytes()
    assert services.partnerships_import(user=officer, data=data, name="lookup.csv") == 3
    # Independently, from the file with the csv module: Barnet's row.
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    barnet = next(r for r in rows if r["LAD23CD"] == "E09000003")
    found = Partnership.objects.get(borough=boroughs["Barnet"])
    assert found.code == barnet["CSP23CD"]
    assert found.name == f"{barnet['CSP23NM']} Community Safety Partnership"
    # The 2016 edition (other column names) reads the same way and changes nothing here.
    old = (shared_data / OLD).read_bytes()
    assert services.partnerships_import(user=officer, data=old, name="old.csv") in (0, 3)


def test_a_borough_with_two_partnerships_or_none_refuses_the_file(boroughs, officer):
    header = "LAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM,ObjectId\n"
    two = header + (
        "E09000003,Barnet,E22000187,Barnet,E23000001,Metropolitan Police,1\n"
        "E09000003,Barnet,E22000999,Elsewhere,E23000001,Metropolitan Police,2\n"
        "E09000005,Brent,E22000189,Brent,E23000001,Metropolitan Police,3\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.partnerships_import(user=officer, data=two.encode(), name="lookup.csv")
    text = "\n".join(caught.value.messages)
    assert "lookup.csv, line 3, field CSP23CD" in text and "also on line 2" in text
    assert "no row for Harrow" in text
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfeL\x00", "not UTF-8"),
        (b"a,b,c\n1,2,3\n", "line 1: the header has no LAD..CD column"),
    ],
)
def test_what_is_not_the_lookup_is_refused_clearly(boroughs, officer, data, message):
    with pytest.raises(ValidationError) as caught:
        services.partnerships_import(user=officer, data=data, name="x.csv")
    assert message in "\n".join(caught.value.messages)


def test_the_borough_page_shows_the_partnership_and_its_representations(
    client, boroughs, demo, users
):
    from django.utils import timezone

    from policeplan.consultations.models import Response, ResponseStatus
    from policeplan.consultations.tests.conftest import build

    partnership = Partnership.objects.create(
        borough=boroughs["Barnet"],
        name="Barnet Community Safety Partnership",
        members="Barnet Council\nMetropolitan Police Service",
        contact_email="csp@barnet.example",
    )
    consultation = build(users["policy_officer"])
    sent = {
        "consultation": consultation,
        "status": ResponseStatus.SUBMITTED,
        "submitted_at": timezone.now(),
        "respondent_type": "organisation",
    }
    Response.objects.create(
        **sent,
        organisation="barnet community safety partnership",
        reference="R-1",
        channel="letter",
    )
    Response.objects.create(
        **sent, organisation="Brent Community Safety Partnership", reference="R-2", channel="letter"
    )
    # Anyone can type the partnership's name into the online questionnaire: not its own.
    Response.objects.create(
        **sent, organisation="Barnet Community Safety Partnership", reference="R-3"
    )
    html = client.get("/boroughs/barnet/").content.decode()
    assert "Barnet Community Safety Partnership" in html
    assert "<li>Metropolitan Police Service</li>" in html
    assert 'href="mailto:csp@barnet.example"' in html
    assert partnership.member_list == ["Barnet Council", "Metropolitan Police Service"]
    assert html.count(f"To ‘{consultation.title}’") == 1  # the letter, not the online one
    # A consultation not (or no longer) published names nothing in public.
    consultation.published_at = None
    consultation.save(update_fields=["published_at"])
    from django.core.cache import cache

    cache.clear()
    html = client.get("/boroughs/barnet/").content.decode()
    assert consultation.title not in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("E09000003,Barnet,E2200018712345678901234,Barnet,E23000001,M,1", "not an ONS code"),
        ("E09000003,Barnet,E22000187," + "B" * 300 + ",E23000001,M,1", "at most"),
        ("E09000003,Barnet,E22000187,Hack\x1b[31mney,E23000001,M,1", "control character"),
    ],
)
def test_a_hostile_cell_refuses_the_file_naming_its_line_and_field(boroughs, officer, row, message):
    header = "LAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM,ObjectId\n"
    rest = (
        "E09000005,Brent,E22000189,Brent,E23000001,M,2\n"
        "E09000015,Harrow,E22000199,Harrow,E23000001,M,3\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.partnerships_import(
            user=officer, data=(header + row + "\n" + rest).encode(), name="lookup.csv"
        )
    text = "\n".join(caught.value.messages)
    assert "lookup.csv, line 2, field CSP23" in text and message in text
    assert not Partnership.objects.exists()
