"""Spreadsheets people download, edit and send back (action trackers, recommendation trackers).

Declare the columns once (`Column`: its header, how a cell is read, how a value is written)
in a `Sheet`; `Sheet.file_text` writes the file and `Sheet.read` reads the same file back, so
what the export writes is what the import takes:

- UTF-8 with a byte-order mark, so Excel opens it as UTF-8; CRLF line ends; every cell
  formula-safe (`core.csvsafe`), written so the import undoes it exactly (a round trip
  changes nothing).
- The import checks the whole file before anything is written, and gives every problem it
  finds (up to `MAX_PROBLEMS`, then how many more) naming the file, the line and the column.
  A caller checks its own rules through the same `Problems`, so all the problems of a file
  come back together, as a GOV.UK error summary on the form's file field (`Refused`).
- It takes: a byte-order mark or none, CRLF, LF or CR line ends, line breaks inside quoted
  cells, columns in any order (names matched without regard to case or surrounding spaces),
  dates as 2026-03-01 or 01/03/2026 (Excel's UK format), rows of empty cells (Excel writes
  them at the end). It refuses, clearly: a file over `max_bytes` or `max_rows`, a workbook
  or UTF-16 text instead of CSV, text that is not UTF-8 (and says when it looks like Excel's
  Windows-1252 "CSV (Comma delimited)"), NUL bytes, missing, unknown or repeated columns,
  and rows with more or fewer cells than the header.
- A file's name is only ever shown (printable characters, cut short, and escaped by the
  templates): it is never part of a path or a query.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.core.csvsafe import cell_from_file, to_reversible_csv
from policeplan.core.govuk import LONG_TEXT
from policeplan.core.singleline import bad_character

BOM = "\ufeff"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 25
YEARS = (1900, 2200)


class CellError(ValueError):
    """A cell's value cannot be taken; the message says why, for the person fixing it."""


def shown(value: object, limit: int = 60) -> str:
    """A value from a file (or its name) as a message may quote it: printable characters only,
    at most `limit` of them."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value or ""))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- Reading cells ----------------------------------------------------------------------


def text(*, required: bool = False, max_length: int = LONG_TEXT, single_line: bool = False) -> Any:
    """Text, stripped of surrounding spaces; at most what a form's text box takes, so what a
    form saved, an export writes and its import takes back."""

    def parse(value: str) -> str:
        value = value.strip()
        if required and not value:
            raise CellError("the cell is empty: enter a value")
        if len(value) > max_length:
            raise CellError(
                f"the cell holds {len(value):,} characters: the most it may hold is {max_length:,}"
            )
        if single_line and bad_character(value) is not None:
            raise CellError(
                "the cell must be on one line, without line breaks or control characters"
            )
        return value

    return parse


def integer(*, required: bool = False, minimum: int = 1, maximum: int = 2**31 - 1) -> Any:
    """A whole number (blank is None unless required)."""

    def parse(value: str) -> int | None:
        value = value.strip()
        if not value:
            if required:
                raise CellError("the cell is empty: enter a number")
            return None
        if not re.fullmatch(r"\d{1,12}", value):
            raise CellError(f"‘{shown(value, 20)}’ is not a whole number")
        number = int(value)
        if not minimum <= number <= maximum:
            raise CellError(f"must be between {minimum:,} and {maximum:,}")
        return number

    return parse


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})(?: 00:00(?::00)?)?")


def parse_date(value: str) -> datetime.date:
    """2026-03-01 or 01/03/2026 (day first, as UK Excel writes it)."""
    value = value.strip()
    if m := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _UK.fullmatch(value):
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) != 4:
            raise CellError(
                f"‘{shown(value, 20)}’ has a two-figure year: write it in full, like 01/03/2026"
            )
    else:
        raise CellError(f"‘{shown(value, 20)}’ is not a date like 01/03/2026 or 2026-03-01")
    if not YEARS[0] <= year <= YEARS[1]:
        raise CellError(f"‘{shown(value, 20)}’ must be a year between {YEARS[0]} and {YEARS[1]}")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"‘{shown(value, 20)}’ is not a real date") from None


def date(*, required: bool = False) -> Any:
    def parse(value: str) -> datetime.date | None:
        if not value.strip():
            if required:
                raise CellError("the cell is empty: enter a date like 01/03/2026")
            return None
        return parse_date(value)

    return parse


def choice(options: Iterable[tuple[str, str]], *, required: bool = True) -> Any:
    """One of the options, by its label or its value (any case)."""
    options = list(options)
    lookup = {}
    for value, label in options:
        lookup[" ".join(str(label).lower().split())] = value
        lookup[str(value).lower()] = value

    def parse(cell: str) -> str:
        key = " ".join(cell.lower().split())
        if not key and not required:
            return ""
        if key in lookup:
            return lookup[key]
        allowed = ", ".join(str(label) for _, label in options)
        if not key:
            raise CellError(f"the cell is empty: enter one of {allowed}")
        raise CellError(f"‘{shown(cell, 30)}’ is not one of {allowed}")

    return parse


# ---- Writing cells ----------------------------------------------------------------------


def written(value: Any) -> str:
    """A value as its cell holds it: nothing for None, dates as 2026-03-01."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[str], Any] = field(default_factory=text)
    write: Callable[[Any], str] = written


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts in the file (the header is line 1)
    values: dict[str, Any]


# ---- Problems ---------------------------------------------------------------------------


class Refused(ValidationError):
    """The file is refused, nothing written: every problem names the file, line and column.
    A ValidationError on the form's file field, so form pages show it in the summary."""

    def __init__(self, problems: list[str], *, field: str = "file") -> None:
        self.problems = problems
        super().__init__({field: problems})


class Problems:
    """The problems found in one file, in the order found, capped for the page."""

    def __init__(self, name: str, *, limit: int = MAX_PROBLEMS) -> None:
        self.name = shown(name.replace("\\", "/").rsplit("/", 1)[-1], 80) or "The file"
        self.limit = limit
        self.found: list[tuple[int, str]] = []  # (line, message), in the order found
        self.count = 0
        # The spreadsheet row each record starts on, by its line in the file, where the two
        # differ (a cell with line breaks takes several lines but one row): set by Sheet.read.
        self.rows: dict[int, int] = {}

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def messages(self) -> list[str]:
        """The messages in the file's order (the problems with the file as a whole first)."""
        return [message for _, message in sorted(self.found, key=lambda found: found[0])]

    def add(self, message: str, *, line: int | None = None, column: str = "") -> None:
        self.count += 1
        if len(self.found) >= self.limit:
            return
        where = [self.name]
        if line is not None:
            row = self.rows.get(line)
            where.append(f"line {line}" + (f" (row {row} in a spreadsheet)" if row else ""))
        if column:
            where.append(f"column ‘{shown(column, 40)}’")
        self.found.append((line or 0, f"{', '.join(where)}: {message}"))

    def refuse(self, *, field: str = "file") -> Refused:
        messages = self.messages
        if self.count > len(messages):
            more = self.count - len(messages)
            messages.append(
                f"{self.name}: and {more:,} more {'problem' if more == 1 else 'problems'}. "
                "Fix these and send the file again."
            )
        return Refused(messages, field=field)

    def raise_if_any(self, *, field: str = "file") -> None:
        if self:
            raise self.refuse(field=field)


def write_rows(
    problems: Problems,
    writes: Iterable[tuple[int, Callable[[], Any]]],
    *,
    column_of: Mapping[str, str],
) -> None:
    """Run each checked row's write, in the caller's transaction, through the services the
    staff pages use. A service's refusal becomes a problem on that row's line, in the column
    `column_of` names for the field it names; then any problem refuses the whole file
    (`Refused`, raised inside the transaction, so nothing written stays)."""
    for line, write in writes:
        try:
            write()
        except PermissionDenied as error:
            problems.add(str(error) or "you may not make this change", line=line)
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for name, messages in found.items():
                for message in messages:
                    problems.add(message, line=line, column=column_of.get(name, ""))
    problems.raise_if_any()


# ---- The sheet --------------------------------------------------------------------------


def _canonical(header: str) -> str:
    return " ".join(header.replace(BOM, "").lower().split())


@dataclass(frozen=True)
class Sheet:
    columns: tuple[Column, ...]
    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def file_text(self, records: Iterable[Mapping[str, Any]]) -> str:
        """The file, as text (encode it as UTF-8): the BOM, the header and one row a record,
        written by the one formula-safe writer (`safecells.to_reversible_csv`)."""
        rows = ([c.write(record.get(c.key)) for c in self.columns] for record in records)
        return BOM + to_reversible_csv(self.headers, rows)

    def read(self, data: bytes, *, name: str, problems: Problems | None = None) -> list[Row]:
        """Every row with its cells read, or `Refused` naming every problem found.

        With `problems` given, the caller goes on checking its own rules: the rows whose cells
        were read are returned, the other rows' problems are left in `problems`, and only a
        file that cannot be read at all (its encoding, its header) is refused here. The caller
        then calls `problems.raise_if_any()` before writing anything."""
        own = problems is None
        problems = Problems(name) if problems is None else problems
        content = self._decode(data, problems)
        rows = self._rows(content, problems)
        if problems and (own or not rows):
            raise problems.refuse()
        return rows

    def _decode(self, data: bytes, problems: Problems) -> str:
        def refuse(message: str, line: int | None = None) -> Refused:
            problems.add(message, line=line)
            return problems.refuse()

        if len(data) > self.max_bytes:
            raise refuse(
                f"the file is {len(data) / 1024 / 1024:.1f}MB: the most this import takes is "
                f"{self.max_bytes / 1024 / 1024:.0f}MB"
            )
        if not data.strip(b"\xef\xbb\xbf \t\r\n"):
            raise refuse("the file is empty")
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise refuse(
                "the file is a workbook, not a CSV file: in Excel, choose File, Save As, "
                "‘CSV UTF-8 (Comma delimited)’, and send that"
            )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise refuse(
                "the file is UTF-16 text (Excel’s ‘Unicode Text’): save it as "
                "‘CSV UTF-8 (Comma delimited)’ and send it again"
            )
        body = data.removeprefix(b"\xef\xbb\xbf")
        try:
            content = body.decode("utf-8")
        except UnicodeDecodeError as error:
            line = body[: error.start].count(b"\n") + 1
            try:
                body.decode("cp1252")
            except UnicodeDecodeError:
                kind = "the text is not UTF-8"
            else:
                kind = (
                    "the text is not UTF-8: it looks like Excel’s ‘CSV (Comma delimited)’, "
                    "which is Windows-1252"
                )
            raise refuse(
                f"{kind}. Save it as ‘CSV UTF-8 (Comma delimited)’ and send it again", line
            ) from None
        return content

    def _header(self, first: list[str], problems: Problems, line: int = 1) -> dict[str, int] | None:
        """Where each column is, or None (with the problems added) when the header is wrong."""
        wanted = {_canonical(c.header): c for c in self.columns}
        found: dict[str, int] = {}
        ok = True
        for index, raw in enumerate(first):
            key = _canonical(cell_from_file(raw))
            if not key:
                continue  # an empty header cell over an empty column: checked per row
            if key not in wanted:
                problems.add(
                    f"‘{shown(raw, 40)}’ is not a column this file has. Its columns are: "
                    f"{', '.join(self.headers)}",
                    line=line,
                    column=f"column {index + 1}",
                )
                ok = False
            elif wanted[key].key in found:
                problems.add(
                    f"‘{wanted[key].header}’ is there twice (columns "
                    f"{found[wanted[key].key] + 1} and {index + 1}): keep one",
                    line=line,
                )
                ok = False
            else:
                found[wanted[key].key] = index
        for column in self.columns:
            if column.key not in found:
                problems.add(f"the column ‘{column.header}’ is missing", line=line)
                ok = False
        return found if ok else None

    def _rows(self, content: str, problems: Problems) -> list[Row]:
        handle = io.StringIO(content, newline="")
        reader = csv.reader(handle)
        rows: list[Row] = []
        positions: dict[str, int] | None = None
        last = 0
        try:
            for record, raw in enumerate(reader, start=1):
                start, last = last + 1, reader.line_num
                if start != record:
                    problems.rows[start] = record
                if positions is None:
                    if not raw or not any(cell.strip() for cell in raw):
                        continue  # blank lines above the header
                    positions = self._header(raw, problems, start)
                    if positions is None:
                        return []
                    continue
                if not any(cell.strip() for cell in raw):
                    continue  # an empty row (Excel leaves them at the end)
                if len(rows) >= self.max_rows:
                    problems.add(
                        f"the file has more than {self.max_rows:,} rows: split it into smaller "
                        "files",
                        line=start,
                    )
                    return []
                row = self._row(raw, start, positions, problems)
                if row is not None:
                    rows.append(row)
        except csv.Error as error:
            reason = "a cell is far too long" if "field larger" in str(error) else str(error)
            problems.add(f"the line cannot be read as CSV ({shown(reason, 80)})", line=last + 1)
            return []
        if positions is None:
            problems.add("the file is empty")
        elif not rows and not problems:
            problems.add("the file has no rows under the header: there is nothing to import")
        return rows

    def _row(
        self, raw: list[str], line: int, positions: dict[str, int], problems: Problems
    ) -> Row | None:
        needed = max(positions.values()) + 1
        if len(raw) < needed:
            problems.add(
                f"the row has {len(raw)} cells where the header has {needed}: it may have "
                "been cut short",
                line=line,
            )
            return None
        known = set(positions.values())
        stray = [i for i, cell in enumerate(raw) if i not in known and cell.strip()]
        if stray:
            problems.add(
                f"the row has a value in column {stray[0] + 1}, which has no header: remove it",
                line=line,
            )
            return None
        values: dict[str, Any] = {}
        ok = True
        for column in self.columns:
            cell = raw[positions[column.key]]
            if "\x00" in cell:
                problems.add(
                    "the cell holds a NUL character (byte 0), which text never holds: the file may "
                    "be damaged",
                    line=line,
                    column=column.header,
                )
                ok = False
                continue
            try:
                values[column.key] = column.parse(cell_from_file(cell))
            except CellError as error:
                problems.add(str(error), line=line, column=column.header)
                ok = False
        return Row(line=line, values=values) if ok else None
