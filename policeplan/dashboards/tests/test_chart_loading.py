"""A measure page sends only the small chart loader; the interactive chart code (Vega) is a
separate file that the page itself never names, fetched only when a reader asks for it."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

from policeplan.performance.models import Area, MeasureValue
from policeplan.plans.models import Measure
from policeplan.warehouse import periods, stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(demo):
    """The demo's first MPS measure with three years of figures for London and two boroughs:
    enough for the trend chart, the borough chart and the borough table."""
    m = Measure.objects.filter(outcome__priority__version__number=2, dataset="mps_crime").first()
    force = Area.objects.create(
        level="force", code="metropolitan", name="Metropolitan Police Service"
    )
    boroughs = [
        Area.objects.create(level="borough", code=code, name=name, parent=force)
        for code, name in (("E09000003", "Barnet"), ("E09000005", "Brent"))
    ]
    for area, scale in ((force, 30), *((b, 1 + i) for i, b in enumerate(boroughs))):
        for year, n in ((2022, 2000), (2023, 1900), (2024, 1800)):
            p = periods.financial_year(year)
            e = stats.poisson_count(n * scale)
            MeasureValue.objects.create(
                measure_lineage=m.lineage,
                area=area,
                period_kind=p.kind,
                period_key=p.key,
                period_label=p.label,
                period_start=p.start,
                period_end=p.end,
                value=e.value,
                lower=e.lower,
                upper=e.upper,
                numerator=n * scale,
            )
    return m


def _page(client, measure, **headers):
    return client.get(
        f"/performance/measures/{measure.lineage}/", {"period": "financial_year"}, **headers
    )


def test_the_measure_page_names_only_the_small_loader_never_the_chart_code(client, measure):
    html = _page(client, measure).text
    scripts = re.findall(r'<script type="module" src="([^"]+)"', html)
    assert static("charts.mjs") in scripts
    assert "chart-engine" not in html  # neither its file nor a preload of it
    # Each chart drawn by the server has its button to explore it, tied to it by name.
    for spec in ("chart-trend", "chart-ranked"):
        assert f'data-chart-spec="{spec}"' in html
        assert re.search(rf'<button[^>]*type="button"[^>]*data-chart-explore="{spec}"', html), spec
    assert "Explore the chart over time (hover for values)" in html
    assert "Explore the bar chart of boroughs (hover for values)" in html


def test_the_loader_is_small_and_imports_the_chart_code_by_its_hashed_name():
    with staticfiles_storage.open(staticfiles_storage.stored_name("charts.mjs")) as f:
        loader = f.read().decode()
    engine = staticfiles_storage.stored_name("chart-engine.mjs")
    assert len(loader.encode()) < 4_000  # Vega itself is some 860 KB
    assert f'import("./{engine}")' in loader
    assert staticfiles_storage.size(engine) > 500_000  # the chart code lives there instead
    assert "vega" not in loader.lower()


def test_pages_are_sent_compressed_to_browsers_that_ask(client, measure):
    response = _page(client, measure, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert "Explore the chart over time" in html
    assert len(response.content) < len(html.encode()) / 3
