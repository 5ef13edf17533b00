"""Reading a CSV's header and fingerprint before DuckDB reads the rows."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from policeplan.warehouse.errors import FileRejected


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_header(path: Path, *, delimiter: str = ",") -> list[str]:
    """The first line's column names (a UTF-8 byte-order mark is ignored)."""
    with path.open("rb") as handle:
        raw = handle.readline()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            path.name, "the file is not UTF-8 encoded: save it as UTF-8 and try again", line=1
        ) from None
    first = next(csv.reader([text], delimiter=delimiter), None)
    if not first:
        raise FileRejected(path.name, "the file is empty", line=1)
    return [name.strip() for name in first]


def check_header(path: Path, expected: tuple[str, ...], found: list[str]) -> None:
    """Refuse a file whose columns are not exactly the expected ones, saying what differs."""
    if tuple(found) == expected:
        return
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(f"‘{c}’" for c in missing))
    if unexpected:
        detail.append("unexpected " + ", ".join(f"‘{c}’" for c in unexpected))
    if not detail:
        detail.append("the columns are in a different order")
    raise FileRejected(
        path.name,
        f"the columns are not the expected ones ({'; '.join(detail)}). "
        f"Expected: {', '.join(expected)}. Found: {', '.join(found)}",
        line=1,
    )
