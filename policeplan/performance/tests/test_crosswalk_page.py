"""Analysts see and edit the crosswalk; every change is audited and recomputes the measures
counting the concepts it touches."""

from __future__ import annotations

import pytest

from policeplan.core.models import AuditEvent
from policeplan.performance.models import CategoryMapping, MeasureValue
from policeplan.performance.tests.conftest import run_import
from policeplan.performance.tests.test_crosswalk import (  # noqa: F401
    BURGLARY_FILE,
    RESIDENTIAL,
    _expected,
    boroughs,
)
from policeplan.plans.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, users):
    client.force_login(users["analyst"])
    return client


def test_the_crosswalk_page_lists_each_source_name_with_its_concept_and_months(analyst_client):
    page = analyst_client.get("/staff/data/crosswalk/").text
    assert '<h1 class="govuk-heading-xl">Category crosswalk</h1>' in page
    cell = page.index('<td class="govuk-table__cell">DOMESTIC BURGLARY')
    row = page[page.rindex("<tr", 0, cell) : page.index("</tr>", cell)]
    assert "Residential burglary" in row
    assert "April 2010 to July 2023" in row
    assert "Current scheme" in row
    assert "RES BURGLARY OF A HOME" in page and "April 2023 to now" in page
    assert "Domestic Burglary" in page and "Old scheme" in page  # the earlier scheme too
    assert "Trust MPS" in page and "Violence and sexual offences" in page


def test_policy_officers_and_the_public_cannot_see_the_crosswalk(client, users):
    assert client.get("/staff/data/crosswalk/").status_code == 302  # to sign in
    client.force_login(users["policy_officer"])
    assert client.get("/staff/data/crosswalk/").status_code == 403
    mapping = CategoryMapping.objects.first()
    response = client.post(f"/staff/data/crosswalk/{mapping.pk}/", {"in_use_to": "2020-01"})
    assert response.status_code == 403
    assert CategoryMapping.objects.get(pk=mapping.pk).in_use_to == mapping.in_use_to


def _form(mapping: CategoryMapping, **changes: str) -> dict[str, str]:
    data = {
        "source": mapping.source,
        "scheme": mapping.scheme,
        "source_name": mapping.source_name,
        "concept": str(mapping.concept_id),
        "in_use_from": mapping.in_use_from,
        "in_use_to": mapping.in_use_to,
        "reference": mapping.reference,
    }
    return {**data, **changes}


def test_changing_a_mapping_is_audited_and_recomputes_the_measures_counting_it(
    analyst_client,
    boroughs,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    measure = MeasureFactory(dataset="mps_crime", unit="count", concepts=["residential-burglary"])
    run_import("mps-crime", BURGLARY_FILE)
    years = MeasureValue.objects.filter(
        measure_lineage=measure.lineage, area__code="E09000003", period_kind="financial_year"
    )
    assert {v.period_key: v.value for v in years} == {
        "2022-23": _expected("Barnet", "202204", "202303", RESIDENTIAL),
        "2023-24": _expected("Barnet", "202304", "202403", RESIDENTIAL),
    }
    mapping = CategoryMapping.objects.get(source_name="DOMESTIC BURGLARY", scheme="current")
    business = CategoryMapping.objects.get(source_name="BURGLARY BUSINESS AND COMMUNITY")
    # An analyst wrongly moves domestic burglary to business burglary: the figures follow.
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(
            f"/staff/data/crosswalk/{mapping.pk}/",
            _form(mapping, concept=str(business.concept_id)),
            follow=True,
        )
    assert "has been changed" in response.text and "being recomputed" in response.text
    # 2023-24 loses domestic burglary's last records; 2022-23 had no other name in use, so it
    # is no longer available (never a 0 or a count of the one stray record).
    assert {v.period_key: v.value for v in years.all()} == {
        "2023-24": _expected("Barnet", "202304", "202403", RESIDENTIAL - {"DOMESTIC BURGLARY"}),
    }
    event = AuditEvent.objects.filter(action="category_mapping.update").get()
    assert event.actor.role == "analyst"
    assert event.changes["concept"] == ["Residential burglary", "Business and community burglary"]


def test_adding_a_name_and_the_form_errors(analyst_client):
    mapping = CategoryMapping.objects.get(source_name="DOMESTIC BURGLARY", scheme="current")
    page = analyst_client.get("/staff/data/crosswalk/add/").text
    assert "Name as the source writes it" in page and "Choose a concept" in page
    bad = analyst_client.post(
        "/staff/data/crosswalk/add/",
        _form(mapping, source_name="domestic burglary", in_use_from="April 2023"),
    ).text
    assert "Enter the month as year and month, like 2023-04" in bad
    clash = analyst_client.post(
        "/staff/data/crosswalk/add/", _form(mapping, source_name="domestic burglary")
    ).text
    assert "That name already has a mapping in this source and scheme" in clash
    backwards = analyst_client.post(
        "/staff/data/crosswalk/add/",
        _form(mapping, source_name="BURGLARY OF A DWELLING", in_use_to="2009-01"),
    ).text
    assert "The last month in use must be the same as or after the first" in backwards
    response = analyst_client.post(
        "/staff/data/crosswalk/add/", _form(mapping, source_name="BURGLARY OF A DWELLING")
    )
    assert response.status_code == 302
    added = CategoryMapping.objects.get(source_name="BURGLARY OF A DWELLING")
    assert added.concept.slug == "residential-burglary"
    assert AuditEvent.objects.filter(action="category_mapping.create").count() == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"in_use_from": "0000-01"}, "Enter a month from 2000-01 to"),
        ({"in_use_from": "9999-12"}, "Enter a month from 2000-01 to"),
        ({"in_use_to": "1999-12"}, "Enter a month from 2000-01 to"),
        ({"scheme": "whatever"}, "Enter the category scheme as current or old"),
        ({"scheme": ""}, "Enter the category scheme as current or old"),
        ({"source": "street", "scheme": "current"}, "Leave the category scheme blank"),
    ],
)
def test_impossible_months_and_made_up_schemes_are_refused(analyst_client, changes, error):
    mapping = CategoryMapping.objects.get(source_name="DOMESTIC BURGLARY", scheme="current")
    before = CategoryMapping.objects.count()
    page = analyst_client.post(
        "/staff/data/crosswalk/add/",
        _form(mapping, source_name="BURGLARY OF A DWELLING", **changes),
    )
    assert page.status_code == 200
    assert error in page.text and "govuk-error-summary" in page.text
    assert CategoryMapping.objects.count() == before


def test_a_scheme_is_read_whatever_its_case(analyst_client):
    mapping = CategoryMapping.objects.get(source_name="DOMESTIC BURGLARY", scheme="current")
    response = analyst_client.post(
        "/staff/data/crosswalk/add/",
        _form(mapping, source_name="BURGLARY OF A DWELLING", scheme=" Old "),
    )
    assert response.status_code == 302
    assert CategoryMapping.objects.get(source_name="BURGLARY OF A DWELLING").scheme == "old"
