"""Reading answers and examples from CSV or Excel files, with errors that name the file, the
line and the column, and writing results as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class FileProblem(ValueError):
    pass


@dataclass(frozen=True)
class Table:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]  # each with '_line': its line in the file (header is line 1)


def read_table(path: Path) -> Table:
    """A CSV (UTF-8, with or without BOM) or an .xlsx file's first sheet.

    Every row must have as many fields as the header: a short row, a row cut off inside a
    quoted field, a field longer than the csv module's limit (131,072 characters) or a NUL
    byte is refused naming the file, the line and the column. A cell holding a formula is
    read as the formula's text (what was typed), never evaluated; outputs neutralise it."""
    if not path.exists():
        raise FileProblem(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        numbered = _xlsx_rows(path)
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem(f"{path}: not UTF-8 text (byte {error.start})") from None
        numbered = _csv_rows(path, text)
    if not numbered:
        raise FileProblem(f"{path}: the file is empty")
    header = [h.strip() for h in numbered[0][1]]
    rows = []
    for number, row in numbered:
        for index, cell in enumerate(row):
            if "\x00" in cell:
                raise FileProblem(
                    f"{path}, line {number}, column '{_name(header, index)}': a NUL byte "
                    "(character 0), which text never holds: the file may be damaged"
                )
        if number == numbered[0][0] or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            cut = " (the row is short or was cut off)" if len(row) < len(header) else ""
            raise FileProblem(
                f"{path}, line {number}: {len(row)} fields where the header has {len(header)}{cut}"
            )
        rows.append({**dict(zip(header, row, strict=True)), "_line": str(number)})
    return Table(path, header, rows)


def _name(header: list[str], index: int) -> str:
    return header[index] if index < len(header) and header[index] else f"column {index + 1}"


XLSX_MAX_PARTS = 2000
XLSX_MAX_UNPACKED = 512 * 1024 * 1024


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    from policeplan.sandbox import zip_within

    # An .xlsx is a zip: a bomb is refused by its declared sizes before anything is unpacked.
    if problem := zip_within(path, max_parts=XLSX_MAX_PARTS, max_unpacked=XLSX_MAX_UNPACKED):
        raise FileProblem(f"{path}: {problem.replace('zip-based file', 'Excel file')}")

    try:
        # Not data_only: a formula cell gives the formula as typed, not a cached result that
        # a file made by a script may not have.
        sheet = load_workbook(path, read_only=True).active
        return [
            (number, ["" if v is None else str(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as error:  # openpyxl raises several kinds for a bad file
        raise FileProblem(f"{path}: not a readable Excel file ({error})") from None


def _csv_rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """Each record with the line it starts on; csv's errors turned into FileProblems."""
    record: list[str] = []  # the raw lines of the record being read

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            record.append(line)
            yield line

    reader = csv.reader(lines(), strict=True)
    numbered: list[tuple[int, list[str]]] = []
    header: list[str] = []
    start = 1
    try:
        for row in reader:
            numbered.append((start, row))
            header = header or [h.strip() for h in row]
            start = reader.line_num + 1
            record.clear()
    except csv.Error as error:
        limit = csv.field_size_limit()
        raw = "".join(record)
        if "field larger than field limit" in str(error):
            index = _field_at(raw, limit)
            raise FileProblem(
                f"{path}, line {start}, column '{_name(header, index)}': more than "
                f"{limit:,} characters in one field, more than an answer can hold"
            ) from None
        if "unexpected end of data" in str(error):
            raise FileProblem(
                f"{path}, line {start}, column '{_name(header, _field_at(raw, None))}': the "
                "file ends inside this quoted field: it may have been cut short"
            ) from None
        raise FileProblem(f"{path}, line {reader.line_num}: not valid CSV ({error})") from None
    return numbered


def _field_at(raw: str, limit: int | None) -> int:
    """Which field of a raw CSV record is over `limit` characters (or, with no limit, is
    still open at the end)."""
    index, length, quoted, at = 0, 0, False, 0
    while at < len(raw):
        char = raw[at]
        if quoted and char == '"' and raw[at + 1 : at + 2] == '"':
            length += 1
            at += 1
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            index, length = index + 1, 0
        else:
            length += 1
        if limit is not None and length > limit:
            return index
        at += 1
    return index


def column(table: Table, name: str) -> str:
    if name not in table.header:
        raise FileProblem(
            f"{table.path}: no column '{name}'. The columns are: {', '.join(table.header)}"
        )
    return name


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    from policeplan.safecells import SafeWriter

    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = SafeWriter(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
