"""Cells that cannot attack the person who opens a file in a spreadsheet.

The one place that decides: every CSV and XLSX the system writes (downloads, exports,
`policeplan data counts`, `policeplan analyse` outputs) passes its header and its cells
through `safe_cell`. Text that a spreadsheet would run as a formula gets a leading
apostrophe, as OWASP advises: it starts with `=`, `+`, `-`, `@`, a tab, a carriage return or
a line feed, or with their full-width forms (`＝＋－＠`, which Excel in East Asian locales takes
as formula prefixes), also after leading spaces (LibreOffice's and Google Sheets' CSV import
trim them, leaving the formula at the start).
Numbers typed as numbers (int, float, Decimal) are left alone, so a negative figure stays a
number; a number that arrives as text is text, and is neutralised like any other.

Characters a spreadsheet or its XML cannot hold, or that a terminal would act on, are
replaced by U+FFFD (the replacement character, shown as a question mark in a box) before
that: the C0 controls other than tab, newline and carriage return (openpyxl's
`ILLEGAL_CHARACTERS_RE`, which made the XLSX export fail), DEL and the C1 controls (an
8-bit CSI is an escape sequence too), lone surrogates and the noncharacters U+FFFE/U+FFFF.
Replaced rather than removed, so a reader sees that something was there, and so removing a
character can never turn a harmless cell into one that starts with a formula prefix. This
holds for CSV as much as XLSX: an ESC sequence never reaches a terminal or a spreadsheet.

Files people edit and send back (the spreadsheet imports, `core/spreadsheet.py`) are written
with `safe_cell_reversible`, which `cell_from_file` undoes exactly, so a round trip through a
spreadsheet changes no text.

No Django here: the warehouse and text analysis packages use it too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# What makes a cell a formula, at its start: a trigger, after any spaces (plain, no-break or
# ideographic) a spreadsheet's CSV import may trim.
_FORMULA = r"(?:[\t\r\n]|[ \u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])"
_LIVE = re.compile(_FORMULA)

# A superset of openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE ([\x00-\x08\x0b\x0c\x0e-\x1f]);
# a test checks that it stays a superset.
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def safe_cell(value: Any) -> Any:
    """The value to write: control characters replaced and a formula-looking string
    neutralised; anything that is not a string unchanged."""
    if not isinstance(value, str):
        return value
    value = UNSAFE_CHARACTERS.sub(REPLACEMENT, value)
    if is_formula(value):
        return "'" + value
    return value


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text as a formula."""
    return _LIVE.match(text) is not None


# Text that starts with apostrophes and then a formula prefix: the apostrophe `safe_cell` adds
# is told apart from apostrophes the text had by giving such text one more.
_PREFIXED = re.compile("'*" + _FORMULA)
_ESCAPED = re.compile("'+" + _FORMULA)


def safe_cell_reversible(value: Any) -> Any:
    """`safe_cell`, written so that `cell_from_file` gives back exactly the text: for files
    people edit and send back (spreadsheet imports). Text that already starts with
    apostrophes before a formula prefix ("'=x") gets one more too, so the apostrophe added
    is never mistaken for one typed."""
    if not isinstance(value, str):
        return value
    value = UNSAFE_CHARACTERS.sub(REPLACEMENT, value)
    if _PREFIXED.match(value):
        return "'" + value
    return value


def cell_from_file(text: str) -> str:
    """Undo `safe_cell_reversible`: one leading apostrophe less where it added one."""
    if _ESCAPED.match(text):
        return text[1:]
    return text


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


def to_reversible_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV for people to edit and send back (a tracker): every cell through
    `safe_cell_reversible`, which `cell_from_file` undoes exactly on import."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell_reversible(cell) for cell in header])
    writer.writerows([safe_cell_reversible(cell) for cell in row] for row in rows)
    return out.getvalue()
