"""Category schemes across time: which source names a measure's concepts stand for.

Sources rename their categories (the MPS counted "DOMESTIC BURGLARY" until the Home Office
counting rules change of April 2023, then "RES BURGLARY OF A HOME" and "RES BURGLARY OF
UNCONNECTED BUILDING"). A measure names stable concepts ("residential-burglary"); the
crosswalk, kept as data, says which names of which source and scheme each concept stands for
and the months each name was in use. This module is handed the crosswalk as plain data.

Counting: every record under a name mapped to the concept counts, whatever its month (a
straggler recorded under an old name is still a real offence). The in-use months serve the
coverage of a measure (which months the source could have recorded it) and series-break
caveats, never to drop records.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policeplan.warehouse import periods

if TYPE_CHECKING:  # DuckDB loads with the first import, not when Django starts
    import duckdb

    from policeplan.warehouse.store import Warehouse

# The scheme measures are counted in, by source: the MPS publish the same months in two
# category schemes, and counting both would count every offence twice.
COUNTED_SCHEME = {"mps_crime": "current"}
MONTH_PATTERN = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Name:
    """One source name of a concept, and the months it was in use (to = None: still in use)."""

    source: str
    scheme: str
    name: str
    in_use_from: str
    in_use_to: str | None = None

    def in_use(self, month: str) -> bool:
        return self.in_use_from <= month and (self.in_use_to is None or month <= self.in_use_to)


# concept slug -> its names in every source and scheme
Crosswalk = Mapping[str, Iterable[Name]]


def counted_scheme(source: str) -> str:
    return COUNTED_SCHEME.get(source, "")


def names_for(crosswalk: Crosswalk, concepts: Iterable[str], source: str) -> list[Name]:
    """The names, in the scheme the source is counted in, that the concepts stand for."""
    scheme = counted_scheme(source)
    return [
        n
        for concept in concepts
        for n in crosswalk.get(concept, ())
        if n.source == source and n.scheme == scheme
    ]


def categories(crosswalk: Crosswalk, concepts: Iterable[str], source: str) -> tuple[str, ...]:
    """The distinct source names to count for the concepts, in a stable order."""
    return tuple(sorted({n.name for n in names_for(crosswalk, concepts, source)}))


def unmapped(
    found: Iterable[str], crosswalk: Crosswalk, source: str, scheme: str = ""
) -> list[str]:
    """The names a file uses that map to no concept (compared without regard to case)."""
    known = {
        n.name.lower()
        for names in crosswalk.values()
        for n in names
        if n.source == source and n.scheme == scheme
    }
    return sorted({f for f in found if f and f.lower() not in known})


def months_in_use(names: Iterable[Name], months: Iterable[str]) -> set[str]:
    """The months (of those given) in which at least one of the names was in use."""
    names = list(names)
    return {m for m in months if any(n.in_use(m) for n in names)}


def first_in_use(names: Iterable[Name]) -> str | None:
    starts = [n.in_use_from for n in names]
    return min(starts) if starts else None


def month_span(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive."""
    out, month = [], first
    while month <= last:
        out.append(month)
        month = periods.shift(month, 1)
    return out


@dataclass(frozen=True)
class Row:
    """One line of the crosswalk file."""

    source: str
    scheme: str
    source_name: str
    concept: str
    in_use_from: str
    in_use_to: str
    reference: str


@dataclass(frozen=True)
class ConceptRow:
    slug: str
    name: str
    description: str


def read_file(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Row(**row) for row in csv.DictReader(fh)]


def read_concepts(path: Path) -> list[ConceptRow]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [ConceptRow(**row) for row in csv.DictReader(fh)]


# Per dataset: rows of (scheme, name, month, records) the category spans are read from.
_NAMES_SQL = {
    "mps_crime": (
        "SELECT scheme, major AS name, month, count AS n FROM {scan} "
        "UNION ALL SELECT scheme, minor, month, count FROM {scan}"
    ),
    "street": "SELECT '' AS scheme, crime_type AS name, month, 1 AS n FROM {scan}",
    "stop_search": "SELECT '' AS scheme, outcome AS name, month, 1 AS n FROM {scan}",
    "pas": "SELECT '' AS scheme, measure AS name, substr(quarter, 1, 7) AS month, 1 AS n "
    "FROM {scan}",
}
SPAN_DATASETS = tuple(_NAMES_SQL)


@dataclass(frozen=True)
class Span:
    """A category's first and last month with an established number of records (None: zeros
    or strays only), and how many rows the warehouse holds of it."""

    first: str | None
    last: str | None
    rows: int


# Fewer records than this in a month, across the whole dataset, never start or end a series.
ESTABLISHED = 10

# (scheme, name) -> Span, and (scheme) -> (first month, last month) of the dataset
Spans = tuple[dict[tuple[str, str], Span], dict[str, tuple[str, str]]]


def category_spans(con: duckdb.DuckDBPyConnection, wh: Warehouse, dataset: str) -> Spans:
    """Each category name's first and last month with records in the warehouse."""
    from policeplan.warehouse.sql import compose

    if dataset not in _NAMES_SQL or not wh.has(dataset):
        return {}, {}
    # A name counts as recorded in a month once its London-wide (dataset-wide) total there is
    # at least a tenth of its usual month, and at least ESTABLISHED records: a stray record
    # filed under a name before or after its time (one 'RES BURGLARY OF A HOME' in November
    # 2018, five years before the name came into use) is not a series break.
    rows = con.execute(
        compose(
            """
            SELECT scheme, name,
                   min(month) FILTER (WHERE total >= threshold),
                   max(month) FILTER (WHERE total >= threshold),
                   sum(rows), min(month), max(month)
            FROM (
                SELECT *, greatest(?, 0.1 * median(CASE WHEN total > 0 THEN total END)
                                            OVER (PARTITION BY scheme, name)) AS threshold
                FROM (SELECT scheme, name, month, sum(n) AS total, count(*) AS rows
                      FROM ({names}) WHERE name IS NOT NULL GROUP BY ALL)
            )
            GROUP BY ALL
            """,
            names=compose(_NAMES_SQL[dataset], scan=wh.scan(con, dataset)),
        ),
        [ESTABLISHED],
    ).fetchall()
    spans: dict[tuple[str, str], Span] = {}
    extent: dict[str, tuple[str, str]] = {}
    for scheme, name, first, last, n, low, high in rows:
        spans[(scheme, name)] = Span(first, last, int(n))
        lo, hi = extent.get(scheme, (low, high))
        extent[scheme] = (min(lo, low), max(hi, high))
    return spans, extent


@dataclass(frozen=True)
class Change:
    """A category that began or stopped being recorded: a series break from `month`."""

    scheme: str
    name: str
    month: str
    began: bool


def changes(before: Spans, after: Spans) -> list[Change]:
    """Categories whose first or last month with records moved (or are new) with this import,
    inside the months the dataset covers: their start or end is a series break."""
    found: list[Change] = []
    old, _ = before
    new, extent = after
    for (scheme, name), span in sorted(new.items()):
        if span.first is None or span.last is None:
            continue
        low, high = extent[scheme]
        was = old.get((scheme, name))
        if span.first > low and (was is None or was.first != span.first):
            found.append(Change(scheme, name, span.first, True))
        if span.last < high and (was is None or was.last != span.last):
            found.append(Change(scheme, name, periods.shift(span.last, 1), False))
    return found


def touched_names(before: Spans, after: Spans) -> set[tuple[str, str]]:
    """The (scheme, name) pairs an import brought rows of."""
    old, _ = before
    return {k for k, span in after[0].items() if k not in old or old[k].rows != span.rows}
