"""Errors that name the file, the line and the field, as people fixing a file need them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from policeplan.warehouse.sql import Sql, compose


def shown(value: object, limit: int = 60) -> str:
    """A value from a file as a message may quote it: printable characters only, and at most
    `limit` of them (never kilobytes of someone's data echoed back)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value or ""))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FileRejected(Exception):
    """The whole file is refused; nothing from it is written."""

    def __init__(
        self, file: str, message: str, *, line: int | None = None, field: str = ""
    ) -> None:
        self.file, self.message, self.line, self.field = file, message, line, field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field ‘{self.field}’")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Problem:
    """One kind of row-level problem in a file: how many rows, and the first few line numbers."""

    kind: str
    field: str
    rejected: bool  # rejected rows are not stored; the others are stored and flagged
    count: int = 0
    lines: list[int] = dataclass_field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "field": self.field,
            "rejected": self.rejected,
            "count": self.count,
            "lines": self.lines,
        }


def scalar(con: object, sql: Sql, params: list[object] | None = None) -> int:
    """The first value of a one-row query (a count)."""
    row = con.execute(sql, params or []).fetchone()  # type: ignore[attr-defined]
    return int(row[0]) if row and row[0] is not None else 0


CHECKED = Sql("checked")


def collect_problems(
    con: object, checks: list[tuple[Problem, Sql]], *, table: Sql = CHECKED, sample: int = 20
) -> list[Problem]:
    """Count the lines of `table` (which has a `line` column) meeting each check's condition,
    keep the first `sample` line numbers, and return the problems that occur."""
    found = []
    for problem, condition in checks:
        where = compose("FROM {table} WHERE {condition}", table=table, condition=condition)
        problem.count = scalar(con, compose("SELECT count(DISTINCT line) {where}", where=where))
        if problem.count:
            rows = con.execute(  # type: ignore[attr-defined]
                compose("SELECT DISTINCT line {where} ORDER BY line LIMIT ?", where=where),
                [sample],
            ).fetchall()
            problem.lines = [r[0] for r in rows]
            found.append(problem)
    return found


_LINE = re.compile(r"Line: (\d+)")
_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
MAX_LINE_BYTES = 131_072  # as Python's csv module allows for one value


def _reason(text: str) -> str:
    """DuckDB's own explanation of a CSV error: the line after the first line (and after the
    copy of the offending row), without the dump of reader settings that follows."""
    lines = text.splitlines()
    for line in lines[1:]:
        if line.startswith("Original Line:") or not line.strip():
            continue
        return line
    return lines[0] if lines else ""


def from_duckdb(
    file: str, error: Exception, *, longest_field: Callable[[int], str] | None = None
) -> FileRejected:
    """Turn DuckDB's CSV error into a FileRejected with the line and a plain message (never
    DuckDB's own wording, nor the row it quotes). `longest_field(line)` names the field
    holding a line's longest value, for a line too long to read."""
    text = str(error)
    line = int(m.group(1)) if (m := _LINE.search(text)) else None
    reason = _reason(text)
    field = ""
    if m := _COLUMNS.search(reason):
        message = (
            f"expected {m.group(1)} fields but found {m.group(2)}: the file may be truncated "
            "or have a stray comma or quote"
        )
    elif "Maximum line size" in reason:
        message = (
            f"the line is longer than {MAX_LINE_BYTES:,} characters, far longer than any this "
            "file should hold"
        )
        if line is not None and longest_field is not None:
            field = longest_field(line)
    elif "utf-8" in reason.lower() or "unicode" in reason.lower():
        message = "the file is not UTF-8 encoded: save it as UTF-8 (CSV UTF-8) and try again"
    elif "unterminated quote" in reason.lower():
        message = "a quoted value is not closed"
    else:
        message = "the file cannot be read as CSV here: check the line for a stray quote"
    return FileRejected(file, message, line=line, field=field)
