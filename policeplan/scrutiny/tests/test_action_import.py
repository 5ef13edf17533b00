"""Actions as a spreadsheet: staff export them, edit them and import them back (all or
nothing, through the action services); the public download never holds exempt or draft
content."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from policeplan.core.models import AuditEvent
from policeplan.scrutiny import services
from policeplan.scrutiny.models import Action, ActionUpdate
from policeplan.scrutiny.tests.conftest import DRAFT_SECRET, SECRET

pytestmark = pytest.mark.django_db


def staff_url(built, what="actions.csv"):
    return f"/staff/scrutiny/{built.committee.pk}/{what}"


def export(client, built) -> list[dict[str, str]]:
    response = client.get(staff_url(built))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(rows: list[dict[str, str]], *, excel: bool = True) -> bytes:
    """The rows as Excel saves them as 'CSV UTF-8': a BOM, CRLF, UK dates."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        if excel:
            row = {k: _uk(v) if k.endswith(" date") else v for k, v in row.items()}
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _uk(value: str) -> str:
    if not value:
        return value
    y, m, d = value.split("-")
    return f"{d}/{m}/{y}"


def send(client, built, data: bytes, name: str = "actions.csv"):
    return client.post(
        staff_url(built, "actions/import/"),
        {"file": SimpleUploadedFile(name, data, "text/csv")},
    )


def snapshot():
    return (
        sorted(Action.objects.values_list("id", "text", "owner", "due_on", "status", "item_id")),
        ActionUpdate.objects.count(),
    )


@pytest.fixture
def staff(client, users):
    client.force_login(users["policy_officer"])
    return client


def test_export_edit_import_round_trip(staff, built):
    rows = export(staff, built)
    # Staff who run scrutiny get every confirmed action, the exempt item's too (theirs).
    assert sorted(r["Action"] for r in rows) == [
        f"Chase {SECRET} on the contract",
        "Write to the committee about stop and search",
    ]
    # Importing the file as exported (and as Excel saves it) changes nothing.
    before = snapshot()
    response = send(staff, built, as_csv(rows))
    assert response.status_code == 302
    assert "the file changed nothing" in staff.get(response["Location"]).text
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="actions.import").exists()

    today = timezone.localdate()
    open_row = next(r for r in rows if r["Action"].startswith("Write"))
    open_row.update(
        {
            "Owner": "=Kaya (MOPAC)",  # a formula-looking owner comes back as typed
            "Due date": "2027-03-31",
            "Status": "done",
            "Update date": today.isoformat(),
            "Update": "Letter sent on stop and search.\nCopied to the chair.",
        }
    )
    new = {
        **open_row,
        "ID": "",
        "Item": "1",
        "Action": "Publish the borough figures",
        "Owner": "MOPAC",
        "Due date": "",
        "Status": "Open",
        "Update date": "",
        "Update": "",
    }
    response = send(staff, built, as_csv([*rows, new]))
    assert response.status_code == 302, response.content.decode()
    assert (
        "Imported: 1 new action, 1 action changed, 1 update added."
        in staff.get(response["Location"]).text
    )
    action = Action.objects.get(pk=built.action.pk)
    assert action.owner == "=Kaya (MOPAC)" and action.due_on == datetime.date(2027, 3, 31)
    assert action.status == "done"
    update = action.updates.get()
    assert update.on == today and update.text.startswith("Letter sent") and update.status == "done"
    added = Action.objects.get(text="Publish the borough figures")
    assert added.meeting == built.past and added.item == built.item
    assert added.confirmed_at is not None and added.created_by is not None
    assert AuditEvent.objects.filter(action="actions.import").count() == 1
    assert AuditEvent.objects.filter(action="action.progress").count() == 1

    # The new export holds what was imported, and importing it again changes nothing.
    again = export(staff, built)
    row = next(r for r in again if r["ID"] == str(action.pk))
    assert row["Owner"] == "'=Kaya (MOPAC)" and row["Status"] == "Done"
    assert row["Update"] == "Letter sent on stop and search.\nCopied to the chair."
    raw = staff.get(staff_url(built)).content.decode("utf-8-sig")
    assert ",'=Kaya (MOPAC)," in raw  # formula-safe in the file itself
    before = snapshot()
    assert send(staff, built, as_csv(again, excel=False)).status_code == 302
    assert snapshot() == before


def _refused(staff, built, rows, name="actions.csv") -> list[str]:
    before = snapshot()
    response = send(staff, built, as_csv(rows), name=name)
    assert response.status_code == 200
    assert snapshot() == before, "nothing is written when any row is refused"
    return errors_on_file(response)


def errors_on_file(response) -> list[str]:
    """The error summary's entries that link to the file field, as a person reads them."""
    page = response.text
    assert "There is a problem" in page
    found = re.findall(r'<a href="#id_file">(.*?)</a>', page, flags=re.S)
    assert found, page
    return [html.unescape(text.strip()) for text in found]


def test_every_problem_is_named_and_nothing_is_written(staff, built):
    rows = export(staff, built)
    good = next(r for r in rows if r["Action"].startswith("Write"))
    today = timezone.localdate()
    good["Owner"] = "Someone new"  # a good change, not written because other rows are bad
    bad = [
        {**good, "Status": "Done"},  # a new status without an update
        {**good, "ID": "", "Meeting date": "2001-01-01"},  # no meeting that day
        {**good, "ID": "", "Item": "9"},  # no such item
        {**good, "ID": "", "Status": "Dropped", "Update date": str(today), "Update": "x"},
        {**good, "ID": "", "Update date": "2100-01-01", "Update": "Future"},
        {**good, "ID": "", "Update date": "", "Update": "No date"},
        {**good, "ID": str(built.proposed.pk)},  # proposed, not confirmed
        {**good, "ID": "", "Status": "Shut"},
    ]
    errors = _refused(staff, built, [good, *bad], name="tracker.csv")
    day = built.past.starts_at
    assert len(errors) == 8, errors
    for expected in [
        f"tracker.csv, line 3, column ‘ID’: action {built.action.pk} is also on line 2: one row each",
        "tracker.csv, line 4, column ‘Meeting date’: the committee has no meeting on 1 January 2001",
        f"tracker.csv, line 5, column ‘Item’: the meeting on {_day(day)} has no item 9",
        "tracker.csv, line 6, column ‘Dropped reason’: enter why the action was dropped",
        "tracker.csv, line 7, column ‘Update date’: the date of the update must be today or in the past",
        "tracker.csv, line 8, column ‘Update date’: enter the date of the update, like 01/03/2026",
        f"tracker.csv, line 9, column ‘ID’: action {built.proposed.pk} was proposed by the minutes and is not confirmed yet: confirm it on its page first",
        "tracker.csv, line 10, column ‘Status’: ‘Shut’ is not one of Open, In progress, Done, Dropped",
    ]:
        assert expected in errors, (expected, errors)
    assert Action.objects.get(pk=built.action.pk).owner == "MOPAC"


def _day(moment) -> str:
    from policeplan.core import dates

    return dates.day(moment)


def test_a_status_change_needs_a_dated_update(staff, built):
    rows = export(staff, built)
    row = next(r for r in rows if r["Action"].startswith("Write"))
    row["Status"] = "Dropped"
    row["Dropped reason"] = "Overtaken by the new plan"
    assert _refused(staff, built, [row]) == [
        "actions.csv, line 2, column ‘Update’: the status changes from Open to Dropped: say "
        "why in a new update, with its date in ‘Update date’"
    ]
    row["Update date"] = timezone.localdate().strftime("%d/%m/%Y")
    row["Update"] = "Dropped at the meeting"
    assert send(staff, built, as_csv([row], excel=False)).status_code == 302
    action = Action.objects.get(pk=built.action.pk)
    assert action.status == "dropped" and action.dropped_reason == "Overtaken by the new plan"


def test_another_bodys_action_cannot_be_changed_through_this_body(staff, users, built):
    officer = users["policy_officer"]
    meeting = services.meeting_save(
        user=officer,
        committee=built.other,
        data={
            "starts_at": timezone.now() - datetime.timedelta(days=3),
            "venue": "Town Hall",
            "status": "held",
        },
    )
    theirs = services.action_save(
        user=officer, meeting=meeting, data={"text": "Their action", "owner": "Them"}
    )
    rows = export(staff, built)
    row = {**rows[0], "ID": str(theirs.pk), "Owner": "Taken over"}
    assert _refused(staff, built, [row]) == [
        f"actions.csv, line 2, column ‘ID’: there is no action {theirs.pk} among the "
        "committee’s actions: leave the ID empty to add a new action"
    ]
    # Nor moved to this body's meeting, nor this body's action moved to another meeting.
    moved = {**rows[0], "Meeting date": timezone.localdate(meeting.starts_at).isoformat()}
    assert "an action stays with the meeting it came from" in _refused(staff, built, [moved])[0]
    assert Action.objects.get(pk=theirs.pk).owner == "Them"


def test_a_service_refusal_undoes_the_whole_file(staff, built, monkeypatch):
    """A rule only the service knows still stops everything, at that row's line."""
    from django.core.exceptions import ValidationError

    from policeplan.scrutiny.services import action_import

    rows = export(staff, built)
    first = next(r for r in rows if r["Action"].startswith("Write"))
    first["Owner"] = "Changed first"
    new = {**first, "ID": "", "Action": "Refused by the service", "Owner": ""}
    real = action_import.action_save

    def strict(**kwargs):
        if kwargs["data"].get("text") == "Refused by the service":
            raise ValidationError({"text": "Not this one"})
        return real(**kwargs)

    monkeypatch.setattr(action_import, "action_save", strict)
    errors = _refused(staff, built, [*rows, new])
    assert errors == ["actions.csv, line 4, column ‘Action’: Not this one"]
    assert Action.objects.get(pk=built.action.pk).owner == "MOPAC"


def test_hostile_files_and_names_are_refused_and_shown_escaped(staff, built):
    name = "<img src=x onerror=alert(1)>.csv"
    response = send(staff, built, "ID,Action\n1,Café\n".encode("cp1252"), name=name)
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    assert errors_on_file(response) == [
        f"{name}, line 2: the text is not UTF-8: it looks like Excel’s ‘CSV (Comma "
        "delimited)’, which is Windows-1252. Save it as ‘CSV UTF-8 (Comma delimited)’ and send "
        "it again"
    ]
    assert "&lt;img src=x onerror=alert(1)&gt;.csv, line 2: the text is not" in response.text
    response = send(staff, built, b"ID,Action\n", name="<img src=x onerror=alert(1)>.csv")
    assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;.csv" in (
        response.text
    )


def test_no_file_and_a_file_too_big(staff, built):
    response = staff.post(staff_url(built, "actions/import/"), {"file": ""})
    assert response.status_code == 200 and "Choose the CSV file to import" in response.text
    response = send(staff, built, b"x" * (2 * 1024 * 1024 + 10))
    assert response.status_code == 200 and errors_on_file(response)


def test_only_those_who_run_scrutiny_may_import(users, built):
    with pytest.raises(PermissionDenied):
        services.actions_import(
            user=users["committee_member"], committee=built.committee, data=b"", name="x.csv"
        )


def test_public_download_holds_only_what_the_public_sees(client, users, built):
    url = f"/scrutiny/{built.committee.slug}/actions.csv"
    for who in (None, users["committee_member"], users["policy_officer"]):
        if who is not None:
            client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        assert SECRET not in text and DRAFT_SECRET not in text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["Action"] for r in rows] == ["Write to the committee about stop and search"]
        assert rows[0]["Overdue"] == "Yes" and rows[0]["Status"] == "Open"
    assert (
        'href="/scrutiny/police-and-crime-committee/actions.csv"'
        in client.get(f"/scrutiny/{built.committee.slug}/actions/").text
    )


def test_exports_take_a_fixed_number_of_queries(staff, users, built, django_assert_max_num_queries):
    officer = users["policy_officer"]
    for n in range(40):
        action = services.action_save(
            user=officer, meeting=built.past, data={"text": f"Action {n}", "item": built.item}
        )
        services.action_update_add(
            user=officer, action=action, on=timezone.localdate(), text="Begun", status="in_progress"
        )
    with django_assert_max_num_queries(12):
        assert len(export(staff, built)) == 42
    with django_assert_max_num_queries(8):
        assert staff.get(f"/scrutiny/{built.committee.slug}/actions.csv").status_code == 200
