"""The API refuses a query for an area or period type a measure does not have, with the
values it does have, and says how each measure's status was reached."""

from __future__ import annotations

import pytest

from policeplan.performance.tests.conftest import run_import
from policeplan.plans.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_data(demo, warehouse_root, shared_data):
    run_import("population", shared_data / "ons/population-borough/population_clean.csv")
    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    run_import("mps-crime", shared_data / "mps-recorded-crime/borough/mps_borough_recent.csv")
    return demo


def _measure(version, title):
    return Measure.objects.get(outcome__priority__version=version, title=title)


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ({"period_type": "quarter"}, 404, "period_type"),
        ({"period_type": "decade"}, 400, "period_type"),
        ({"period_type": "rolling_12' OR '1'='1"}, 400, "period_type"),
        ({"area": "E09000001"}, 404, "area"),  # the City: no survey figures
        ({"area": "E09000099"}, 404, "area"),
        ({"area": "' OR 1=1 --"}, 400, "area"),
        ({"area": "x" * 5000}, 400, "area"),
        ({"area": "Ĉamden"}, 400, "area"),
        ({"area": ["E09000003", "E09000005"]}, 400, "area"),
    ],
)
def test_an_area_or_period_type_the_measure_lacks_is_a_clear_4xx(
    client, with_data, query, status, parameter
):
    trust = _measure(with_data, "Londoners who trust the Met")
    response = client.get(f"/api/v1/measures/{trust.lineage}/values", query)
    assert response.status_code == status
    body = response.json()
    assert body["parameter"] == parameter and body["detail"]
    assert len(body["value"]) <= 40
    values = {choice["value"] for choice in body["available"]}
    if parameter == "period_type":
        assert values == {"rolling_12"}
    else:
        assert "E09000003" in values and "E09000001" not in values
    assert "items" not in body  # nothing answered in its place


def test_figures_carry_their_unit_and_population_year(client, with_data):
    burglary = _measure(with_data, "Residential burglary rate")
    items = client.get(
        f"/api/v1/measures/{burglary.lineage}/values",
        {"area": "e09000003", "period_type": "financial_year"},
    ).json()["items"]
    latest = next(i for i in items if i["period"] == "2025-26")
    assert latest["unit"] == "rate_per_1000"
    assert latest["figure"].endswith(" per 1,000 residents")
    assert latest["population_year"] == 2024 and latest["population_carried"]
    assert latest["population_note"] == (
        "Population for 2024 used: there is no estimate for 2025 yet."
    )


def test_each_measure_says_its_status_and_the_rule_behind_it(client, with_data):
    measures = {m["title"]: m for m in client.get("/api/v1/measures").json()}
    violence = measures["Violence with injury offences"]["status"]
    assert violence["status"] == "none" and violence["label"] == "Cannot be assessed yet"
    assert violence["rule"] == "baseline" and "before these figures start" in violence["reason"]
    assert measures["Violence with injury offences"]["unit_text"] == "crimes"
    assert measures["Sexual offences"]["status"]["rule"] == "context"
    assert measures["Residential burglary rate"]["unit_text"] == "per 1,000 residents"


def test_the_openapi_document_describes_the_refusals(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/measures/{measure_id}/values"]["get"]["responses"]
    assert {"400", "404"} <= set(responses)
    assert "available" in schema["components"]["schemas"]["UnavailableOut"]["properties"]
    assert "population_year" in schema["components"]["schemas"]["ValueOut"]["properties"]
