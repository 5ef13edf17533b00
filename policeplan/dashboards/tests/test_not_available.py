"""A period inside a measure's span with no figure for an area is shown as not available with
the reason, on the page, in the CSV and in the API: never 0, never a blank that reads as 0.

The fixture file has residential burglary for Barnet and Camden from April 2022 to March 2024.
The crosswalk is changed so that no residential burglary category was in use in October 2022
(a month the source could not have recorded it), and Camden has no population estimate (so no
rate per 1,000 residents can be made for it)."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from policeplan.performance.models import CategoryMapping, MeasureGap, MeasureValue, Population
from policeplan.performance.tests.conftest import run_import
from policeplan.performance.tests.test_crosswalk import BURGLARY_FILE, boroughs  # noqa: F401
from policeplan.plans.models import PlanVersion, VersionState
from policeplan.plans.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

GAP = "No MPS category for residential burglary was in use in October 2022"
NO_POPULATION = "No population estimate for Camden to work out a rate per 1,000 residents from"


@pytest.fixture
def measure(boroughs):  # noqa: F811
    rate = MeasureFactory(
        dataset="mps_crime", unit="rate_per_1000", concepts=["residential-burglary"]
    )
    PlanVersion.objects.filter(pk=rate.outcome.priority.version_id).update(state=VersionState.FINAL)
    CategoryMapping.objects.filter(scheme="current", source_name="DOMESTIC BURGLARY").update(
        in_use_to="2022-09"
    )
    CategoryMapping.objects.filter(
        scheme="current",
        source_name__in=["RES BURGLARY OF A HOME", "RES BURGLARY OF UNCONNECTED BUILDING"],
    ).update(in_use_from="2022-11")
    Population.objects.filter(area__code="E09000007").delete()
    run_import("mps-crime", BURGLARY_FILE)
    return rate


def _values(measure, code, kind):
    return {
        v.period_key: v.value
        for v in MeasureValue.objects.filter(
            measure_lineage=measure.lineage, area__code=code, period_kind=kind
        )
    }


def _gaps(measure, code, kind):
    return {
        g.period_key: g.reason
        for g in MeasureGap.objects.filter(
            measure_lineage=measure.lineage, area__code=code, period_kind=kind
        )
    }


def test_the_import_records_each_area_and_period_without_a_figure_and_why(measure):
    assert _gaps(measure, "E09000003", "month") == {"2022-10": GAP}
    assert _gaps(measure, "E09000003", "financial_year") == {"2022-23": GAP}
    assert set(_values(measure, "E09000003", "financial_year")) == {"2023-24"}
    assert "2022-10" not in _values(measure, "E09000003", "month")
    # Camden: a rate with no population is not available for any period, and is never 0.
    assert not MeasureValue.objects.filter(
        measure_lineage=measure.lineage, area__code="E09000007"
    ).exists()
    camden = _gaps(measure, "E09000007", "financial_year")
    assert camden == {"2022-23": GAP, "2023-24": NO_POPULATION}
    assert _gaps(measure, "E09000007", "month")["2023-01"] == NO_POPULATION


def _table(html):
    start = html.index('<table class="govuk-table">')
    return html[start : html.index("</table>", start)]


def test_the_page_shows_not_available_with_the_reason_and_the_chart_a_gap(client, measure):
    html = unescape(
        client.get(
            f"/performance/measures/{measure.lineage}/", {"area": "E09000003", "period": "month"}
        ).text
    )
    table = _table(html)
    row = table[table.index('<th scope="row" class="govuk-table__header">October 2022') :]
    row = row[: row.index("</tr>")]
    assert f"Not available</strong>: {GAP}" in row
    assert not re.search(r">\s*0(\.0+)?\s*<", row)  # no 0 in the row
    spec = json.loads(
        re.search(r'<script type="application/json" id="chart-trend">(.*?)</script>', html, re.S)[1]
    )
    october = [p for p in spec["data"]["values"] if p["end"] == "2022-10-01"]
    assert october and all(p["value"] is None for p in october)

    camden = unescape(
        client.get(
            f"/performance/measures/{measure.lineage}/",
            {"area": "E09000007", "period": "financial_year"},
        ).text
    )
    table = _table(camden)
    assert f"Not available</strong>: {NO_POPULATION}" in table
    assert f"Not available</strong>: {GAP}" in table
    body = table.split("</thead>")[1]
    assert body.count("<tr") == body.count("Not available</strong>") == 2  # no figure at all
    assert "There are no figures for Camden by financial year" in camden


def test_the_csv_gives_the_rows_with_an_empty_value_and_the_reason(client, measure):
    response = client.get(
        f"/performance/measures/{measure.lineage}/download.csv",
        {"table": "trend", "area": "E09000007", "period": "financial_year"},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["period"], r["not_available_reason"]) for r in rows] == [
        ("2022-23", GAP),
        ("2023-24", NO_POPULATION),
    ]
    for r in rows:
        assert r["figure"] == "Not available" and r["value_per_1000_residents"] == ""
        assert r["numerator"] == "" and r["suppressed"] == "no"
    barnet = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/performance/measures/{measure.lineage}/download.csv",
                    {"table": "trend", "area": "E09000003", "period": "financial_year"},
                ).content.decode()
            )
        )
    )
    assert [(r["period"], r["not_available_reason"]) for r in barnet] == [
        ("2022-23", GAP),
        ("2023-24", ""),
    ]
    assert float(barnet[1]["value_per_1000_residents"]) > 0


def test_boroughs_compared_lists_a_borough_without_a_figure_as_not_available(client, measure):
    """Camden has no rate for 2023-24: the boroughs table and its download list it with the
    reason instead of leaving it out (a missing row reads as a borough with nothing)."""
    page = client.get(
        f"/performance/measures/{measure.lineage}/",
        {"area": "E09000003", "period": "financial_year"},
    ).text
    table = unescape(page.split("by borough, 2023-24</caption>", 1)[1].split("</table>", 1)[0])
    assert re.search(r">Barnet</a></th>\s*<td[^>]*>[\d.]+ per 1,000", table)
    assert re.search(r">Camden</a></th>\s*<td[^>]*><strong>Not available</strong>: ", table)
    assert NO_POPULATION in table
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/performance/measures/{measure.lineage}/download.csv",
                    {"table": "boroughs", "period": "financial_year", "key": "2023-24"},
                ).content.decode()
            )
        )
    )
    assert [(r["area_name"], r["figure"] != "Not available") for r in rows] == [
        ("Barnet", True),
        ("Camden", False),
    ]
    assert rows[1]["not_available_reason"] == NO_POPULATION
    assert rows[1]["value_per_1000_residents"] == ""


def test_the_api_gives_null_with_the_reason(client, measure):
    found = client.get(
        f"/api/v1/measures/{measure.lineage}/values",
        {"area": "E09000007", "period_type": "financial_year"},
    ).json()["items"]
    assert [(v["period"], v["value"], v["not_available_reason"]) for v in found] == [
        ("2022-23", None, GAP),
        ("2023-24", None, NO_POPULATION),
    ]
    assert all(v["figure"] == "Not available" and v["numerator"] is None for v in found)
    barnet = client.get(
        f"/api/v1/measures/{measure.lineage}/values",
        {"area": "E09000003", "period_type": "financial_year"},
    ).json()["items"]
    assert [(v["period"], v["not_available_reason"]) for v in barnet] == [
        ("2022-23", GAP),
        ("2023-24", None),
    ]
    assert barnet[1]["value"] > 0
    schema = client.get("/api/v1/openapi.json").json()
    assert "not_available_reason" in schema["components"]["schemas"]["ValueOut"]["properties"]
