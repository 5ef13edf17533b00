"""Reading a CSV's header and fingerprint before DuckDB reads the rows."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

from policeplan.warehouse.errors import FileRejected, shown

HEADER_LIMIT = 65_536  # bytes: the widest header read here (MPS crime) is a few thousand


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_header(path: Path, *, delimiter: str = ",", name: str = "") -> list[str]:
    """The first line's column names (a UTF-8 byte-order mark is ignored). `name` is the file's
    name as its owner gave it, for messages (the stored file's name when not given)."""
    name = name or path.name
    with path.open("rb") as handle:
        raw = handle.readline(HEADER_LIMIT + 1)
    if len(raw) > HEADER_LIMIT:
        raise FileRejected(
            name, f"the first line is longer than {HEADER_LIMIT:,} characters: not a header", line=1
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            name, "the file is not UTF-8 encoded: save it as UTF-8 and try again", line=1
        ) from None
    try:
        first = next(csv.reader([text], delimiter=delimiter), None)
    except csv.Error:
        raise FileRejected(name, "the first line is not a row of column names", line=1) from None
    if not first:
        raise FileRejected(name, "the file is empty", line=1)
    return [name.strip() for name in first]


def check_header(name: str, expected: tuple[str, ...], found: list[str]) -> None:
    """Refuse a file whose columns are not exactly the expected ones, saying what differs."""
    if tuple(found) == expected:
        return
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    detail = []
    if missing:
        more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
        detail.append("missing " + ", ".join(f"‘{c}’" for c in missing[:4]) + more)
    if unexpected:
        detail.append(
            "unexpected " + shown(", ".join(f"‘{shown(c, 30)}’" for c in unexpected[:4]), 150)
        )
    if not detail:
        detail.append("the columns are in a different order")
    raise FileRejected(
        name,
        f"the columns are not the expected ones ({'; '.join(detail)}). "
        f"Expected: {shown(', '.join(expected), 200)}. Found: {shown(', '.join(found), 120)}",
        line=1,
    )


def ends_with_line_break(path: Path) -> bool:
    """Whether the file's last byte is a line break (an empty file counts as ending with one)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return True
        handle.seek(-1, 2)
        return handle.read(1) in {b"\n", b"\r"}


class _Lines:
    """A file's lines as the csv reader takes them, keeping the last for messages."""

    def __init__(self, handle: Iterator[str]) -> None:
        self.handle = handle
        self.last = ""
        self.count = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        self.last = next(self.handle)
        self.count += 1
        return self.last


def dict_rows(
    path: Path, *, name: str = "", delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: value}) for every row after the header. Refuses, naming the file, line
    and field: text that is not UTF-8, a NUL character, a value longer than the csv module's
    limit, and a row with more or fewer fields than the header (the last row of a file cut
    short is called truncated)."""
    name = name or path.name
    line = 1
    header: list[str] = []
    lines: _Lines | None = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = _Lines(handle)
            reader = csv.reader(lines, delimiter=delimiter)
            first = next(reader, None)
            if not first:
                raise FileRejected(name, "the file is empty", line=1)
            header = [column.strip() for column in first]
            for raw in reader:
                line = reader.line_num
                if not raw or raw == [""]:
                    continue
                for column, value in zip(header, raw, strict=False):
                    if "\x00" in value:
                        raise FileRejected(
                            name, "the value holds a NUL character", line=line, field=column
                        )
                if len(raw) != len(header):
                    cut = not lines.last.endswith(("\n", "\r"))
                    if cut and len(raw) < len(header):
                        message = (
                            f"the file ends in the middle of a row ({len(raw)} of "
                            f"{len(header)} fields): it is truncated, so download or copy "
                            "it again"
                        )
                    else:
                        message = f"the row has {len(raw)} fields; the header has {len(header)}"
                    raise FileRejected(name, message, line=line)
                yield line, dict(zip(header, raw, strict=True))
    except UnicodeDecodeError:
        raise FileRejected(
            name,
            "the file is not UTF-8 encoded: save it as UTF-8 and try again",
            line=(lines.count + 1) if lines else 1,
        ) from None
    except csv.Error as error:
        at = lines.count if lines else line
        if "field larger than field limit" in str(error):
            column = _longest_field(lines.last if lines else "", delimiter, header)
            raise FileRejected(
                name,
                f"a value is longer than {csv.field_size_limit():,} characters, far longer "
                "than any this file should hold",
                line=at,
                field=column,
            ) from None
        raise FileRejected(name, f"the file is not a well-formed CSV ({error})", line=at) from None


def _longest_field(text: str, delimiter: str, header: list[str]) -> str:
    """The column whose value is probably the overlong one: the longest piece of the line."""
    pieces = text.split(delimiter)
    if not pieces or not header:
        return ""
    index = max(range(len(pieces)), key=lambda i: len(pieces[i]))
    return header[index] if index < len(header) else ""


def refuse_nul(path: Path, *, name: str = "", delimiter: str = ",") -> None:
    """Refuse a file holding a NUL byte (no CSV value holds one; a damaged or binary file
    does), naming the line and the field where the first one is."""
    name = name or path.name
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            at = chunk.find(b"\x00")
            if at >= 0:
                break
            offset += len(chunk)
        else:
            return
    position = offset + at
    with path.open("rb") as handle:
        before = handle.read(position)
        rest = handle.readline()
    line_start = before.rfind(b"\n") + 1
    line = before.count(b"\n") + 1
    text = (before[line_start:] + rest).decode("utf-8", "replace")
    column = text[: position - line_start].count(delimiter)
    header = read_header(path, delimiter=delimiter, name=name) if line > 1 else []
    raise FileRejected(
        name,
        "the value holds a NUL character: the file is damaged or not a CSV file",
        line=line,
        field=header[column] if column < len(header) else "",
    )


def longest_field_on(path: Path, line: int, *, delimiter: str = ",") -> str:
    """The column whose value is the longest on a physical line: for a line too long to read,
    which field to look at."""
    with path.open("rb") as handle:
        header = handle.readline()
        text = b""
        for number, raw in enumerate(handle, start=2):
            if number == line:
                text = raw
                break
    columns = [
        c.strip()
        for c in next(csv.reader([header.decode("utf-8-sig", "replace")], delimiter=delimiter), [])
    ]
    return _longest_field(text.decode("utf-8", "replace"), delimiter, columns)


def refuse_cut_short(path: Path, *, name: str = "") -> None:
    """Refuse a file that does not end with a line break, as published CSV files do: it was
    cut short, perhaps inside its last value where the row still looks whole."""
    if ends_with_line_break(path):
        return
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 22), b""))
    raise FileRejected(
        name or path.name,
        "the file does not end with a line break, so it may be truncated (cut short inside "
        "its last row). Download or copy it again",
        line=lines + 1,
    )
