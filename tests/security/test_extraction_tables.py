"""`policeplan analyse import` and /staff/consultations/import/ refuse a damaged table
clearly (file, line, column; no traceback, no 500, nothing written), and keep a formula cell
as the text that was typed, neutralised again when it is exported."""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from policeplan.consultations.models import Answer, Consultation, Response
from policeplan.plans.models import PlanVersion

pytestmark = pytest.mark.django_db

HEADER = "id,text,borough\r\n"
BAD = [
    (
        "a 2 MB comment",
        HEADER + '1,"' + "A very long letter. " * 100_000 + '",Barnet\r\n',
        "line 2, column 'text': more than 131,072 characters in one field",
    ),
    (
        "a short row",
        HEADER + "1,Fine,Barnet\r\n2,No borough given\r\n",
        "line 3: 2 fields where the header has 3 (the row is short or was cut off)",
    ),
    (
        "a file cut inside its last field",
        HEADER + '1,Fine,Barnet\r\n2,"More lights on the canal path and',
        "line 3, column 'text': the file ends inside this quoted field",
    ),
    (
        "a NUL byte",
        HEADER + "1,Fine,Barnet\r\n2,Bad\x00byte,Barnet\r\n",
        "line 3, column 'text': a NUL byte",
    ),
    (
        "a stray quote",
        HEADER + '1,"Fine" text,Barnet\r\n',
        "line 2: not valid CSV (',' expected after '\"')",
    ),
]


def _counts():
    return (Consultation.objects.count(), Response.objects.count(), Answer.objects.count())


@pytest.mark.parametrize(("case", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_the_command_refuses_a_damaged_csv_with_a_clear_error(
    demo, users, tmp_path, case, content, message
):
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8", newline="")
    before = _counts()
    with pytest.raises(CommandError) as error:
        call_command(
            "analyse",
            "import",
            str(path),
            "--as",
            users["policy_officer"].email,
            "--title",
            "Elsewhere",
            "--id-column",
            "id",
            "--text-column",
            "text",
            "--borough-column",
            "borough",
        )
    assert f"people.csv, {message}" in str(error.value)
    assert len(str(error.value)) < 400  # the 2 MB field is not echoed back
    assert _counts() == before


@pytest.mark.parametrize(("case", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_the_import_page_refuses_a_damaged_csv_with_a_govuk_error(
    client, demo, users, case, content, message
):
    client.force_login(users["policy_officer"])
    before = _counts()
    page = client.post(
        "/staff/consultations/import/",
        {
            "upload": SimpleUploadedFile("people.csv", content.encode()),
            "title": "Elsewhere",
            "plan_version": PlanVersion.objects.get(state="consultation").pk,
            "id_column": "id",
            "text_columns": "text",
            "borough_column": "borough",
        },
    )
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert f"people.csv, {message}" in html.unescape(page.text)
    assert len(page.content) < 100_000
    assert _counts() == before


def test_the_analyse_commands_refuse_the_2mb_field_too(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(BAD[0][1], encoding="utf-8", newline="")
    with pytest.raises(CommandError, match="line 2, column 'text': more than 131,072"):
        call_command(
            "analyse",
            "suggest",
            str(path),
            "--text-column",
            "text",
            "--out",
            str(tmp_path / "out.csv"),
        )


FORMULA = '=HYPERLINK("http://evil.example","Click")'


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_formula_cells_are_stored_as_typed_and_neutralised_on_export(
    client, demo, users, tmp_path, kind
):
    if kind == "csv":
        path = tmp_path / "people.csv"
        path.write_text(f'id,text\r\nR1,"{FORMULA.replace('"', '""')}"\r\nR2,@SUM(1)\r\n')
    else:
        book = Workbook()
        book.active.append(["id", "text"])
        book.active.append(["R1", FORMULA])  # openpyxl writes this as a formula cell
        book.active.append(["R2", "@SUM(1)"])
        path = tmp_path / "people.xlsx"
        book.save(path)
        assert load_workbook(path).active["B2"].data_type == "f"
    call_command(
        "analyse",
        "import",
        str(path),
        "--as",
        users["policy_officer"].email,
        "--title",
        "Elsewhere",
        "--id-column",
        "id",
        "--text-column",
        "text",
    )
    consultation = Consultation.objects.get(title="Elsewhere")
    stored = {a.response.external_id: a.text for a in Answer.objects.select_related("response")}
    assert stored == {"R1": FORMULA, "R2": "@SUM(1)"}
    client.force_login(users["analyst"])
    exported = client.get(f"/staff/consultations/{consultation.pk}/responses/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert "'" + FORMULA in rows[1] + rows[2] and "'@SUM(1)" in rows[1] + rows[2]


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked(client, demo, users, tmp_path):
    import time
    import zipfile

    path = tmp_path / "people.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"a" * 1024 * 1024
            for _ in range(600):
                part.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    client.force_login(users["policy_officer"])
    before = _counts()
    started = time.monotonic()
    page = client.post(
        "/staff/consultations/import/",
        {
            "upload": SimpleUploadedFile("people.xlsx", path.read_bytes()),
            "title": "Elsewhere",
            "plan_version": PlanVersion.objects.get(state="consultation").pk,
            "id_column": "id",
            "text_columns": "text",
        },
    )
    assert time.monotonic() - started < 10
    assert "people.xlsx: it would unpack to 600 MB" in html.unescape(page.text)
    assert _counts() == before
