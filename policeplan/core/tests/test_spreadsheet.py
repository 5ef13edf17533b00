"""The spreadsheet module: what the export writes the import reads back unchanged, and every
kind of bad file is refused naming the file, the line and the column."""

from __future__ import annotations

import datetime

import pytest

from policeplan.core import spreadsheet as sheet
from policeplan.core.csvsafe import cell_from_file, safe_cell, safe_cell_reversible
from policeplan.safecells import TRIGGERS

SHEET = sheet.Sheet(
    columns=(
        sheet.Column("ID", "id", sheet.integer()),
        sheet.Column("Title", "title", sheet.text(required=True, max_length=50, single_line=True)),
        sheet.Column("Notes", "notes", sheet.text(max_length=500)),
        sheet.Column("Due", "due", sheet.date()),
        sheet.Column(
            "Status", "status", sheet.choice([("open", "Open"), ("in_progress", "In progress")])
        ),
    ),
    max_bytes=20_000,
    max_rows=50,
)
HEADER = "ID,Title,Notes,Due,Status"


def problems(data: bytes | str, name: str = "actions.csv") -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(sheet.Refused) as refused:
        SHEET.read(raw, name=name)
    assert refused.value.message_dict == {"file": refused.value.problems}
    return refused.value.problems


def test_a_round_trip_changes_nothing_even_for_formulas_and_apostrophes():
    records = [
        {"id": 1, "title": '=HYPERLINK("http://x")', "notes": "", "due": None, "status": "open"},
        {"id": 2, "title": "'=already quoted", "notes": 'two\r\nlines, "quoted"', "status": "open"},
        {
            "id": None,
            "title": "+44 20 7983 4000",
            "notes": "-5 and @me",
            "due": datetime.date(2026, 3, 1),
            "status": "in_progress",
        },
        {"id": 3, "title": "'apostrophe first", "notes": "\ttabbed", "status": "open"},
    ]
    text = SHEET.file_text(records)
    assert text.startswith("\ufeffID,Title,Notes,Due,Status\r\n")
    # Nothing reaches a spreadsheet as a formula.
    assert "\r\n=" not in text and ",=" not in text and ",+" not in text and ",-" not in text
    rows = SHEET.read(text.encode("utf-8"), name="x.csv")
    assert [r.line for r in rows] == [2, 3, 5, 6]  # the quoted line break takes a line
    for row, record in zip(rows, records, strict=True):
        expected = {**{"notes": "", "due": None}, **record}
        expected["notes"] = expected["notes"].strip()
        assert row.values == expected


@pytest.mark.parametrize(
    "value",
    [
        "=1+2",
        "'=1+2",
        "''@x",
        "-",
        "'",
        "''",
        "plain",
        "'plain",
        "+",
        "\rx",
        "a=b",
        "  =1+2",
        "' =1+2",
        "\uff1dcmd",
        "\u3000@x",
        "\nline",
        " plain",
    ],
)
def test_reversible_cells_come_back_exactly_and_stay_formula_safe(value):
    written = safe_cell_reversible(value)
    assert cell_from_file(written) == value
    assert not written.lstrip(" \u00a0\u3000").startswith(TRIGGERS)
    # The same protection as safe_cell, where safe_cell would add an apostrophe.
    if safe_cell(value) != value:
        assert written == safe_cell(value)


def test_bom_or_none_crlf_lf_or_cr_and_columns_in_any_order():
    body = "Status,due,  TITLE ,Notes,Id{nl}Open,01/03/2026,A,,7{nl}in progress,2026-03-02,B,,{nl}"
    for prefix in ("", "\ufeff"):
        for nl in ("\r\n", "\n", "\r"):
            rows = SHEET.read((prefix + body.format(nl=nl)).encode(), name="x.csv")
            assert [r.values["title"] for r in rows] == ["A", "B"]
            assert rows[0].values["due"] == datetime.date(2026, 3, 1)
            assert rows[1].values["status"] == "in_progress" and rows[1].values["id"] is None


def test_blank_trailing_rows_and_empty_trailing_cells_are_ignored():
    rows = SHEET.read(f"{HEADER}\n1,A,,,Open,,\n,,,,\n\n,,,,,,,\n".encode(), name="x.csv")
    assert len(rows) == 1


def test_the_header_must_have_each_column_once_and_no_other():
    found = problems("ID,Title,Title,Due,Colour\n1,A,B,,red\n", name="tracker.csv")
    assert found == [
        "tracker.csv, line 1: ‘Title’ is there twice (columns 2 and 3): keep one",
        "tracker.csv, line 1, column ‘column 5’: ‘Colour’ is not a column this file has. "
        "Its columns are: ID, Title, Notes, Due, Status",
        "tracker.csv, line 1: the column ‘Notes’ is missing",
        "tracker.csv, line 1: the column ‘Status’ is missing",
    ]


def test_every_bad_cell_is_named_by_line_and_column_at_once():
    data = (
        f"{HEADER}\n"
        "x,,,32/01/2026,Open\n"  # not a number, empty title, no such date
        "2,A,,01/03/26,Shut\n"  # two-figure year, unknown choice
        "3,B,,0000-01-01,Open\n"  # year 0
        "4,C,,9999-12-31,Open\n"  # year 9999
        f"5,{'x' * 51},,,Open\n"  # too long
        "6,Line\u2028break,,,Open\n"  # a line separator in a one-line field
        '7,"two\nlines",,,Open\n'  # a quoted line break in a one-line field
        "8,D,,,\n"  # an empty required choice
    )
    assert problems(data) == [
        "actions.csv, line 2, column ‘ID’: ‘x’ is not a whole number",
        "actions.csv, line 2, column ‘Title’: the cell is empty: enter a value",
        "actions.csv, line 2, column ‘Due’: ‘32/01/2026’ is not a real date",
        "actions.csv, line 3, column ‘Due’: ‘01/03/26’ has a two-figure year: write it in "
        "full, like 01/03/2026",
        "actions.csv, line 3, column ‘Status’: ‘Shut’ is not one of Open, In progress",
        "actions.csv, line 4, column ‘Due’: ‘0000-01-01’ must be a year between 1900 and 2200",
        "actions.csv, line 5, column ‘Due’: ‘9999-12-31’ must be a year between 1900 and 2200",
        "actions.csv, line 6, column ‘Title’: the cell holds 51 characters: the most it may "
        "hold is 50",
        "actions.csv, line 7, column ‘Title’: the cell must be on one line, without line "
        "breaks or control characters",
        "actions.csv, line 8, column ‘Title’: the cell must be on one line, without line "
        "breaks or control characters",
        "actions.csv, line 10 (row 9 in a spreadsheet), column ‘Status’: the cell is empty: "
        "enter one of Open, In progress",
    ]


def test_rows_cut_short_or_with_values_under_no_column():
    assert problems(f"{HEADER}\n1,A,,\n2,B,,,Open,surprise\n") == [
        "actions.csv, line 2: the row has 4 cells where the header has 5: it may have been "
        "cut short",
        "actions.csv, line 3: the row has a value in column 6, which has no header: remove it",
    ]


def test_nul_bytes_are_refused_by_line_and_column():
    assert problems(f"{HEADER}\n1,A,no\x00te,,Open\n") == [
        "actions.csv, line 2, column ‘Notes’: the cell holds a NUL character (byte 0), which "
        "text never holds: the file may be damaged"
    ]


def test_windows_1252_from_excel_is_refused_saying_how_to_save_it():
    found = problems(f"{HEADER}\n1,Café,,,Open\n".encode("cp1252"))
    assert found == [
        "actions.csv, line 2: the text is not UTF-8: it looks like Excel’s ‘CSV (Comma "
        "delimited)’, which is Windows-1252. Save it as ‘CSV UTF-8 (Comma delimited)’ and send "
        "it again"
    ]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "the file is empty"),
        (HEADER.encode() + b"\r\n", "the file has no rows under the header"),
        (b"PK\x03\x04rest-of-a-zip", "the file is a workbook, not a CSV file"),
        (b"\xd0\xcf\x11\xe0old-excel", "the file is a workbook, not a CSV file"),
        ("ID,Title\n".encode("utf-16"), "the file is UTF-16 text"),
        (b"x" * 20_001, "the file is 0.0MB: the most this import takes is 0MB"),
    ],
)
def test_files_that_are_not_the_csv_are_refused_clearly(data, says):
    found = problems(data)
    assert len(found) == 1 and found[0].startswith(f"actions.csv: {says}"), found


def test_too_many_rows_is_refused_before_reading_them_all():
    data = HEADER + "\n" + "".join(f"{i},T{i},,,Open\n" for i in range(1, 60))
    assert problems(data) == [
        "actions.csv, line 52: the file has more than 50 rows: split it into smaller files"
    ]


def test_a_cell_too_long_for_the_csv_reader_is_refused_by_line():
    big = sheet.Sheet(columns=SHEET.columns, max_bytes=10_000_000)
    data = f'{HEADER}\n1,A,"{"x" * 200_000}",,Open\n'.encode()
    with pytest.raises(sheet.Refused) as refused:
        big.read(data, name="x.csv")
    assert refused.value.problems == [
        "x.csv, line 2: the line cannot be read as CSV (a cell is far too long)"
    ]


def test_the_list_of_problems_is_capped_and_says_how_many_more():
    data = HEADER + "\n" + "".join(f"{i},,,,Open\n" for i in range(1, 41))
    found = problems(data)
    assert len(found) == sheet.MAX_PROBLEMS + 1
    assert found[-1] == "actions.csv: and 15 more problems. Fix these and send the file again."


def test_a_hostile_file_name_is_only_shown_cut_short_and_without_its_path():
    found = problems(b"", name="..\\..\\etc/<img src=x onerror=alert(1)>\x1b[31m" + "y" * 200)
    assert found[0].startswith("<img src=x onerror=alert(1)>?[31myyy")
    assert "\x1b" not in found[0] and "etc" not in found[0]
    assert len(found[0].split(":")[0]) <= 80
