"""The crosswalk: every source name maps to a concept, and measures bound to concepts count
every name a source used for them across its schemes (the residential burglary fix)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from policeplan.performance.concepts import FOLDER, crosswalk_seed
from policeplan.performance.models import (
    Area,
    CategoryMapping,
    Concept,
    MeasureCoverage,
    MeasureValue,
    Population,
)
from policeplan.performance.services import geography_configure
from policeplan.performance.tests.conftest import run_import
from policeplan.plans.tests.factories import MeasureFactory
from policeplan.warehouse import crosswalk as wh_crosswalk

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BURGLARY_FILE = FIXTURES / "mps-burglary-scheme-change.csv"
RESIDENTIAL = {
    "DOMESTIC BURGLARY",
    "RES BURGLARY OF A HOME",
    "RES BURGLARY OF UNCONNECTED BUILDING",
    "BURGLARY - RESIDENTIAL",
}


def _file_names(path: Path) -> set[tuple[str, str]]:
    """(scheme, name) of every major and minor category in an MPS borough file."""
    with path.open(encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        scheme = "old" if header[2] == "LookUp_BoroughName" else "current"
        return {(scheme, name) for row in reader for name in row[:2]}


def _mapped(source: str) -> set[tuple[str, str]]:
    return {
        (scheme, name.lower())
        for scheme, name in CategoryMapping.objects.filter(source=source).values_list(
            "scheme", "source_name"
        )
    }


def test_the_crosswalk_files_are_loaded_after_migrate_and_every_concept_is_described():
    rows = wh_crosswalk.read_file(FOLDER / "crosswalk.csv")
    assert CategoryMapping.objects.count() == len(rows)
    slugs = {c.slug for c in wh_crosswalk.read_concepts(FOLDER / "concepts.csv")}
    assert {r.concept for r in rows} == slugs  # no concept without a name, nor the reverse
    assert all(c.name and c.description for c in Concept.objects.all())
    for row in rows:
        assert wh_crosswalk.MONTH_PATTERN.fullmatch(row.in_use_from), row
        assert not row.in_use_to or row.in_use_from <= row.in_use_to, row
        assert row.reference, row


def test_seeding_again_adds_nothing_and_keeps_an_analysts_edit():
    mapping = CategoryMapping.objects.get(source="mps_crime", source_name="DOMESTIC BURGLARY")
    mapping.in_use_to = "2023-03"
    mapping.save()
    assert crosswalk_seed() == {"concepts": 0, "mappings": 0}
    mapping.refresh_from_db()
    assert mapping.in_use_to == "2023-03"


def test_every_name_in_the_committed_fixture_maps_to_a_concept():
    names = _file_names(BURGLARY_FILE)
    assert {(s, n.lower()) for s, n in names} <= _mapped("mps_crime")


def test_every_name_in_the_real_mps_borough_files_maps_to_a_concept(shared_data):
    folder = shared_data / "mps-recorded-crime"
    files = sorted((folder / "borough").glob("*.csv")) + sorted(
        (folder / "borough-old-scheme").glob("*.csv")
    )
    assert len(files) == 4
    names = set().union(*(_file_names(f) for f in files))
    assert {(s, n.lower()) for s, n in names} - _mapped("mps_crime") == set()
    # Every name of the old scheme too (90 names across the two schemes).
    assert {s for s, _ in names} == {"current", "old"}


def test_the_residential_burglary_concept_spans_the_counting_rules_change():
    names = {
        (m.scheme, m.source_name): (m.in_use_from, m.in_use_to)
        for m in CategoryMapping.objects.filter(concept__slug="residential-burglary")
    }
    assert {n for s, n in names if s == "current"} == RESIDENTIAL
    assert names[("current", "DOMESTIC BURGLARY")] == ("2010-04", "2023-07")
    assert names[("current", "RES BURGLARY OF A HOME")] == ("2023-04", "")
    assert names[("old", "Domestic Burglary")][0] == "2010-04"
    # Business burglary is a concept of its own, never counted as residential.
    assert (
        CategoryMapping.objects.get(source_name="BURGLARY BUSINESS AND COMMUNITY").concept.slug
        == "business-and-community-burglary"
    )


@pytest.fixture
def boroughs(settings, tmp_path):
    settings.WAREHOUSE_ROOT = tmp_path / "warehouse"
    geography_configure()
    for code, people in (("E09000003", 400_000), ("E09000007", 200_000)):
        Population.objects.create(
            area=Area.objects.get(level="borough", code=code),
            year=2022,
            value=people,
            source="test",
        )


def _expected(borough: str, first: str, last: str, wanted: set[str]) -> int:
    """A straight sum over the fixture file, not through the warehouse."""
    with BURGLARY_FILE.open(encoding="utf-8") as handle:
        return sum(
            int(value)
            for row in csv.DictReader(handle)
            if row["BoroughName"] == borough and row["MinorText"] in wanted
            for month, value in row.items()
            if month.isdigit() and first <= month <= last
        )


def _value(measure, code: str, key: str) -> MeasureValue:
    return MeasureValue.objects.get(
        measure_lineage=measure.lineage,
        area__code=code,
        period_kind="financial_year",
        period_key=key,
    )


def test_a_rate_bound_to_residential_burglary_counts_both_sides_of_the_change(boroughs):
    measure = MeasureFactory(
        dataset="mps_crime",
        unit="rate_per_1000",
        concepts=["residential-burglary"],
        categories=[],
    )
    assert run_import("mps-crime", BURGLARY_FILE).status == "succeeded"
    before = _expected("Barnet", "202204", "202303", RESIDENTIAL)
    after = _expected("Barnet", "202304", "202403", RESIDENTIAL)
    assert before == sum(range(100, 112)) + 1  # domestic burglary, and one stray new-name record
    assert after > 1000
    for key, count in (("2022-23", before), ("2023-24", after)):
        value = _value(measure, "E09000003", key)
        assert value.numerator == count
        assert value.value == pytest.approx(count / 400_000 * 1000, rel=1e-12)
    # Camden too, and London adds both boroughs up; business burglary is never included.
    camden = _expected("Camden", "202204", "202303", RESIDENTIAL)
    assert _value(measure, "E09000007", "2022-23").numerator == camden
    assert _value(measure, "metropolitan", "2022-23").numerator == before + camden


def test_the_old_name_list_alone_gives_the_false_zero_the_crosswalk_fixes(boroughs):
    """What the demo measure did before: the new names only, so 2022-23 is nearly empty."""
    by_names = MeasureFactory(
        dataset="mps_crime",
        unit="count",
        categories=["BURGLARY - RESIDENTIAL", "RES BURGLARY OF A HOME"],
    )
    by_concept = MeasureFactory(
        dataset="mps_crime", unit="count", concepts=["residential-burglary"]
    )
    run_import("mps-crime", BURGLARY_FILE)
    assert _value(by_names, "E09000003", "2022-23").value == 1
    assert _value(by_concept, "E09000003", "2022-23").value == _expected(
        "Barnet", "202204", "202303", RESIDENTIAL
    )


def test_a_concept_with_no_name_in_the_source_counts_nothing_rather_than_everything(boroughs):
    measure = MeasureFactory(dataset="mps_crime", unit="count", concepts=["trust-in-the-met"])
    run_import("mps-crime", BURGLARY_FILE)
    assert not MeasureValue.objects.filter(measure_lineage=measure.lineage).exists()


def test_the_measure_page_says_how_the_figure_is_made(client, demo, boroughs):
    from policeplan.plans.models import Measure

    run_import("mps-crime", BURGLARY_FILE)
    burglary = Measure.objects.get(
        outcome__priority__version=demo, title="Residential burglary rate"
    )
    assert burglary.concepts == ["residential-burglary"]
    html = client.get(f"/performance/measures/{burglary.lineage}/").text
    section = html[html.index('id="how-made"') :]
    assert "This measure counts residential burglary." in section
    for name, months in (
        ("DOMESTIC BURGLARY", "April 2010 to July 2023"),
        ("RES BURGLARY OF A HOME", "April 2023 to now"),
        ("RES BURGLARY OF UNCONNECTED BUILDING", "April 2023 to now"),
        ("BURGLARY - RESIDENTIAL", "June 2024 to August 2025"),
    ):
        cell = section.index(f'<td class="govuk-table__cell">{name}</td>')
        assert months in section[cell : section.index("</tr>", cell)]
    assert "BURGLARY BUSINESS AND COMMUNITY" not in section
    assert "Population</dt>" in section and "test, 2022 to 2022" in section
    assert "April 2022 to March 2024" in section  # the months the fixture file holds
    assert "No MPS records of residential burglary before April 2022" in section
    # And the figure itself counts domestic burglary before the change.
    value = MeasureValue.objects.get(
        measure_lineage=burglary.lineage,
        area__code="E09000003",
        period_kind="financial_year",
        period_key="2022-23",
    )
    assert value.numerator == _expected("Barnet", "202204", "202303", RESIDENTIAL)


def test_a_period_before_the_concepts_names_were_in_use_is_not_stored_as_zero(boroughs):
    mapping = CategoryMapping.objects.get(source_name="DOMESTIC BURGLARY", scheme="current")
    mapping.in_use_from = "2023-04"  # as if the MPS had no residential burglary name before
    mapping.save()
    CategoryMapping.objects.filter(concept__slug="residential-burglary", scheme="current").exclude(
        pk=mapping.pk
    ).update(in_use_from="2023-04")
    measure = MeasureFactory(dataset="mps_crime", unit="count", concepts=["residential-burglary"])
    run_import("mps-crime", BURGLARY_FILE)
    keys = set(
        MeasureValue.objects.filter(
            measure_lineage=measure.lineage, area__code="E09000003", period_kind="financial_year"
        ).values_list("period_key", flat=True)
    )
    assert keys == {"2023-24"}  # 2022-23 is not available, never 0 or a partial count
    coverage = MeasureCoverage.objects.get(measure_lineage=measure.lineage)
    assert (coverage.first_month, coverage.last_month) == ("2023-04", "2024-03")
    assert coverage.before_reason == "No MPS records of residential burglary before April 2023"
