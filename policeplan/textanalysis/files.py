"""Reading answers and examples from CSV or Excel files, with errors that name the file, the
line and the column, and writing results as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
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
    """A CSV (UTF-8, with or without BOM) or an .xlsx file's first sheet."""
    if not path.exists():
        raise FileProblem(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises several kinds for a bad file
            raise FileProblem(f"{path}: not a readable Excel file ({error})") from None
        values = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem(f"{path}: not UTF-8 text (byte {error.start})") from None
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise FileProblem(f"{path}: the file is empty")
    header = [h.strip() for h in values[0]]
    rows = []
    for number, row in enumerate(values[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise FileProblem(
                f"{path}, line {number}: {len(row)} fields where the header has {len(header)}"
            )
        rows.append({**dict(zip(header, row, strict=False)), "_line": str(number)})
    return Table(path, header, rows)


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
