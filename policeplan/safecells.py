"""Cells that cannot attack the person who opens a file in a spreadsheet.

The one place that decides: every CSV and XLSX the system writes (downloads, exports,
`policeplan data counts`, `policeplan analyse` outputs) passes its header and its cells
through `safe_cell`. Text that a spreadsheet would run as a formula (it starts with `=`,
`+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises.
Numbers typed as numbers (int, float, Decimal) are left alone, so a negative figure stays a
number; a number that arrives as text is text, and is neutralised like any other.

No Django here: the warehouse and text analysis packages use it too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write: a formula-looking string neutralised, anything else unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in row]


class SafeWriter:
    """`csv.writer` whose every row (the header too) goes through `safe_cell`."""

    def __init__(self, handle: SupportsWrite[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
