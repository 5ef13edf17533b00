"""Pledges checked for any date from the recorded hours: before and after a closure, its
record in spells, and the public page that shows it."""

from __future__ import annotations

import datetime

import pytest

from policeplan.estates import selectors, services

pytestmark = pytest.mark.django_db

CLOSURE = datetime.date(2026, 4, 1)


def test_the_pledge_holds_the_day_before_a_closure_and_breaks_on_the_day(estate, boroughs):
    pledge = estate["pledge"]
    before = selectors.pledge_check(pledge, CLOSURE - datetime.timedelta(days=1))
    after = selectors.pledge_check(pledge, CLOSURE)
    assert before.met and before.failing == []
    assert not after.met
    assert [a.name for a in after.failing] == ["Brent"]
    assert after.counts.get(boroughs["Brent"].pk, 0) == 0
    assert after.counts[boroughs["Barnet"].pk] == 1  # the daytime counter does not count


def test_its_record_is_kept_then_broken_since_the_closure(estate):
    spells = selectors.pledge_history(estate["pledge"])
    assert [(s.starts_on, s.ends_on, [a.name for a in s.failing]) for s in spells] == [
        (datetime.date(2017, 11, 1), CLOSURE - datetime.timedelta(days=1), []),
        (CLOSURE, None, ["Brent"]),
    ]


def test_a_later_24_hour_counter_mends_it_and_the_record_says_when(estate, boroughs, officer):
    mend = datetime.date(2026, 6, 1)
    building = services.building_save(
        user=officer,
        reference="R2",
        data={
            "name": "Kilburn",
            "borough": boroughs["Brent"],
            "kind": "police_station",
            "status": "open",
        },
    )
    services.schedule_record(
        user=officer, building=building, starts_on=mend, hours="Mo-Su 00:00-24:00"
    )
    spells = selectors.pledge_history(estate["pledge"])
    assert [(s.starts_on, s.met) for s in spells] == [
        (datetime.date(2017, 11, 1), True),
        (CLOSURE, False),
        (mend, True),
    ]
    assert spells[1].ends_on == mend - datetime.timedelta(days=1)


def test_the_pledges_page_answers_for_a_chosen_date(client, estate):
    kept = client.get("/front-counters/pledges/?date=2026-03-31").content.decode()
    assert "Kept" in kept and "since 1 November 2017" in kept
    broken = client.get("/front-counters/pledges/?date=2026-04-01").content.decode()
    assert "Broken" in broken and "since 1 April 2026" in broken
    assert 'href="/boroughs/brent/front-counters/"' in broken
    early = client.get("/front-counters/pledges/?date=2016-01-01").content.decode()
    assert "Not yet made" in early


@pytest.mark.parametrize(
    "value",
    [
        "2026-13-01",
        "yesterday",
        "2026-04-01'--",
        "1999-12-31",
        "2026-4-1",
        "２０２６-04-01",
        "x" * 5000,
    ],
)
def test_a_date_that_is_not_one_is_404_not_an_error(client, estate, value):
    assert client.get("/front-counters/pledges/", {"date": value}).status_code == 404
    assert client.get("/front-counters/residents-nearby/", {"date": value}).status_code == 404


def test_a_distance_not_offered_is_404(client, estate):
    for value in ["0", "-1", "1e9", "3000.0", "999999999999"]:
        response = client.get("/front-counters/residents-nearby/", {"distance": value})
        assert response.status_code == 404


def test_before_any_hours_are_recorded_a_pledge_is_not_known_not_broken(client, estate, officer):
    estate["pledge"].made_on = datetime.date(2010, 1, 1)
    estate["pledge"].save()
    assert selectors.pledge_check(estate["pledge"], datetime.date(2012, 6, 1)).met is None
    spells = selectors.pledge_history(estate["pledge"])
    assert [(s.starts_on, s.met) for s in spells][:2] == [
        (datetime.date(2010, 1, 1), None),
        (datetime.date(2017, 11, 1), True),
    ]
    html = client.get("/front-counters/pledges/?date=2012-06-01").content.decode()
    assert "Not known" in html and "Broken" not in html.split("Its record")[0]
    from policeplan.estates.models import ResidentPoint

    ResidentPoint.objects.create(
        borough=estate["wembley"].borough,
        code="E01000001",
        latitude=51.55,
        longitude=-0.28,
        population=1500,
        population_year=2020,
        method="ons_centroid",
        source="test",
    )
    coverage = client.get("/front-counters/residents-nearby/?date=2012-06-01").content.decode()
    assert "0.0%" not in coverage
    assert "no opening hours are recorded for that date" in coverage


def test_totals_of_figures_all_withheld_or_unknown_say_so_not_zero(client, estate, officer):
    from decimal import Decimal

    services.disposal_save(
        user=officer,
        data={
            "building": estate["wembley"],
            "decided_on": datetime.date(2026, 9, 14),
            "estimated_receipt": Decimal(3_000_000),
            "exempt": True,
            "exempt_reason": "Sensitive",
        },
    )
    services.disposal_save(
        user=officer,
        data={
            "building": estate["barnet"],
            "decided_on": datetime.date(2023, 5, 1),
            "estimated_receipt": Decimal(1_000_000),
        },
    )
    totals = {t.key: t for t in selectors.disposal_totals(selectors.disposals(), by="year")}
    assert totals["2026-27"].estimated is None and totals["2026-27"].withheld == 1
    assert totals["2023-24"].estimated == Decimal(1_000_000)
    assert totals["2023-24"].actual is None
    html = client.get("/estate/disposals/").content.decode()
    row = html[html.index(">2026-27</th>") :]
    assert "Withheld" in row[: row.index("</tr>")] and "£0" not in row[: row.index("</tr>")]
    row = html[html.index(">2023-24</th>") :]
    assert "Not known" in row[: row.index("</tr>")]


def _csv(response) -> list[dict[str, str]]:
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_pledges_csv_agrees_with_the_page_and_the_api_on_a_date(client, estate):
    rows = _csv(client.get("/front-counters/pledges.csv", {"date": "2026-04-01"}))
    assert rows == [
        {
            "pledge": "A 24-hour front counter in every borough",
            "rule": "round_the_clock",
            "at_least": "1",
            "made_on": "2017-11-01",
            "date": "2026-04-01",
            "result": "broken",
            "kept": "no",
            "since": "2026-04-01",
            "until": "",
            "not_kept_in": "Brent",
            "not_kept_in_codes": "E09000005",
            "not_known_in": "",
        }
    ]
    api = client.get("/api/v1/estate/pledges", {"date": "2026-04-01"}).json()
    assert api[0]["result"] == "broken" and api[0]["not_kept_in_codes"] == ["E09000005"]
    kept = _csv(client.get("/front-counters/pledges.csv", {"date": "2026-03-31"}))[0]
    assert (kept["result"], kept["since"], kept["until"]) == ("kept", "2017-11-01", "2026-03-31")
    early = _csv(client.get("/front-counters/pledges.csv", {"date": "2016-01-01"}))[0]
    assert (early["result"], early["kept"], early["since"]) == ("not yet made", "", "")
    page = client.get("/front-counters/pledges/?date=2026-04-01").content.decode()
    assert 'href="/front-counters/pledges.csv?date=2026-04-01"' in page


def test_the_pledges_record_csv_has_one_row_per_spell_with_unknown_not_kept(client, estate):
    estate["pledge"].made_on = datetime.date(2010, 1, 1)
    estate["pledge"].save()
    rows = _csv(client.get("/front-counters/pledges-record.csv"))
    assert [(r["from"], r["to"], r["result"], r["kept"], r["not_kept_in"]) for r in rows] == [
        ("2010-01-01", "2017-10-31", "not known", "", ""),
        ("2017-11-01", "2026-03-31", "kept", "yes", ""),
        ("2026-04-01", "", "broken", "no", "Brent"),
    ]


@pytest.mark.parametrize("value", ["2026-13-01", "1999-12-31", "=cmd|' /C calc'!A0", "x" * 5000])
def test_the_pledges_csv_refuses_a_date_that_is_not_one(client, estate, value):
    assert client.get("/front-counters/pledges.csv", {"date": value}).status_code == 404


def test_a_pledge_title_that_looks_like_a_formula_is_text_in_the_csv(client, estate):
    estate["pledge"].title = '=HYPERLINK("http://evil.example")'
    estate["pledge"].save()
    for path in ("/front-counters/pledges.csv", "/front-counters/pledges-record.csv"):
        rows = _csv(client.get(path))
        assert rows[0]["pledge"].startswith("'=")


def test_an_office_or_custody_suite_open_24_hours_does_not_mend_the_pledge(
    estate, boroughs, officer
):
    for kind in ("office", "custody"):
        building = services.building_save(
            user=officer,
            reference=f"X-{kind}",
            data={
                "name": f"Brent {kind}",
                "borough": boroughs["Brent"],
                "kind": kind,
                "status": "open",
            },
        )
        services.schedule_record(
            user=officer, building=building, starts_on=datetime.date(2017, 1, 1), hours="24/7"
        )
    check = selectors.pledge_check(estate["pledge"], CLOSURE)
    assert [a.name for a in check.failing] == ["Brent"]
    assert all(p.building.kind not in {"office", "custody"} for p in selectors.access_points())


def test_a_building_with_open_hours_cannot_be_marked_disposed_until_its_hours_say_closed(
    estate, officer
):
    from django.core.exceptions import ValidationError

    harrow = estate["harrow"]
    with pytest.raises(ValidationError) as refused:
        services.building_save(user=officer, data={"status": "disposed"}, building=harrow)
    assert "record its hours as “closed”" in str(refused.value)
    harrow.refresh_from_db()
    assert harrow.status == "open"
    services.schedule_record(
        user=officer, building=harrow, starts_on=datetime.date(2026, 1, 5), hours="closed"
    )
    services.building_save(user=officer, data={"status": "disposed"}, building=harrow)
    with pytest.raises(ValidationError):  # nor reopened while marked disposed of
        services.schedule_record(
            user=officer, building=harrow, starts_on=datetime.date(2026, 2, 1), hours="24/7"
        )


def test_the_import_refuses_a_disposed_building_with_open_hours_naming_line_and_column(
    estate, officer
):
    from policeplan.core.spreadsheet import Refused

    header = (
        "Reference,Name,Address,Postcode,Borough,Latitude,Longitude,Type,Status,"
        "Step-free access,Services,Opening hours,Hours from\n"
    )
    data = (
        header + "S-1,Sutton old,,,Harrow,,,Police station,Disposed of,,,24/7,2020-01-01\n"
    ).encode()
    with pytest.raises(Refused) as refused:
        services.estate_import(user=officer, data=data, name="estate.csv")
    text = str(refused.value)
    assert "estate.csv" in text and "line 2" in text and "Status" in text
    from policeplan.estates.models import Building

    assert not Building.objects.filter(reference="S-1").exists()


def test_one_counter_with_early_hours_leaves_the_rest_not_known_not_broken(client, estate, officer):
    early = datetime.date(2008, 1, 1)
    services.schedule_record(
        user=officer, building=estate["harrow"], starts_on=early, hours="Mo 09:00-10:00"
    )
    pledge = estate["pledge"]
    pledge.made_on = datetime.date(2009, 1, 1)
    pledge.save()
    check = selectors.pledge_check(pledge, datetime.date(2010, 1, 1))
    # Harrow's counter is recorded and not 24-hour: Harrow fails; the others are not known.
    assert [a.name for a in check.failing] == ["Harrow"] and check.met is False
    assert sorted(a.name for a in check.unknown) == ["Barnet", "Brent"]
    any_counter = services.pledge_save(
        user=officer,
        data={"title": "Any counter", "rule": "any_counter", "at_least": 1, "made_on": early},
    )
    check = selectors.pledge_check(any_counter, datetime.date(2010, 1, 1))
    assert check.failing == [] and check.met is None
    assert sorted(a.name for a in check.unknown) == ["Barnet", "Brent"]
    row = next(
        r
        for r in client.get("/api/v1/estate/pledges", {"date": "2010-01-01"}).json()
        if r["pledge"] == "Any counter"
    )
    assert row["result"] == "not known" and row["not_known_in"] == ["Barnet", "Brent"]
    from policeplan.estates.models import ResidentPoint

    ResidentPoint.objects.create(
        borough=estate["wembley"].borough,
        code="E01000001",
        latitude=51.55,
        longitude=-0.28,
        population=1500,
        population_year=2020,
        method="ons_centroid",
        source="test",
    )
    html = client.get("/front-counters/residents-nearby/?date=2010-01-01").content.decode()
    assert "0.0%" not in html
    assert "opening hours are not recorded for every counter near residents" in html


def test_the_record_agrees_with_checking_every_day_on_its_own(boroughs, officer):
    """The record is built step by step (only the buildings whose hours change each day);
    here it is checked against judging each of those days afresh, on an estate of many
    counters opening, closing and changing hours on many dates."""
    import random

    from policeplan.estates.models import Pledge

    chooser = random.Random(20261202)
    texts = ["24/7", "Mo-Fr 08:00-20:00", "closed", "Mo-Su 00:00-24:00", "Sa 10:00-12:00"]
    for n in range(40):
        building = services.building_save(
            user=officer,
            reference=f"Q{n}",
            data={
                "name": f"Counter {n}",
                "borough": chooser.choice(list(boroughs.values())),
                "kind": chooser.choice(["police_station", "front_counter", "office"]),
                "status": "open",
            },
        )
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=chooser.randrange(0, 2000))
        for _ in range(chooser.randrange(1, 5)):
            services.schedule_record(
                user=officer, building=building, starts_on=day, hours=chooser.choice(texts)
            )
            day += datetime.timedelta(days=chooser.randrange(1, 400))
    for rule, at_least in (("round_the_clock", 3), ("any_counter", 7)):
        pledge = Pledge.objects.create(
            title=rule, rule=rule, at_least=at_least, made_on=datetime.date(2016, 6, 1)
        )
        spells = selectors.pledge_history(pledge)
        assert len(spells) > 2
        for spell in spells:
            days = [spell.starts_on] + ([spell.ends_on] if spell.ends_on else [])
            for day in days:
                afresh = selectors.pledge_check(pledge, day)
                assert (afresh.met, afresh.failing, afresh.unknown) == (
                    spell.met,
                    spell.failing,
                    spell.unknown,
                ), (rule, day)


def test_a_counter_cannot_become_an_office_while_its_public_hours_are_in_force(estate, officer):
    from django.core.exceptions import ValidationError

    harrow = estate["harrow"]
    with pytest.raises(ValidationError) as refused:
        services.building_save(user=officer, data={"kind": "custody"}, building=harrow)
    assert "kind" in refused.value.message_dict
    harrow.refresh_from_db()
    assert harrow.kind == "police_station"
    assert selectors.pledge_history(estate["pledge"])[0].met is True  # the record unchanged


def test_cancelling_a_planned_closure_leaves_no_phantom_change(estate, officer):
    harrow = estate["harrow"]
    planned = datetime.date(2030, 3, 31)
    services.schedule_record(user=officer, building=harrow, starts_on=planned, hours="closed")
    assert (
        services.schedule_record(user=officer, building=harrow, starts_on=planned, hours="24/7")
        is None
    )
    assert [s.starts_on for s in harrow.schedules.all()] == [datetime.date(2017, 11, 1)]


def test_a_closure_with_a_reopening_planned_says_so_not_for_good(client, estate, officer):
    harrow = estate["harrow"]
    services.schedule_record(
        user=officer, building=harrow, starts_on=datetime.date(2030, 1, 1), hours="closed"
    )
    services.schedule_record(
        user=officer,
        building=harrow,
        starts_on=datetime.date(2030, 2, 1),
        hours="Mo-Fr 10:00-16:00",
    )
    html = client.get("/boroughs/harrow/front-counters/").content.decode()
    assert (
        "Closes on 1 January 2030, and reopens on 1 February 2030: Monday to Friday: 10am to 4pm"
        in html
    )
    assert "Closes for good" not in html


def test_reopening_a_building_marked_closed_asks_for_the_status_first(estate, officer):
    from django.core.exceptions import ValidationError

    harrow = estate["harrow"]
    services.schedule_record(
        user=officer, building=harrow, starts_on=datetime.date(2026, 1, 5), hours="closed"
    )
    services.building_save(user=officer, data={"status": "closed"}, building=harrow)
    with pytest.raises(ValidationError) as refused:
        services.schedule_record(
            user=officer, building=harrow, starts_on=datetime.date(2030, 3, 1), hours="24/7"
        )
    assert "change that first" in str(refused.value)
    services.building_save(user=officer, data={"status": "open"}, building=harrow)
    assert services.schedule_record(
        user=officer, building=harrow, starts_on=datetime.date(2030, 3, 1), hours="24/7"
    )


def test_a_broken_pledge_also_names_where_it_is_not_known(client, estate, officer):
    services.schedule_record(
        user=officer, building=estate["harrow"], starts_on=datetime.date(2008, 1, 1), hours="closed"
    )
    estate["pledge"].made_on = datetime.date(2009, 1, 1)
    estate["pledge"].save()
    html = client.get("/front-counters/pledges/?date=2010-01-01").content.decode()
    assert "Broken" in html and "Not known in 2 boroughs" in html


@pytest.mark.parametrize("value", ["2026-W01-1", "1767225600", "2026-01-01T00:00"])
def test_pages_and_the_api_take_the_same_dates(client, estate, value):
    assert client.get("/front-counters/pledges/", {"date": value}).status_code == 404
    assert client.get("/front-counters/pledges.csv", {"date": value}).status_code == 404
    assert client.get("/api/v1/estate/pledges", {"date": value}).status_code == 422
