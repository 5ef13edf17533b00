"""The estate spreadsheet and data.police.uk's locations, imported all or nothing, with every
problem named by file, line and column; hostile names and cells are data."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.core.models import AuditEvent
from policeplan.estates import selectors, services
from policeplan.estates.models import Building, HoursSchedule

pytestmark = pytest.mark.django_db

HEADER = (
    "Reference,Name,Address,Postcode,Borough,Latitude,Longitude,Type,Status,"
    "Step-free access,Services,Opening hours,Hours from"
)
FIXTURES = Path(__file__).parent / "fixtures" / "police-uk" / "metropolitan"


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


GOOD = csv_bytes(
    "K1,Kilburn,38 Salusbury Road,nw6 6nd,Brent,51.536,-0.205,Police station,Open,Yes,"
    "Report a crime; Lost property,Mo-Fr 08:00-20:00,01/04/2026",
    "K2,Harlesden,76 Craven Park Road,NW10 4AH,E09000005,,,Front counter,Open,,,,",
)


def test_a_good_file_adds_buildings_with_their_hours_and_is_audited(boroughs, officer):
    result = services.estate_import(user=officer, data=GOOD, name="estate.csv")
    assert (result.created, result.changed, result.schedules) == (2, 0, 1)
    kilburn = Building.objects.get(reference="K1")
    assert kilburn.postcode == "NW6 6ND" and kilburn.step_free is True
    assert kilburn.services == ["Report a crime", "Lost property"]
    assert kilburn.borough == boroughs["Brent"]
    assert [(s.starts_on, s.hours) for s in kilburn.schedules.all()] == [
        (datetime.date(2026, 4, 1), "Mo-Fr 08:00-20:00")
    ]
    assert Building.objects.get(reference="K2").latitude is None
    assert AuditEvent.objects.filter(action="estates.imported").count() == 1


def test_sending_the_same_file_again_changes_nothing(boroughs, officer):
    services.estate_import(user=officer, data=GOOD, name="estate.csv")
    again = services.estate_import(user=officer, data=GOOD, name="estate.csv")
    assert again.nothing


def test_new_hours_keep_the_old_ones(boroughs, officer):
    services.estate_import(user=officer, data=GOOD, name="estate.csv")
    later = GOOD.replace(b"Mo-Fr 08:00-20:00,01/04/2026", b"closed,2027-03-31")
    result = services.estate_import(user=officer, data=later, name="estate.csv")
    assert result.schedules == 1
    assert list(
        HoursSchedule.objects.filter(building__reference="K1").values_list("hours", flat=True)
    ) == ["Mo-Fr 08:00-20:00", "closed"]
    building = selectors.buildings().get(reference="K1")
    assert selectors.counter_open_on(building, datetime.date(2027, 3, 30))
    assert not selectors.counter_open_on(building, datetime.date(2027, 3, 31))


def test_a_file_with_problems_writes_nothing_and_names_each(boroughs, officer):
    bad = csv_bytes(
        "K1,Kilburn,,NW6 6ND,Brent,51.536,-0.205,Police station,Open,Yes,,Mo-Fr 08:00-20:00,01/04/2026",
        "K2,Harlesden,,NOT A POSTCODE,Atlantis,51.5,,Castle,Open,Maybe,,,",
        "K1,Again,,,Brent,,,Police station,Open,,,24/7,",
        "K3,Far away,,,Brent,40.0,-0.2,Police station,Open,,,,",
        "K4,Kensal,,,Brent,,,Police station,Open,,,Mo-Fx 08:00-20:00,01/04/2026",
    )
    with pytest.raises(Exception) as caught:
        services.estate_import(
            user=officer, data=bad, name="../../etc/estate'; DROP TABLE x;--.csv"
        )
    messages = caught.value.messages
    text = "\n".join(messages)
    assert "estate'; DROP TABLE x;--.csv, line 6, column ‘Opening hours’" in text and "Fx" in text
    assert "line 3, column ‘Postcode’" in text
    assert "line 3, column ‘Type’" in text
    assert "line 3, column ‘Step-free access’" in text
    assert "line 4, column ‘Reference’" in text and "also on line 2" in text
    assert "line 4, column ‘Hours from’" in text
    assert "line 5, column ‘Latitude’" in text
    assert not Building.objects.exists() and not HoursSchedule.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="estates.").exists()


def test_a_borough_that_is_not_the_forces_is_refused(boroughs, officer):
    bad = csv_bytes("Z1,Somewhere,,,Manchester,,,Police station,Open,,,,")
    with pytest.raises(Exception) as caught:
        services.estate_import(user=officer, data=bad, name="estate.csv")
    assert "line 2, column ‘Borough’" in "\n".join(caught.value.messages)
    assert not Building.objects.exists()


def test_formula_cells_round_trip_as_text_through_the_export(client, boroughs, officer):
    hostile = csv_bytes('F1,=HYPERLINK("http://x"),@SUM(1),,Brent,,,Police station,Open,,,,')
    services.estate_import(user=officer, data=hostile, name="estate.csv")
    client.force_login(officer)
    exported = client.get("/staff/estate/buildings.csv").content.decode("utf-8-sig")
    assert (
        "'=HYPERLINK" in exported
        or "\u2060=HYPERLINK" in exported
        or "=HYPERLINK" not in exported.split("\n")[1][:12]
    )
    again = services.estate_import(
        user=officer, data=exported.encode("utf-8-sig"), name="estate.csv"
    )
    assert again.nothing
    assert Building.objects.get(reference="F1").name == '=HYPERLINK("http://x")'


def test_the_staff_page_shows_the_problems_and_refuses_a_non_owner(
    client, boroughs, users, officer
):
    bad = SimpleUploadedFile(
        "estate.csv", csv_bytes("K1,Kilburn,,,Nowhere,,,Police station,Open,,,,")
    )
    client.force_login(officer)
    page = client.post("/staff/estate/import/", {"file": bad}).content.decode()
    assert "There is a problem" in page and "line 2" in page
    client.force_login(users["analyst"])
    assert (
        client.post(
            "/staff/estate/import/", {"file": SimpleUploadedFile("e.csv", GOOD)}
        ).status_code
        == 403
    )
    assert not Building.objects.exists()


def test_police_uk_locations_are_placed_in_the_borough_holding_them(client, boroughs, officer):
    # The fixtures' stations are in central London: put one borough's outline around them.
    from policeplan.estates import police_uk

    locations = police_uk.read_locations_file(FIXTURES / "E05013806.json")
    located = [loc for loc in locations if loc.latitude is not None]
    assert located
    from policeplan.performance.models import AreaBoundary

    from .conftest import square

    lat, lon = located[0].latitude, located[0].longitude
    AreaBoundary.objects.filter(area=boroughs["Brent"]).update(geometry=square(lat, lon, 0.02))
    result = services.police_uk_import(user=officer, locations=locations, source="test")
    assert result.created >= 1
    placed = Building.objects.get(name=located[0].name)
    assert placed.borough == boroughs["Brent"] and placed.latitude == lat
    again = services.police_uk_import(user=officer, locations=locations, source="test")
    assert again.created == 0 and again.changed == 0
    assert sorted(result.skipped) == sorted(again.skipped)


def test_the_police_uk_upload_refuses_what_is_not_its_json(client, boroughs, officer):
    client.force_login(officer)
    for body in (b"not json", b"[1, 2]", json.dumps({"locations": "no"}).encode()):
        page = client.post(
            "/staff/estate/import-police-uk/", {"file": SimpleUploadedFile("<b>x</b>.json", body)}
        )
        html = page.content.decode()
        assert page.status_code == 200 and "There is a problem" in html
        assert "<b>x</b>" not in html
    assert not Building.objects.exists()


def test_hours_already_in_force_are_never_rewritten_by_the_spreadsheet(boroughs, officer):
    """Changing only the hours of an exported row (keeping its 'Hours from') would rewrite the
    past: refused, naming the line and column; a planned change can still be corrected."""
    services.estate_import(user=officer, data=GOOD, name="estate.csv")
    edited = GOOD.replace(b"Mo-Fr 08:00-20:00,01/04/2026", b"Mo-Fr 10:00-16:00,01/04/2026")
    with pytest.raises(Exception) as caught:
        services.estate_import(user=officer, data=edited, name="estate.csv")
    text = "\n".join(caught.value.messages)
    assert "estate.csv, line 2, column ‘Opening hours’" in text
    assert "recorded as ‘Mo-Fr 08:00-20:00’" in text
    assert list(HoursSchedule.objects.values_list("hours", flat=True)) == ["Mo-Fr 08:00-20:00"]
    building = Building.objects.get(reference="K1")
    planned = datetime.date.today() + datetime.timedelta(days=30)
    services.schedule_record(user=officer, building=building, starts_on=planned, hours="closed")
    services.schedule_record(
        user=officer, building=building, starts_on=planned, hours="Mo 09:00-12:00"
    )
    assert HoursSchedule.objects.get(starts_on=planned).hours == "Mo 09:00-12:00"


def test_the_staff_hours_form_says_why_it_will_not_rewrite_the_past(client, boroughs, officer):
    services.estate_import(user=officer, data=GOOD, name="estate.csv")
    building = Building.objects.get(reference="K1")
    client.force_login(officer)
    page = client.post(
        f"/staff/estate/buildings/{building.pk}/hours/",
        {"starts_on_day": "1", "starts_on_month": "4", "starts_on_year": "2026", "hours": "24/7"},
    ).content.decode()
    assert "There is a problem" in page and "have been in force since" in page
    assert HoursSchedule.objects.get().hours == "Mo-Fr 08:00-20:00"


def test_an_export_sent_back_unchanged_changes_nothing_whatever_the_form_took(
    client, boroughs, officer
):
    client.force_login(officer)
    response = client.post(
        "/staff/estate/buildings/new/",
        {
            "reference": "S1",
            "name": "Semicolons",
            "borough": boroughs["Brent"].pk,
            "kind": "police_station",
            "status": "open",
            "services": "Lost property; bail signing\nReport a crime",
        },
    )
    assert response.status_code == 302
    assert Building.objects.get(reference="S1").services == [
        "Lost property",
        "bail signing",
        "Report a crime",
    ]
    exported = client.get("/staff/estate/buildings.csv").content
    assert services.estate_import(user=officer, data=exported, name="estate.csv").nothing


def test_too_long_or_unreadable_hours_are_refused_and_word_processor_dashes_are_read(
    boroughs, officer
):
    many = ",".join(f"{h:02d}:{m:02d}-{h:02d}:{m + 1:02d}" for h in range(24) for m in (0, 4, 8))
    bad = csv_bytes(f'L1,Long,,,Brent,,,Police station,Open,,,"Mo {many}",01/04/2026')
    with pytest.raises(Exception) as caught:
        services.estate_import(user=officer, data=bad, name="estate.csv")
    assert "line 2, column ‘Opening hours’" in "\n".join(caught.value.messages)
    dashed = csv_bytes("D1,Dashes,,,Brent,,,Police station,Open,,,Mo–Fr 08:00–20:00,01/04/2026")
    services.estate_import(
        user=officer, data=dashed.replace(b"\xe2\x80\x93", "–".encode()), name="estate.csv"
    )
    assert HoursSchedule.objects.get().hours == "Mo-Fr 08:00-20:00"


def test_a_strategy_document_is_stored_and_sent_as_a_pdf_whatever_its_name(client, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("polyglot.html", b"%PDF-1.4 <html><script>alert(1)</script>")
    response = client.post(
        "/staff/estate/strategy/new/",
        {
            "title": "Estates strategy",
            "published_on_day": "1",
            "published_on_month": "3",
            "published_on_year": "2021",
            "file": upload,
        },
    )
    assert response.status_code == 302
    from policeplan.estates.models import StrategyDocument

    document = StrategyDocument.objects.get()
    assert document.file.name.endswith(".pdf") and document.original_name == "polyglot.pdf"
    sent = client.get(f"/estate/strategy/{document.pk}/")
    assert sent["Content-Type"] == "application/pdf"
    assert 'filename="polyglot.pdf"' in sent["Content-Disposition"]
