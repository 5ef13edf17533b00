"""Local priorities: the evidence pack (trend, rate against the force, rank, most similar
boroughs, worked out again here by hand), the choice checked against the menu, the pack frozen
with the decision, and the public pages."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.performance.models import Area, AreaLevel
from policeplan.plans.localpriorities import config, evidence, selectors, services
from policeplan.plans.models import LocalPriorities

pytestmark = pytest.mark.django_db

BOROUGHS = {
    "E09000003": "Barnet",
    "E09000005": "Brent",
    "E09000015": "Harrow",
    "E09000002": "Barking and Dagenham",
}
YEARS = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]


def value(level, code, key, count, residents=100_000):
    return SimpleNamespace(
        level=level,
        area_code=code,
        numerator=count,
        value=count / residents * 1000,
        lower=0.0,
        upper=0.0,
        period=SimpleNamespace(key=key, label=f"{key}", end=f"20{key[-2:]}-03"),
    )


def figures(scale=1):
    """Per crime: each borough's counts rise by borough and year; Barnet's burglary is high."""
    found = {}
    for n, candidate in enumerate(config.menu().candidates):
        rows = []
        for i, code in enumerate(sorted(BOROUGHS)):
            for y, key in enumerate(YEARS):
                count = (100 + 10 * i + 5 * y + 3 * n) * scale
                if candidate.slug == "burglary" and code == "E09000003":
                    count *= 4
                rows.append(value("borough", code, key, count))
        for key in YEARS:
            rows.append(value("force", "metropolitan", key, 1000 * scale, residents=1_000_000))
        found[candidate.slug] = rows
    return found


@pytest.fixture
def areas(db):
    return {
        name: Area.objects.create(level=AreaLevel.BOROUGH, code=code, name=name)
        for code, name in BOROUGHS.items()
    }


def test_the_pack_has_five_years_ranks_and_similar_boroughs_worked_out_by_hand():
    pack = evidence.build(
        menu=config.menu(),
        figures=figures(),
        borough="E09000003",
        boroughs=BOROUGHS,
        force="metropolitan",
        year=2026,
    )
    assert pack["years"] == YEARS and pack["latest"] == "2025-26"
    burglary = next(c for c in pack["crimes"] if c["slug"] == "burglary")
    assert burglary["rank"] == 1 and burglary["ranked_of"] == 4
    # Barnet's burglary in 2025-26: (100 + 10*i + 5*4 + 3*5) * 4, where i is its place in code order.
    i = sorted(BOROUGHS).index("E09000003")
    assert burglary["trend"][-1]["borough"]["count"] == (100 + 10 * i + 20 + 15) * 4
    assert burglary["trend"][-1]["force"]["rate"] == pytest.approx(1.0)
    before = (100 + 10 * i + 15 + 15) * 4
    assert burglary["change"] == pytest.approx(((100 + 10 * i + 35) * 4 - before) / before)
    # Most similar, by hand: z-scores per crime; Barnet differs from the rest on burglary only,
    # and among the others the nearest on the remaining crimes are its neighbours in code order.
    assert len(pack["similar"]) == 3
    assert "standard deviations" in pack["similarity"]


def test_a_borough_without_figures_has_no_rank_and_no_similar_boroughs_not_zeros():
    found = figures()
    for rows in found.values():
        rows[:] = [r for r in rows if r.area_code != "E09000015"]
    pack = evidence.build(
        menu=config.menu(),
        figures=found,
        borough="E09000015",
        boroughs=BOROUGHS,
        force="metropolitan",
        year=2026,
    )
    assert pack["similar"] == []
    for crime in pack["crimes"]:
        assert crime["rank"] is None and crime["change"] is None
        assert all(t["borough"] is None for t in crime["trend"])


def test_recording_freezes_the_pack_and_a_later_revision_does_not_change_it(areas, officer):
    record = services.local_priorities_record(
        user=officer,
        borough=areas["Barnet"],
        year=2026,
        chosen=["burglary", "personal-robbery"],
        council="Cllr A",
        commander="Supt B",
        partnership="Barnet CSP",
        agreed_on=datetime.date(2026, 5, 14),
        figures=figures(),
    )
    frozen = dict(record.evidence)
    assert record.chosen_titles == ["Burglary", "Personal robbery"]
    assert record.mandatory[0] == "Sexual violence"
    assert len(record.evidence_sha256) == 64
    again = LocalPriorities.objects.get(pk=record.pk)
    assert again.evidence == frozen
    # The figures are revised: a new pack differs, the stored one does not.
    revised = evidence.build(
        menu=config.menu(),
        figures=figures(scale=2),
        borough="E09000003",
        boroughs=BOROUGHS,
        force="metropolitan",
        year=2026,
    )
    assert revised != frozen
    assert LocalPriorities.objects.get(pk=record.pk).evidence == frozen


@pytest.mark.parametrize(
    ("chosen", "field"),
    [
        (["burglary"], "chosen"),
        (["burglary", "burglary"], "chosen"),
        (["burglary", "shoplifting"], "chosen"),
        (["burglary", "personal-robbery", "theft-from-the-person"], "chosen"),
    ],
)
def test_the_choice_must_be_the_menus_number_of_different_crimes(areas, officer, chosen, field):
    with pytest.raises(ValidationError) as caught:
        services.local_priorities_record(
            user=officer,
            borough=areas["Barnet"],
            year=2026,
            chosen=chosen,
            council="A",
            commander="B",
            partnership="C",
            agreed_on=datetime.date(2026, 5, 14),
            figures=figures(),
        )
    assert field in caught.value.message_dict
    assert not LocalPriorities.objects.exists()


def test_who_agreed_and_when_are_required_and_only_policy_officers_record(areas, officer, users):
    with pytest.raises(ValidationError) as caught:
        services.local_priorities_record(
            user=officer,
            borough=areas["Barnet"],
            year=2026,
            chosen=["burglary", "personal-robbery"],
            council=" ",
            commander="",
            partnership="C",
            agreed_on=datetime.date(2099, 1, 1),
            figures=figures(),
        )
    assert set(caught.value.message_dict) == {"council", "commander", "agreed_on"}
    with pytest.raises(PermissionDenied):
        services.local_priorities_record(
            user=users["analyst"],
            borough=areas["Barnet"],
            year=2026,
            chosen=["burglary", "personal-robbery"],
            council="A",
            commander="B",
            partnership="C",
            agreed_on=datetime.date(2026, 5, 14),
            figures=figures(),
        )


def test_the_public_pages_show_the_choice_who_agreed_it_and_the_frozen_evidence(
    client, areas, officer
):
    services.local_priorities_record(
        user=officer,
        borough=areas["Barnet"],
        year=2026,
        chosen=["burglary", "personal-robbery"],
        council="Cllr <b>A</b>",
        commander="Supt B",
        partnership="Barnet CSP",
        agreed_on=datetime.date(2026, 5, 14),
        figures=figures(),
    )
    page = client.get("/boroughs/barnet/local-priorities/2026/").content.decode()
    assert "Burglary" in page and "Personal robbery" in page
    assert "Cllr &lt;b&gt;A&lt;/b&gt;" in page and "<b>A</b>" not in page
    assert "1 of 4" in page  # Barnet's burglary rank
    roll = client.get("/boroughs/local-priorities/?year=2026").content.decode()
    assert 'href="/boroughs/barnet/local-priorities/2026/"' in roll
    assert "Not agreed yet" in roll  # the other boroughs
    download = client.get("/boroughs/local-priorities.csv?year=2026").content.decode()
    assert "Barnet,E09000003,2026-27,Burglary,Personal robbery" in download
    assert client.get("/boroughs/brent/local-priorities/2026/").status_code == 404
    for bad in (
        "/boroughs/local-priorities/?year=20x6",
        "/boroughs/local-priorities/?year=1999",
        "/boroughs/barnet/local-priorities/1999/",
    ):
        assert client.get(bad).status_code == 404


def test_the_financial_year_starts_in_april():
    assert selectors.current_year(datetime.date(2026, 3, 31)) == 2025
    assert selectors.current_year(datetime.date(2026, 4, 1)) == 2026


def test_the_review_sets_the_years_own_figures_against_the_pack(areas, officer):
    record = services.local_priorities_record(
        user=officer,
        borough=areas["Barnet"],
        year=2025,
        chosen=["burglary", "personal-robbery"],
        council="A",
        commander="B",
        partnership="C",
        agreed_on=datetime.date(2025, 5, 14),
        figures=figures(),
    )
    baseline = next(c for c in record.evidence["crimes"] if c["slug"] == "burglary")["trend"][-1]
    assert record.evidence["latest"] == "2024-25"

    def rolling(end, count):
        v = value("borough", "E09000003", f"R12-{end}", count)
        v.period.end, v.period.label = end, f"12 months to {end}"
        return v

    later = {
        "burglary": [rolling("2025-03", 1), rolling("2025-12", 500), rolling("2026-06", 9)],
        "personal-robbery": [],
    }
    rows = {r["slug"]: r for r in selectors.review(record, figures=later)}
    assert rows["burglary"]["now_count"] == 500  # the latest within 2025-26, not after it
    assert rows["burglary"]["baseline"]["count"] == baseline["borough"]["count"]
    assert rows["burglary"]["change"] == pytest.approx(
        (500 - baseline["borough"]["count"]) / baseline["borough"]["count"]
    )
    assert rows["personal-robbery"]["now_count"] is None
    assert rows["personal-robbery"]["change"] is None


@pytest.mark.parametrize(
    ("year", "agreed_on", "field"),
    [
        (2100, datetime.date(2026, 5, 1), "year"),
        (2000, datetime.date(2000, 5, 1), "year"),
        (2026, datetime.date(1900, 4, 1), "agreed_on"),
    ],
)
def test_a_year_or_date_that_cannot_be_is_refused(areas, officer, year, agreed_on, field):
    with pytest.raises(ValidationError) as caught:
        services.local_priorities_record(
            user=officer,
            borough=areas["Barnet"],
            year=year,
            chosen=["burglary", "personal-robbery"],
            council="A",
            commander="B",
            partnership="C",
            agreed_on=agreed_on,
            figures=figures(),
        )
    assert field in caught.value.message_dict
    assert not LocalPriorities.objects.exists()


def test_priorities_without_any_figures_to_choose_on_are_refused(areas, officer):
    with pytest.raises(ValidationError) as caught:
        services.local_priorities_record(
            user=officer,
            borough=areas["Barnet"],
            year=2026,
            chosen=["burglary", "personal-robbery"],
            council="A",
            commander="B",
            partnership="C",
            agreed_on=datetime.date(2026, 5, 1),
            figures={},
        )
    assert "no figures for Barnet" in caught.value.message_dict["chosen"][0]


def test_a_second_recording_from_a_stale_tab_says_nothing_was_changed(client, areas, officer):
    record = services.local_priorities_record(
        user=officer,
        borough=areas["Barnet"],
        year=2026,
        chosen=["burglary", "personal-robbery"],
        council="Cllr A",
        commander="Supt B",
        partnership="Barnet CSP",
        agreed_on=datetime.date(2026, 5, 14),
        figures=figures(),
    )
    client.force_login(officer)
    response = client.post(
        "/staff/local-priorities/barnet/2026/",
        {
            "chosen": ["burglary", "theft-from-the-person"],
            "council": "Cllr Z",
            "commander": "Supt Y",
            "partnership": "Barnet CSP",
            "agreed_on": "2026-06-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html and "Nothing was changed" in html
    assert f"were already recorded by {officer.full_name or officer.email}" in html
    assert "None None" not in html
    record.refresh_from_db()
    assert record.council == "Cllr A" and record.chosen == ["burglary", "personal-robbery"]


def test_a_choice_for_a_year_whose_base_year_has_no_figures_yet_is_refused(areas, officer):
    with pytest.raises(ValidationError) as refused:
        services.local_priorities_record(
            user=officer,
            borough=areas["Barnet"],
            year=2027,  # made on 2026-27, which the figures do not reach
            chosen=["burglary", "personal-robbery"],
            council="Cllr A",
            commander="Supt B",
            partnership="Barnet CSP",
            agreed_on=datetime.date(2026, 11, 30),
            figures=figures(),
        )
    assert "no figures yet for 2026-27" in str(refused.value)
    assert not LocalPriorities.objects.exists()
