"""Measure pages and downloads show only what was asked for, say why a figure or status is
missing, and never print a figure without its unit or a missing one as 0."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from policeplan.performance.models import MeasureValue
from policeplan.performance.tests.conftest import run_import
from policeplan.plans.models import Measure

pytestmark = pytest.mark.django_db

HOSTILE_AREAS = [
    ("' OR 1=1 --", 400),
    ("E09000003'; DROP TABLE performance_area; --", 400),
    ("x" * 5000, 400),
    ("Ĉamden", 400),
    ("E09000099", 404),
]
HOSTILE_PERIODS = [("decade", 400), ("rolling_12' OR '1'='1", 400), ("quarter", 404)]


@pytest.fixture
def with_data(demo, warehouse_root, shared_data):
    run_import("population", shared_data / "ons/population-borough/population_clean.csv")
    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    run_import("mps-crime", shared_data / "mps-recorded-crime/borough/mps_borough_recent.csv")
    return demo


def _measure(version, title):
    return Measure.objects.get(outcome__priority__version=version, title=title)


def _page(client, m, **query):
    return client.get(f"/performance/measures/{m.lineage}/", query)


def _csv(client, m, **query):
    return client.get(f"/performance/measures/{m.lineage}/download.csv", query)


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_query_the_measure_cannot_answer_is_refused_with_what_it_has(client, with_data):
    """The survey measure has rolling years only, and no figures for the City of London:
    asking for either says so and links to what exists, and shows no other figures."""
    trust = _measure(with_data, "Londoners who trust the Met")
    cases = [
        *[({"area": v}, status) for v, status in HOSTILE_AREAS],
        *[({"period": v}, status) for v, status in HOSTILE_PERIODS],
        ({"area": "E09000001"}, 404),  # the City: no survey figures
        ({"area": ["E09000003", "E09000005"]}, 400),  # which one?
    ]
    for query, status in cases:
        response = _page(client, trust, **query)
        assert response.status_code == status, query
        html = unescape(response.text)
        assert "No figures are shown in its place" in html
        assert "95% interval" not in html and "Boroughs compared" not in html
        assert "x" * 100 not in html  # a long value is shortened
        download = _csv(client, trust, table="trend", **query)
        assert download.status_code == status
        assert download["Content-Type"].startswith("text/plain")
        assert "Choose one of these" in download.content.decode()
    html = unescape(_page(client, trust, period="quarter").text)
    assert "This measure has no figures by quarter." in html
    assert 'href="?period=rolling_12">Rolling year (12 months)</a>' in html
    html = unescape(_page(client, trust, area="E09000001", period="rolling_12").text)
    assert "This measure has no figures for the area ‘E09000001’." in html
    assert 'href="?period=rolling_12&area=E09000003">Barnet</a>' in unescape(html)
    assert "Ĉamden" in unescape(_page(client, trust, area="Ĉamden").text)


def test_a_period_or_table_the_download_does_not_have_is_refused(client, with_data):
    trust = _measure(with_data, "Londoners who trust the Met")
    missing = _csv(client, trust, table="boroughs", period="rolling_12", key="R12-1999-12")
    assert missing.status_code == 404
    text = missing.content.decode()
    assert "no figures for the period ‘R12-1999-12’" in text
    assert "R12-2023-12: 12 months to December 2023" in text
    assert _csv(client, trust, table="boroughs", key="R12'--").status_code == 400
    assert _csv(client, trust, table="everything").status_code == 400
    found = _csv(client, trust, table="boroughs", period="rolling_12", key="R12-2023-12")
    assert found.status_code == 200 and len(_rows(found)) == 32


def test_the_boroughs_table_of_a_measure_with_no_borough_figures_is_refused_not_empty(
    client, with_data
):
    """Stop and search has no figures by borough here: its boroughs download says so and
    offers the trend, instead of a header with no rows that reads as 'nothing happened'."""
    stops = _measure(with_data, "Stop and searches leading to arrest or other outcome")
    response = _csv(client, stops, table="boroughs")
    assert response.status_code == 404
    text = response.content.decode()
    assert text.startswith("This measure has no figures by borough.")
    assert "trend: One area over time" in text and "boroughs:" not in text


def test_every_status_names_its_rule_and_an_unassessable_target_says_why(client, with_data):
    """Violence with injury's target is a 5% cut from 2021-22, but the figures start in April
    2024: it cannot be assessed yet, and it does not quietly fall back to last year's change."""
    violence = _measure(with_data, "Violence with injury offences")
    html = unescape(_page(client, violence, area="E09000003", period="financial_year").text)
    assert "Cannot be assessed yet" in html
    assert (
        "Its target is a change from the baseline (2021-22), which is before these figures "
        "start (2024-25)." in html
    )
    assert "To be assessed against a change from the baseline." in html
    start = html.index('<div class="app-headline">')
    headline = html[start : html.index("<details", start)]
    assert "Improving" not in headline and "Getting worse" not in headline
    rows = _rows(_csv(client, violence, area="E09000003", period="financial_year"))
    latest = rows[-1]
    assert latest["period"] == "2025-26" and latest["status"] == "Cannot be assessed yet"
    assert latest["status_rule"] == "a change from the baseline"
    assert "before these figures start" in latest["status_reason"]
    assert all(r["status"] == "" for r in rows[:-1])  # the status is the latest period's

    trust = _measure(with_data, "Londoners who trust the Met")
    html = unescape(_page(client, trust, area="E09000003").text)
    assert "Assessed against a numeric target." in html
    sexual = _measure(with_data, "Sexual offences")  # no direction of good
    assert "Not assessed: this is a context measure." in unescape(_page(client, sexual).text)
    home = unescape(client.get("/performance/").text)
    assert "To be assessed against a change from the baseline." in home


def test_a_rate_says_which_population_year_it_is_per_1000_residents_of(client, with_data):
    burglary = _measure(with_data, "Residential burglary rate")
    value = MeasureValue.objects.get(
        measure_lineage=burglary.lineage, area__code="E09000003", period_key="2025-26"
    )
    assert value.population_year == 2024 and value.population_carried
    html = unescape(_page(client, burglary, area="E09000003", period="financial_year").text)
    assert (
        f'{value.value:.2f} <span class="govuk-body">per 1,000 residents '
        "(mid-2024 population)</span>" in html
    )
    assert "Population for 2024 used: there is no estimate for 2025 yet." in html
    assert "Rate per 1,000 residents" in html  # the tables' column and the chart's axis
    rows = _rows(_csv(client, burglary, area="E09000003", period="financial_year"))
    latest = next(r for r in rows if r["period"] == "2025-26")
    assert latest["figure"] == f"{value.value:.2f} per 1,000 residents"
    assert latest["population_year"] == "2024"
    assert latest["population_note"] == (
        "Population for 2024 used: there is no estimate for 2025 yet."
    )
    earlier = next(r for r in rows if r["period"] == "2024-25")
    assert earlier["population_year"] == "2024" and earlier["population_note"] == ""


def test_a_rate_with_no_population_has_no_figures_and_says_why(
    client, demo, warehouse_root, shared_data
):
    run_import("mps-crime", shared_data / "mps-recorded-crime/borough/mps_borough_recent.csv")
    burglary = _measure(demo, "Residential burglary rate")
    assert not MeasureValue.objects.filter(measure_lineage=burglary.lineage).exists()
    html = unescape(_page(client, burglary).text)
    assert "no population estimates have been imported" in html
    assert "0.00" not in html


FIGURE = re.compile(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>')
BARE = re.compile(r"^-?[\d,]+(\.\d+)?%?$")


def test_no_page_download_or_answer_shows_a_missing_figure_as_0_or_a_bare_number(
    client, with_data, settings
):
    """Every measure with figures, every kind of period, with small counts withheld: a
    withheld figure is 'fewer than' or 'not shown' in the table, empty in the CSV, null in
    the API and in the chart's data, and every figure shown carries its unit."""
    violence = _measure(with_data, "Violence with injury offences")
    barnet = sorted(
        MeasureValue.objects.filter(
            measure_lineage=violence.lineage, area__code="E09000003", period_kind="month"
        ).values_list("numerator", flat=True)
    )
    # Withhold about half of Barnet's months, so its chart has gaps among figures.
    settings.DISCLOSURE_MIN_COUNT = int(barnet[len(barnet) // 2])
    computed = [
        m
        for m in Measure.objects.filter(outcome__priority__version=with_data)
        if MeasureValue.objects.filter(measure_lineage=m.lineage).exists()
    ]
    assert len(computed) >= 5
    withheld_seen = 0
    for m in computed:
        kinds = set(
            MeasureValue.objects.filter(measure_lineage=m.lineage).values_list(
                "period_kind", flat=True
            )
        )
        for kind in kinds:
            response = _page(client, m, area="E09000003", period=kind)
            if response.status_code == 404:  # Barnet has none of this measure's figures
                continue
            html = unescape(response.text)
            cells = [c.strip() for c in FIGURE.findall(html)]
            # The figure cells (every other numeric column holds counts, bases, intervals).
            assert not any(c in {"0", "0.0", "0.00", "0.0%"} for c in cells), (m.title, kind)
            spec = re.search(
                r'<script type="application/json" id="chart-trend">(.*?)</script>', html
            )
            if spec:
                points = json.loads(spec.group(1))["layer"][1:2][0]
                data = json.loads(spec.group(1))["data"]["values"]
                for point in data:
                    if point["shown"] in {"not shown"} or point["shown"].startswith("fewer than"):
                        assert point["value"] is None and point["lower"] is None, (m.title, kind)
                        withheld_seen += 1
                    else:
                        assert point["value"] is not None
                        assert not BARE.match(point["shown"]), point["shown"]
                assert points["encoding"]["y"]["title"] != "Number" or not m.dataset
            for row in _rows(_csv(client, m, area="E09000003", period=kind)):
                if row["suppressed"] == "yes":
                    assert [
                        v for k, v in row.items() if k.startswith(("value_", "lower_", "upper_"))
                    ] == ["", "", ""]
                assert not BARE.match(row["figure"]), row["figure"]
            api = client.get(
                f"/api/v1/measures/{m.lineage}/values",
                {"area": "E09000003", "period_type": kind, "limit": 1000},
            ).json()
            for item in api["items"]:
                if item["suppressed"]:
                    assert item["value"] is None and item["numerator"] is None
                assert not BARE.match(item["figure"]), item["figure"]
    assert withheld_seen > 0  # the walk met withheld figures, so it could have failed
