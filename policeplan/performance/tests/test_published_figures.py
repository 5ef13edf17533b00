"""The demo's figures are the published ones: proved against the raw files, independently.

`policeplan demo` (what `make run` loads) imports the extract of real published files that
comes with the demo. Here the expected figures are worked out again from those raw files with
plain Python (the csv module and straight sums; nothing from policeplan.warehouse), for every
borough, BCU and the force and every period the files cover, across the MPS's change of
category names, and compared with the stored MeasureValues: counts exactly, rates and
proportions to 1e-9. The measures with no public data carry made-up figures, and every page,
download and API response showing them says so; the others never do.

The demo is loaded once for this module, inside a transaction rolled back at the end.
"""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from collections import defaultdict
from datetime import datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings

from policeplan.performance.models import MeasureValue
from policeplan.plans.demo.loader import EXTRACT
from policeplan.plans.models import Measure

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
GEOGRAPHY = Path(__file__).resolve().parents[1] / "geography" / "london.toml"
MPS_FILES = ["mps_borough_historical.csv", "mps_borough_recent.csv"]
NOT_BOROUGHS = {"London Heathrow and London City Airports", "Unknown"}
PAS_BASE = 400  # interviews a borough in a rolling year, as the measures document
TOLERANCE = 1e-9
# The independent definitions (the published category names they add up).
VIOLENCE = {"VIOLENCE WITH INJURY"}
SEXUAL_OFFENCES = {"RAPE", "OTHER SEXUAL OFFENCES"}  # every minor category of SEXUAL OFFENCES
DRUG_TRAFFICKING = {"TRAFFICKING OF DRUGS"}
RESIDENTIAL_BURGLARY = {
    "DOMESTIC BURGLARY",  # until 2023 (the old scheme calls it "Domestic Burglary")
    "RES BURGLARY OF A HOME",
    "RES BURGLARY OF UNCONNECTED BUILDING",
    "BURGLARY - RESIDENTIAL",
}
POSITIVE_OUTCOMES = {
    "arrest",
    "community resolution",
    "penalty notice for disorder",
    "summons / charged by post",
    "caution (simple or conditional)",
    "khat or cannabis warning",
}


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo exactly as `make run` loads it, once for the module, then rolled back."""
    from django.core.management import call_command

    root = tmp_path_factory.mktemp("published-demo")
    with (
        django_db_blocker.unblock(),
        override_settings(
            WAREHOUSE_ROOT=root / "warehouse",
            MEDIA_ROOT=root / "media",
            UPLOAD_ROOT=root / "uploads",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# ---- the expected figures, from the raw files alone ----


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _periods(months: set[str]) -> dict[tuple[str, str], list[str]]:
    """(kind, key) -> its months, for every month, financial quarter, financial year (April to
    March) and rolling year all of whose months are in `months`."""
    have = {_index(m) for m in months}
    out: dict[tuple[str, str], list[str]] = {}
    for i in sorted(have):
        month, year, number = _month(i), i // 12, i % 12 + 1
        out[("month", month)] = [month]
        spans = {("rolling_12", f"R12-{month}"): 12}
        start = year if number >= 4 else year - 1  # the financial year the month is in
        fy = f"{start}-{str(start + 1)[2:]}"
        if number == 3:
            spans[("financial_year", fy)] = 12
        if number in (6, 9, 12, 3):
            spans[("quarter", f"{fy}-Q{[6, 9, 12, 3].index(number) + 1}")] = 3
        for key, length in spans.items():
            if all(j in have for j in range(i - length + 1, i + 1)):
                out[key] = [_month(j) for j in range(i - length + 1, i + 1)]
    return out


def _geography() -> tuple[str, dict[str, list[str]], dict[str, str]]:
    """The force's code, its BCUs' boroughs, and borough names to codes (from the tile grid
    in the extract, which names every borough with its ONS code)."""
    force = tomllib.loads(GEOGRAPHY.read_text(encoding="utf-8"))["forces"][0]
    bcus = {b["code"]: b["boroughs"] for b in force["bcus"]}
    with (EXTRACT / "geography/tile-grid/grid.csv").open(encoding="utf-8") as handle:
        codes = {row[" name"].strip(): row[" code"].strip() for row in csv.DictReader(handle)}
    return force["code"], bcus, codes


def _areas(by_borough: dict[str, dict]) -> dict[tuple[str, str], list[str]]:
    """(level, code) -> the boroughs it adds up: each borough, each BCU, the force."""
    force, bcus, _ = _geography()
    areas = {("borough", code): [code] for code in by_borough if code != OUTSIDE}
    areas.update({("bcu", code): members for code, members in bcus.items()})
    # The force publishes more than its boroughs add up to: rows for no borough ('Unknown')
    # and for Heathrow and London City airports.
    areas[("force", force)] = [c for members in bcus.values() for c in members]
    return areas


def _force_extra(by_borough: dict[str, dict[str, int]], level: str, span: list[str]) -> int:
    """What the force's figure adds to its boroughs' over these months."""
    return sum(by_borough[OUTSIDE].get(m, 0) for m in span) if level == "force" else 0


OUTSIDE = "(no borough)"


def _crime_by_borough(minors: set[str]) -> dict[str, dict[str, int]]:
    """Borough code -> month -> the sum of the published counts of these minor categories,
    over both files of the current scheme (straight sums)."""
    _, _, codes = _geography()
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen: set[str] = set()
    for name in MPS_FILES:
        with (EXTRACT / "mps-recorded-crime/borough" / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                borough = row.pop("BoroughName")
                major, minor = row.pop("MajorText"), row.pop("MinorText")
                seen.add(borough)
                for column, count in row.items():  # every month, zero or not
                    month = f"{column[:4]}-{column[4:]}"
                    # 'Unknown' and the airports count for the force alone (OUTSIDE).
                    key = OUTSIDE if borough in NOT_BOROUGHS else codes[borough]
                    out[key][month] += int(count) if minor in minors else 0
                assert major  # every row has a major category
    assert seen - set(codes) == NOT_BOROUGHS
    return out


def _population() -> dict[str, dict[int, int]]:
    _, _, codes = _geography()
    out: dict[str, dict[int, int]] = defaultdict(dict)
    path = EXTRACT / "ons/population-borough/population_clean.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[codes[row["borough"]]][int(row["year"])] = int(row["population"])
    return out


def _expected_crime(minors: set[str], *, rate: bool = False) -> dict:
    """(level, code, kind, key) -> (value, numerator, denominator) for every area and period."""
    by_borough = _crime_by_borough(minors)
    population = _population()
    expected = {}
    for (level, code), members in _areas(by_borough).items():
        months = set.intersection(*(set(by_borough[b]) for b in members))
        for (kind, key), span in _periods(months).items():
            count = sum(by_borough[b][m] for b in members for m in span)
            count += _force_extra(by_borough, level, span)
            if not rate:
                expected[(level, code, kind, key)] = (count, count, None)
                continue
            # The population of the year the period starts in, or the nearest year held
            # (the later one when two are as near), as the measure documents.
            start = int(span[0][:4])
            years = set.intersection(*(set(population[b]) for b in members))
            year = min(years, key=lambda y: (abs(y - start), -y))
            residents = sum(population[b][year] for b in members)
            expected[(level, code, kind, key)] = (count / residents * 1000, count, residents)
    return expected


def _stored(title: str) -> dict:
    lineage = Measure.objects.filter(title=title).values_list("lineage", flat=True).first()
    assert lineage, f"the demo has no measure ‘{title}’"
    return {
        (level, code, kind, key): (value, numerator, denominator)
        for level, code, kind, key, value, numerator, denominator in MeasureValue.objects.filter(
            measure_lineage=lineage, area__level__in=["force", "bcu", "borough"]
        ).values_list(
            "area__level",
            "area__code",
            "period_kind",
            "period_key",
            "value",
            "numerator",
            "denominator",
        )
    }


def _assert_same(stored: dict, expected: dict, *, exact: bool) -> None:
    assert set(stored) - set(expected) == set(), "figures the published files do not give"
    assert set(expected) - set(stored) == set(), "figures the published files give, not stored"
    wrong = []
    for key, (value, numerator, denominator) in expected.items():
        got = stored[key]
        if exact:
            same = got[0] == value and got[1] == numerator
        else:
            same = abs(got[0] - value) <= TOLERANCE
            if numerator is not None:  # None: only the value is published (London's survey)
                same = same and abs(got[1] - numerator) <= TOLERANCE
        if denominator is not None:
            same = same and abs((got[2] or 0) - denominator) <= TOLERANCE
        if not same:
            wrong.append((key, got, (value, numerator, denominator)))
    assert not wrong, f"{len(wrong)} figures differ, for example {wrong[:3]}"


# ---- the proofs ----


@pytest.mark.parametrize(
    ("title", "minors"),
    [
        ("Violence with injury offences", VIOLENCE),
        ("Sexual offences", SEXUAL_OFFENCES),
        ("Drug trafficking offences", DRUG_TRAFFICKING),
    ],
)
def test_crime_counts_equal_the_published_sums(published, title, minors):
    expected = _expected_crime(minors)
    # Every borough and financial year the files cover: April 2010 to March 2026.
    years = {key for _, _, kind, key in expected if kind == "financial_year"}
    assert min(years) == "2010-11" and max(years) == "2025-26" and len(years) == 16
    assert len({code for level, code, _, _ in expected if level == "borough"}) == 32
    _assert_same(_stored(title), expected, exact=True)


@pytest.mark.parametrize(
    ("title", "measure"),
    [
        ("Londoners who trust the Met", "Trust MPS"),
        ("Londoners who think the police do a good job in their area", '"Good Job" local'),
        ("Londoners who agree the police treat everyone fairly", "Treat everyone fairly"),
    ],
)
def test_survey_figures_equal_the_published_proportions(published, title, measure):
    force, bcus, codes = _geography()
    codes = {name.lower(): code for name, code in codes.items()}
    codes["city of westminster"] = codes["westminster"]  # the file spells it both ways

    def number(text: str) -> float:
        return float(text.replace(",", "."))

    def month(date: str) -> str:  # dd/mm/yyyy, a quarter's last day
        return f"{date[6:]}-{date[3:5]}"

    by_borough: dict[str, dict[str, float]] = defaultdict(dict)
    london_column: dict[str, set[float]] = defaultdict(set)
    with (EXTRACT / "mopac-pas/PAS_buroughs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["Measure"] == measure:
                by_borough[codes[row["Borough"].lower()]][month(row["Date"])] = number(
                    row["Proportion"]
                )
                london_column[month(row["Date"])].add(number(row["MPS"]))
    with (EXTRACT / "mopac-pas/PAS_Total.csv").open(encoding="utf-8") as handle:
        london = {
            month(row["Date"]): number(row["Proportion"])
            for row in csv.DictReader(handle, delimiter=";")
            if row["Measure"] == measure
        }
    assert all(len(v) == 1 for v in london_column.values())  # one London figure a quarter
    for quarter, figures in london_column.items():
        london.setdefault(quarter, next(iter(figures)))  # the borough file's MPS column

    # Each quarter's figure is the 12 months to its end; a BCU's pools its boroughs'
    # interviews (400 a borough), the force's is the published London figure.
    expected = {}
    for code, quarters in by_borough.items():
        for quarter, share in quarters.items():
            expected[("borough", code, "rolling_12", f"R12-{quarter}")] = (
                share,
                share * PAS_BASE,
                PAS_BASE,
            )
    for code, members in bcus.items():
        for quarter in {q for b in members for q in by_borough.get(b, {})}:
            shares = [by_borough[b][quarter] for b in members if quarter in by_borough.get(b, {})]
            key = ("bcu", code, "rolling_12", f"R12-{quarter}")
            base = PAS_BASE * len(shares)
            expected[key] = (sum(shares) / len(shares), sum(shares) * PAS_BASE, base)
    # London's figure rests on every borough's interviews: 400 for each borough surveyed that
    # quarter (as many as the most surveyed quarter when the borough file lacks it).
    surveyed = {q: sum(q in quarters for quarters in by_borough.values()) for q in london}
    widest = max(surveyed.values())
    for quarter, share in london.items():
        base = PAS_BASE * (surveyed[quarter] or widest)
        expected[("force", force, "rolling_12", f"R12-{quarter}")] = (share, share * base, base)
    stored = _stored(title)
    assert len(by_borough) == 32 and max(london) == "2023-12"  # to December 2023
    _assert_same(stored, expected, exact=False)


def test_the_stop_and_search_share_equals_the_published_records(published):
    force, _, _ = _geography()
    searches: dict[str, int] = defaultdict(int)
    positive: dict[str, int] = defaultdict(int)
    archive = EXTRACT / "police-uk/metropolitan/stop-and-search-2023.zip"
    with zipfile.ZipFile(archive) as files:
        for member in files.namelist():
            text = files.read(member).decode("utf-8")
            for row in csv.DictReader(io.StringIO(text)):
                # The month in London (data.police.uk files months by UK time): a search
                # at 23:01 UTC on 31 March 2023 is in the April file, at 00:01 BST.
                when = datetime.fromisoformat(row["Date"]).astimezone(LONDON)
                month = when.strftime("%Y-%m")
                assert month == member[:7]
                searches[month] += 1
                positive[month] += row["Outcome"].strip().lower() in POSITIVE_OUTCOMES
    assert sum(searches.values()) == 149_643  # the twelve files' rows
    expected = {}
    for (kind, key), span in _periods(set(searches)).items():
        total = sum(searches[m] for m in span)
        hits = sum(positive[m] for m in span)
        expected[("force", force, kind, key)] = (hits / total, hits, total)
    assert ("rolling_12", "R12-2023-12") in {(k[2], k[3]) for k in expected}
    # Stop and search records carry no LSOA: the share is given for the force alone.
    _assert_same(
        _stored("Stop and searches leading to arrest or other outcome"), expected, exact=False
    )


# ---- made-up figures only where there is no public data, and said so wherever shown ----

REAL = "Violence with injury offences"
MADE_UP = "Victim satisfaction with the overall service"
WARNING = "Made-up figures: there is no public data for this measure"


def _lineage(title: str) -> str:
    return str(Measure.objects.filter(title=title).values_list("lineage", flat=True).first())


def test_the_site_says_which_figures_are_real_and_which_made_up(published, client):
    for url in ["/", "/performance/", "/accessibility/"]:
        assert (
            "The performance figures are real published statistics, except those marked as "
            "made up." in client.get(url).text
        )
    home = client.get("/performance/").text
    assert "Figures marked ‘Made up’ were made up for this demonstration" in home

    def row(title: str) -> str:
        start = home.index(f">{title}<")
        return home[start : home.index("</tr>", start)]

    assert "Made up</strong>" in row(MADE_UP) and "Made up</strong>" not in row(REAL)
    assert WARNING in client.get(f"/performance/measures/{_lineage(MADE_UP)}/").text
    real = client.get(f"/performance/measures/{_lineage(REAL)}/").text
    assert WARNING not in real and "Metropolitan Police Service" in real
    assert ">BRN</text>" in real  # the boroughs compared on the extract's tile grid


def test_downloads_and_the_api_say_which_figures_are_made_up(published, client):
    def licences(title: str) -> set[str]:
        response = client.get(f"/performance/measures/{_lineage(title)}/download.csv")
        return {row["licence"] for row in csv.DictReader(io.StringIO(response.text))}

    assert licences(REAL) == {
        "Contains public sector information licensed under the Open Government Licence v3.0"
    }
    assert licences(MADE_UP) == {"Made up for the demonstration: not police statistics"}
    flags = {m["title"]: m["made_up"] for m in client.get("/api/v1/measures").json()}
    assert flags[MADE_UP] is True and flags[REAL] is False
    assert {title for title, made_up in flags.items() if made_up} == {
        "Knife crime with injury, victims under 25",
        "Londoners who agree the police deal with anti-social behaviour",
        "Londoners who see drug use or dealing as a problem locally",
        "Offences resulting in a charge or summons",
        "Victim satisfaction with the overall service",
        "Women who feel safe walking alone after dark",
    }  # every measure with public data shows the published figures
    for title, made_up in [(REAL, False), (MADE_UP, True)]:
        values = client.get(f"/api/v1/measures/{_lineage(title)}/values", {"limit": 5}).json()
        assert values["items"] and all(v["made_up"] is made_up for v in values["items"])


def test_you_said_we_did_pages_say_when_the_measure_tracking_a_theme_is_made_up(published, client):
    import re

    from policeplan.consultations.models import Consultation

    tracked: dict[str, str] = {}
    for consultation in Consultation.objects.all():
        listing = client.get(f"/consultations/{consultation.slug}/you-said-we-did/")
        for href in set(
            re.findall(r'href="(/consultations/[^"]+/you-said-we-did/[^"/]+/)"', listing.text)
        ):
            page = client.get(href).text
            for paragraph in re.findall(r"<strong>Tracked by:</strong>.*?</p>", page, re.S):
                title = re.search(r'">([^<]+)</a>', paragraph).group(1)
                tracked[unescape(title)] = paragraph
    made_up = "Knife crime with injury, victims under 25"
    real = "Stop and searches leading to arrest or other outcome"
    assert "Made up</strong>" in tracked[made_up]
    assert "Made up</strong>" not in tracked[real] and "Latest:" in tracked[real]


def test_the_residential_burglary_rate_equals_the_published_sums_across_the_renaming(published):
    """DOMESTIC BURGLARY until 2023, RES BURGLARY OF A HOME, RES BURGLARY OF UNCONNECTED
    BUILDING and BURGLARY - RESIDENTIAL after: one series, per 1,000 residents."""
    expected = _expected_crime(RESIDENTIAL_BURGLARY, rate=True)
    barnet = expected[("borough", "E09000003", "financial_year", "2015-16")]
    assert barnet[1] > 1_000  # about 1,400 homes a year burgled in Barnet, not 0
    _assert_same(_stored("Residential burglary rate"), expected, exact=False)


def test_the_burglary_series_break_is_dated_at_the_april_2023_change_not_by_stray_records(
    published,
):
    from policeplan.performance.models import Caveat

    automatic = {
        (c.effective_from, c.categories[0])
        for c in Caveat.objects.filter(dataset="mps_crime", is_series_break=True)
        if c.categories and "BURGLARY" in c.categories[0].upper()
    }
    # Independently, from the file: the new names' first month with at least a tenth of their
    # usual monthly total, and the old name's first month below a tenth of its own.
    assert ("2023-04", "RES BURGLARY OF A HOME") in automatic
    assert ("2023-05", "DOMESTIC BURGLARY") in automatic
    # One record in November 2018, one 'BURGLARY - RESIDENTIAL' in June 2024: not breaks.
    assert not {month for month, _ in automatic} & {"2018-11", "2022-01", "2024-06", "2025-09"}


def test_coverage_months_are_months_for_every_source(published):
    """The survey's quarters are dated by their last day (2023-12-31): coverage keeps months
    (PostgreSQL refuses a longer value; SQLite would store it silently)."""
    import re

    from policeplan.performance.models import MeasureCoverage

    held = list(MeasureCoverage.objects.values_list("first_month", "last_month"))
    assert held
    assert all(re.fullmatch(r"\d{4}-\d{2}", m) for pair in held for m in pair if m)


# ---- the local priorities' evidence packs ----

PERSONAL_ROBBERY = {"ROBBERY OF PERSONAL PROPERTY"}


def test_every_evidence_pack_equals_the_dashboards_and_the_published_sums(published):
    """Each borough's frozen pack: its violence with injury counts are the dashboard's stored
    figures, and its personal robbery counts and rates (not a measure of the plan) the
    published files' straight sums over the residents of the year each period starts in."""
    from policeplan.plans.models import LocalPriorities

    records = list(LocalPriorities.objects.select_related("borough"))
    assert len(records) == 64  # last year and this, for every borough
    violence = _stored("Violence with injury offences")
    robbery = _expected_crime(PERSONAL_ROBBERY, rate=True)
    force_code, _, _ = _geography()
    compared = 0
    for record in records:
        crimes = {c["slug"]: c for c in record.evidence["crimes"]}
        assert len(record.evidence["years"]) == 5
        for row in crimes["non-domestic-violence-with-injury"]["trend"]:
            stored = violence[("borough", record.borough.code, "financial_year", row["year"])]
            assert row["borough"]["count"] == stored[1]
            compared += 1
        for row in crimes["personal-robbery"]["trend"]:
            rate, count, _residents = robbery[
                ("borough", record.borough.code, "financial_year", row["year"])
            ]
            assert row["borough"]["count"] == count
            assert abs(row["borough"]["rate"] - rate) <= TOLERANCE
            force = robbery[("force", force_code, "financial_year", row["year"])]
            assert row["force"]["count"] == force[1]
        # Its rank is its place among the 32 by rate in the latest year, 1 the highest.
        latest = record.evidence["latest"]
        rates = sorted(
            (
                (v[0], c)
                for (level, c, kind, key), v in robbery.items()
                if level == "borough" and kind == "financial_year" and key == latest
            ),
            reverse=True,
        )
        place = [c for _, c in rates].index(record.borough.code) + 1
        assert crimes["personal-robbery"]["rank"] == place
        assert crimes["personal-robbery"]["ranked_of"] == 32
        # What was agreed is the two crimes its pack ranks highest (the demo's rule).
        ranked = sorted((c["rank"], c["slug"]) for c in crimes.values())
        assert record.chosen == [slug for _, slug in ranked[:2]]
    assert compared == 64 * 5
