"""Public performance pages on the demo plan with real data imported."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policeplan.performance.models import MeasureValue
from policeplan.performance.tests.conftest import run_import
from policeplan.plans.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_data(demo, warehouse_root, shared_data):
    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    run_import("mps-crime", shared_data / "mps-recorded-crime/borough/mps_borough_recent.csv")
    return demo


def _measure(version, title):
    return Measure.objects.get(outcome__priority__version=version, title=title)


def test_the_home_page_lists_every_measure_with_londons_latest_figure(client, with_data):
    html = client.get("/performance/").text
    trust = _measure(with_data, "Londoners who trust the Met")
    latest = (
        MeasureValue.objects.filter(
            measure_lineage=trust.lineage, area__code="metropolitan", period_kind="rolling_12"
        )
        .order_by("-period_end")
        .first()
    )
    assert (
        latest is None or latest.period_label in html
    )  # PAS_Total is not imported: London comes from boroughs only when loaded
    assert "Violence with injury offences" in html and "12 months to March 2026" in html
    assert "Reported elsewhere" in html  # measures not computed here say so


def test_a_survey_measure_page_shows_the_borough_figure_interval_and_base(client, with_data):
    trust = _measure(with_data, "Londoners who trust the Met")
    value = MeasureValue.objects.get(
        measure_lineage=trust.lineage, area__code="E09000003", period_key="R12-2023-12"
    )
    html = client.get(f"/performance/measures/{trust.lineage}/", {"area": "E09000003"}).text
    assert f'{value.value * 100:.1f}% <span class="govuk-body">of people asked</span>' in html
    assert (
        f"95% interval {value.lower * 100:.1f}% to {value.upper * 100:.1f}% of people asked; "
        "base 400" in html
    )
    # The borough's name links to its page (issue 14: every borough mention).
    assert (
        '<a class="govuk-link" href="/boroughs/barnet/">Barnet</a>, 12 months to December 2023'
        in html
    )
    assert "Boroughs compared" in html and "Westminster" in html


def test_a_count_measure_page_assesses_change_since_last_year(client, with_data):
    violence = _measure(with_data, "Violence with injury offences")
    html = client.get(
        f"/performance/measures/{violence.lineage}/",
        {"area": "E09000003", "period": "financial_year"},
    ).text
    assert 'href="/boroughs/barnet/">Barnet</a>, 2025-26' in html  # the data runs to March 2026
    latest = MeasureValue.objects.get(
        measure_lineage=violence.lineage, area__code="E09000003", period_key="2025-26"
    )
    before = MeasureValue.objects.get(
        measure_lineage=violence.lineage, area__code="E09000003", period_key="2024-25"
    )
    change = (latest.value / before.value - 1) * 100
    assert (
        f"Since the same period last year: {'down' if change < 0 else 'up'} {abs(change):.1f}%"
        in html
    )
    assert "How the status is decided" in html


def test_small_counts_are_not_published(client, with_data, settings):
    settings.DISCLOSURE_MIN_COUNT = 10_000_000
    violence = _measure(with_data, "Violence with injury offences")
    html = client.get(
        f"/performance/measures/{violence.lineage}/", {"area": "E09000003", "period": "month"}
    ).text
    assert "fewer than 10,000,000" in html or "fewer than 10000000" in html
    fy = MeasureValue.objects.filter(
        measure_lineage=violence.lineage, area__code="E09000003"
    ).first()
    assert f">{fy.value:,.0f}<" not in html


def test_the_measure_page_makes_a_fixed_number_of_queries_whatever_the_period(client, with_data):
    violence = _measure(with_data, "Violence with injury offences")
    counts = []
    for period in ["financial_year", "month"]:  # 2 rows against 24
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    f"/performance/measures/{violence.lineage}/",
                    {"period": period, "area": "E09000003"},
                ).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_measure_only_in_a_draft_is_not_public(client, with_data, users):
    from policeplan.plans import services

    draft = services.plan_version_new_draft(user=users["policy_officer"], plan=with_data.plan)
    outcome = draft.priorities.first().outcomes.first()
    new = services.plan_item_create(
        user=users["policy_officer"],
        kind=__import__("policeplan.plans.kinds", fromlist=["KINDS"]).KINDS["measures"],
        parent=outcome,
        data={
            "title": "Secret",
            "data_source_kind": "other",
            "unit": "count",
            "direction": "lower",
            "geography_levels": ["force"],
            "frequency": "monthly",
            "dataset": "mps_crime",
            "categories": ["ROBBERY"],
        },
    )
    assert client.get(f"/performance/measures/{new.lineage}/").status_code == 404


def test_the_demo_can_load_real_files_and_says_what_it_skipped(
    warehouse_root, shared_data, tmp_path, capsys
):
    import shutil

    from django.core.management import call_command

    (tmp_path / "mopac-pas").mkdir()
    shutil.copy(shared_data / "mopac-pas/PAS_buroughs.csv", tmp_path / "mopac-pas")
    call_command("demo", "--data", str(tmp_path))
    out = capsys.readouterr().out
    assert "Skipped ons-lookup: ons/lookups not found" in out
    assert "PAS_buroughs.csv: 9,312 rows read" in out
    trust = Measure.objects.get(
        outcome__priority__version__number=2, title="Londoners who trust the Met"
    )
    assert MeasureValue.objects.filter(
        measure_lineage=trust.lineage, area__code="E09000003"
    ).exists()


def test_a_series_break_is_shown_beside_the_figures_and_on_the_chart(
    client, with_data, shared_data
):
    run_import("mps-crime", shared_data / "mps-recorded-crime/borough/mps_borough_historical.csv")
    violence = _measure(with_data, "Violence with injury offences")
    html = client.get(
        f"/performance/measures/{violence.lineage}/", {"period": "quarter", "area": "E09000003"}
    ).text
    assert "From February 2024: New recording system." in html
    assert "Read these figures with care" in html
    # The quarter holding February 2024 is marked in the table; the chart draws the break.
    row = html[html.index(">2023-24 Q4") :][:200]
    assert "Series break" in row
    assert "New recording system</text>" in html


def test_tables_download_as_csv_with_the_same_suppression_and_the_licence(
    client, with_data, settings
):
    import csv
    import io

    trust = _measure(with_data, "Londoners who trust the Met")
    response = client.get(
        f"/performance/measures/{trust.lineage}/download.csv",
        {"table": "trend", "area": "E09000003"},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    latest = next(r for r in rows if r["last_month"] == "2023-12")
    value = MeasureValue.objects.get(
        measure_lineage=trust.lineage, area__code="E09000003", period_key="R12-2023-12"
    )
    assert (
        float(latest["value_proportion_0_to_1"]) == pytest.approx(value.value, abs=1e-6)
        and latest["base"] == "400"
    )
    assert latest["figure"] == f"{value.value * 100:.1f}% of people asked"
    assert latest["unit"] == "Per cent of people asked"
    assert (
        latest["licence"].startswith("Contains public sector information")
        and latest["suppressed"] == "no"
    )
    boroughs = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/performance/measures/{trust.lineage}/download.csv",
                    {"table": "boroughs", "period": "rolling_12", "key": "R12-2023-12"},
                ).content.decode()
            )
        )
    )
    assert len(boroughs) == 32

    settings.DISCLOSURE_MIN_COUNT = 10_000_000
    violence = _measure(with_data, "Violence with injury offences")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/performance/measures/{violence.lineage}/download.csv",
                    {"area": "E09000003", "period": "month"},
                ).content.decode()
            )
        )
    )
    assert rows and all(r["suppressed"] == "yes" and r["value_count"] == "" for r in rows)
    assert all(r["figure"] == "fewer than 10000000 crimes" for r in rows)


def test_the_boroughs_are_mapped_on_the_tile_grid_once_its_layout_is_imported(
    client, with_data, shared_data
):
    assert (
        run_import("tile-grid", shared_data / "geography/tile-grid/grid.csv")
        .files.get()
        .rows_accepted
        == 33
    )
    trust = _measure(with_data, "Londoners who trust the Met")
    html = client.get(f"/performance/measures/{trust.lineage}/", {"area": "E09000003"}).text
    assert "Map of London's boroughs as squares" in html
    assert html.count('<rect width="52" height="52"') == 32  # the 32 boroughs with survey figures
    assert ">BRN</text>" in html  # Barnet's tile


def test_a_cached_page_shows_new_figures_as_soon_as_they_are_recomputed(client, with_data):
    from django.utils import timezone

    violence = _measure(with_data, "Violence with injury offences")
    url = f"/performance/measures/{violence.lineage}/"
    params = {"area": "E09000003", "period": "financial_year"}
    assert 'href="/boroughs/barnet/">Barnet</a>, 2025-26' in client.get(url, params).text
    value = MeasureValue.objects.get(
        measure_lineage=violence.lineage, area__code="E09000003", period_key="2025-26"
    )
    MeasureValue.objects.filter(pk=value.pk).update(
        value=123456, numerator=123456, computed_at=timezone.now()
    )
    assert "123,456" in client.get(url, params).text


def test_a_numeric_target_is_shown_and_decides_the_status(client, with_data):
    trust = _measure(with_data, "Londoners who trust the Met")
    assert (trust.target_kind, trust.target_value) == ("level", 75.0)
    latest = (
        MeasureValue.objects.filter(
            measure_lineage=trust.lineage, area__code="E09000003", period_kind="rolling_12"
        )
        .order_by("-period_end")
        .first()
    )
    html = client.get(f"/performance/measures/{trust.lineage}/", {"area": "E09000003"}).text
    assert "Target: 75.0% of people asked." in html
    if latest.value >= 0.75:
        expected, tag = "It meets its target.", "Meets its target"
    elif latest.lower <= 0.75 <= latest.upper:
        expected = "It is short of its target, but the target is within its 95% interval."
        tag = "Close to its target"
    else:
        expected, tag = "It is significantly short of its target.", "Short of its target"
    assert expected in html
    headline = html.split('class="app-headline"', 1)[1]
    assert headline.split("</strong>", 1)[0].strip().endswith(tag)  # the status tag
    assert "Target figure" in html and "75%" in html  # the measure's details say it in words


def test_the_public_page_is_cached_whole_but_each_response_has_its_own_nonce(
    client, with_data, users
):
    import re

    trust = _measure(with_data, "Londoners who trust the Met")
    url = f"/performance/measures/{trust.lineage}/"
    first, second = client.get(url), client.get(url)
    nonces = []
    for response in (first, second):
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{header}"' in response.text  # the page's inline script may run
        nonces.append(header)
    assert nonces[0] != nonces[1]
    assert first.text.replace(nonces[0], "") == second.text.replace(nonces[1], "")
    # Staff see their own header, never the cached public page (nor the public theirs).
    client.force_login(users["analyst"])
    staff = client.get(url).text
    # Names such as O'Donnell are HTML-escaped in the page: compare with the text as read.
    assert "Signed in as" in staff and users["analyst"].full_name in unescape(staff)
    client.logout()
    assert "Signed in as" not in client.get(url).text


def test_a_measure_page_says_how_it_is_calculated_when_updated_and_whom_to_ask(client, with_data):
    from policeplan.core.models import Office

    Office.objects.update(contact_email="figures@mopac.example")
    violence = _measure(with_data, "Violence with injury offences")
    html = client.get(
        f"/performance/measures/{violence.lineage}/",
        {"area": "E09000003", "period": "financial_year"},
    ).text
    assert "The number of MPS recorded crimes in these categories: VIOLENCE WITH INJURY" in html
    assert "exact Poisson method" in html
    assert 'Data up to</dt><dd class="govuk-summary-list__value">March 2026' in html
    # Monthly data to March 2026: April's figures, published in May.
    assert "With the data for April 2026, usually published in May 2026" in html
    assert 'href="mailto:figures@mopac.example?subject=Figures%3A%20Violence' in html
    assert "From February 2024: New recording system" in html  # the demo's caveat, in the details
    assert "years (since" not in html  # two years of figures: too short for a long-term trend


def test_boroughs_are_mapped_within_their_boundaries_once_a_boundary_file_is_loaded(
    client, with_data, shared_data
):
    violence = _measure(with_data, "Violence with injury offences")
    url = f"/performance/measures/{violence.lineage}/"
    assert "app-boundary-map" not in client.get(url).text
    run_import("boundaries", shared_data / "geography/boundaries/london-boroughs_1179.geojson")
    html = client.get(url).text
    # Named by its label; not role="img", which would hide its caption (the legend) from
    # screen readers and is not allowed on a figure with a figcaption.
    figure = html.split('class="app-chart app-boundary-map"', 1)[1].split("</figure>", 1)[0]
    assert 'aria-label="Map of London' in figure.split(">", 1)[0]
    assert 'role="img"' not in figure.split(">", 1)[0] and "<figcaption" in figure
    assert figure.count("<path") >= 32  # one shape per borough with a figure
    assert "contains OS data © Crown copyright" in figure


def test_a_printed_page_names_its_view_and_nothing_else_a_visitor_added(client, with_data):
    trust = _measure(with_data, "Londoners who trust the Met")
    url = f"/performance/measures/{trust.lineage}/"
    html = client.get(url, {"area": "E09000003", "period": "rolling_12", "x": "<b>hi</b>"}).text
    printed = html.split("Printed from ", 1)[1].split("</p>", 1)[0]
    assert printed == f"http://testserver{url}?area=E09000003&amp;period=rolling_12"
    assert 'href="/static/print.' in html and 'media="print"' in html


def test_under_load_a_cached_measure_page_reads_nothing_and_a_change_shows_within_the_grace(
    client, with_data, settings, django_assert_num_queries
):
    from policeplan.dashboards import views

    settings.PAGE_STAMP_SECONDS = 60
    trust = _measure(with_data, "Londoners who trust the Met")
    url = f"/performance/measures/{trust.lineage}/"
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):  # what the page depends on is known for a second
        assert client.get(url).status_code == 200
    # A change to the measure shows once the process looks again.
    trust.title = "Londoners who trust the police"
    trust.save()
    views._STAMPS.clear()  # as when PAGE_STAMP_SECONDS has passed
    assert "Londoners who trust the police" in client.get(url).text
    # A measure that is not public is still refused, not served from memory.
    assert (
        client.get("/performance/measures/00000000-0000-0000-0000-000000000000/").status_code == 404
    )
