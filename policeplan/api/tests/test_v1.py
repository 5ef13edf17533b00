"""The public API on the demo plan with real survey data."""

from __future__ import annotations

import pytest

from policeplan.performance.models import MeasureValue
from policeplan.performance.tests.conftest import run_import
from policeplan.plans.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_data(demo, warehouse_root, shared_data):
    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    return demo


def test_the_openapi_document_describes_every_operation(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["version"] == "1"
    assert {
        "/api/v1/plan",
        "/api/v1/measures",
        "/api/v1/measures/{measure_id}",
        "/api/v1/areas",
        "/api/v1/measures/{measure_id}/values",
        "/api/v1/priorities",
    } <= set(doc["paths"])


def test_the_current_plan_with_its_priorities_outcomes_and_measures(client, demo):
    plan = client.get("/api/v1/plan").json()
    assert plan["title"] == "Police and Crime Plan for London 2022–25" and plan["version"] == 2
    assert plan["priorities"][0]["title"] == "Reducing and preventing violence"
    measures = client.get("/api/v1/measures").json()
    trust = next(m for m in measures if m["title"] == "Londoners who trust the Met")
    assert trust["computed"] is True and trust["page"].startswith("/performance/measures/")
    assert (
        client.get(f"/api/v1/measures/{trust['id']}").json()["title"]
        == "Londoners who trust the Met"
    )


def test_values_are_filtered_paged_and_withheld_as_on_the_pages(client, with_data, settings):
    trust = Measure.objects.get(
        outcome__priority__version=with_data, title="Londoners who trust the Met"
    )
    url = f"/api/v1/measures/{trust.lineage}/values"
    page = client.get(
        url, {"area": "E09000003", "from": "2023-01", "to": "2023-12", "limit": 2}
    ).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    stored = MeasureValue.objects.get(
        measure_lineage=trust.lineage, area__code="E09000003", period_key="R12-2023-12"
    )
    latest = client.get(url, {"area": "E09000003", "from": "2023-12", "to": "2023-12"}).json()[
        "items"
    ][0]
    assert (
        latest["value"] == pytest.approx(stored.value)
        and latest["base"] == 400
        and not latest["suppressed"]
    )
    settings.SURVEY_MIN_BASE = 1000
    withheld = client.get(url, {"area": "E09000003", "from": "2023-12", "to": "2023-12"}).json()[
        "items"
    ][0]
    assert withheld["suppressed"] and withheld["value"] is None and withheld["lower_95"] is None


def test_answers_carry_an_etag_and_a_repeat_is_told_nothing_changed(client, demo):
    first = client.get("/api/v1/plan")
    assert first["ETag"]
    again = client.get("/api/v1/plan", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_bad_requests_are_clear_and_drafts_stay_private(client, with_data, users):
    assert client.get("/api/v1/measures/not-a-uuid").status_code == 422
    assert client.get("/api/v1/measures/00000000-0000-0000-0000-000000000000").status_code == 404
    trust = Measure.objects.get(
        outcome__priority__version=with_data, title="Londoners who trust the Met"
    )
    assert (
        client.get(f"/api/v1/measures/{trust.lineage}/values", {"from": "2023-13"}).status_code
        == 422
    )


def test_the_human_docs_list_every_operation(client):
    html = client.get("/api/v1/").text
    assert "GET /api/v1/measures/{measure_id}/values" in html and "OpenAPI document" in html


def test_a_measures_numeric_target_is_in_the_api(client, demo):
    trust = next(
        m for m in client.get("/api/v1/measures").json()
        if m["title"] == "Londoners who trust the Met"
    )  # fmt: skip
    assert (trust["target_kind"], trust["target_value"]) == ("level", 75.0)


def test_a_measures_caveats_are_in_the_api_as_on_its_page(client, demo):
    from policeplan.performance.models import Caveat

    violence = Measure.objects.filter(title="Violence with injury offences").first()
    assert violence is not None
    Caveat.objects.create(
        dataset="mps_crime",
        effective_from="2024-02",
        title="New crime recording system",
        text="The Met moved to a new crime recording system.",
        categories=[],
        is_series_break=True,
    )
    Caveat.objects.create(
        dataset="pas", effective_from="2020-04", title="Survey by telephone", text="Covid."
    )
    answer = client.get(f"/api/v1/measures/{violence.lineage}")
    assert answer.status_code == 200
    caveats = answer.json()["caveats"]
    assert {
        "effective_from": "2024-02",
        "title": "New crime recording system",
        "text": "The Met moved to a new crime recording system.",
        "series_break": True,
    } in caveats
    assert "Survey by telephone" not in {c["title"] for c in caveats}  # another dataset's
    assert [c["effective_from"] for c in caveats] == sorted(c["effective_from"] for c in caveats)
    page = client.get(f"/performance/measures/{violence.lineage}/").content.decode()
    assert "New crime recording system" in page and "Survey by telephone" not in page
