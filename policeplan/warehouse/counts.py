"""Counts by month, area and category, at any level of the geography.

Street-level records reach wards, boroughs and BCUs through their LSOA code (never the LSOA
name) and the geography lookup; force totals are by the force that recorded them. MPS recorded
crime is counted at its own level, and borough rows add up to BCUs and the force.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from policeplan.warehouse.sql import Sql, compose, ident, join, set_variables
from policeplan.warehouse.store import Warehouse

LEVELS = ("force", "bcu", "borough", "ward", "lsoa")
DATASETS = ("street", "outcomes", "stop_search", "mps_crime")
CATEGORY = {"street": "crime_type", "outcomes": "outcome_type", "stop_search": "outcome"}


def counts(
    con: duckdb.DuckDBPyConnection,
    warehouse: Warehouse,
    *,
    dataset: str,
    level: str,
    categories: Sequence[str] = (),
    start: str | None = None,
    end: str | None = None,
    force_names: dict[str, str] | None = None,
    scheme: str = "current",
    crime_types: Sequence[str] = (),
) -> list[tuple[str, str, str, str, int]]:
    """Rows of (month, area code, area name, category, count), ordered. For outcomes,
    `crime_types` keeps only the outcomes of crimes of those types (matched to the street
    records by Crime ID)."""
    if dataset not in DATASETS:
        raise ValueError(f"Unknown dataset ‘{dataset}’: choose one of {', '.join(DATASETS)}")
    if level not in LEVELS:
        raise ValueError(f"Unknown level ‘{level}’: choose one of {', '.join(LEVELS)}")
    if not warehouse.has(dataset):
        return []
    where, params = _months([Sql("true")], start, end)
    wanted = [c.lower() for c in categories]
    set_variables(con, wanted=wanted, crime_types=[c.lower() for c in crime_types], scheme=scheme)
    if dataset == "mps_crime":
        sql = _mps_sql(con, warehouse, level, bool(wanted))
    else:
        sql = _records_sql(con, warehouse, dataset, level, bool(wanted), bool(crime_types))
    con.execute("CREATE OR REPLACE TEMP TABLE force_names (code VARCHAR, name VARCHAR)")
    if force_names:
        con.executemany("INSERT INTO force_names VALUES (?, ?)", list(force_names.items()))
    query = compose(
        """
        SELECT month, area_code, area_name, category, sum(n)::BIGINT AS n FROM ({sql}) AS r
        WHERE {where} AND area_code IS NOT NULL
        GROUP BY ALL ORDER BY month, area_name, category
        """,
        sql=sql,
        where=join(where, " AND "),
    )
    return [tuple(row) for row in con.execute(query, params).fetchall()]


def _months(where: list[Sql], start: str | None, end: str | None) -> tuple[list[Sql], list[object]]:
    """Conditions (and their parameters) keeping the months from start to end, when given."""
    params: list[object] = []
    if start:
        where.append(Sql("month >= ?"))
        params.append(start)
    if end:
        where.append(Sql("month <= ?"))
        params.append(end)
    return where, params


def _category_filter(column: str, variable: str, wanted: bool) -> Sql:
    """Keeps rows whose column (lower-cased) is in the list variable, when there is a list."""
    if not wanted:
        return Sql("true")
    return compose(
        "list_contains(getvariable({variable}), lower({column}))",
        variable=Sql("'" + variable + "'"),
        column=Sql(column),
    )


def _level_columns(alias: str, level: str) -> Sql:
    """`<alias>.<level>_code AS area_code, <alias>.<level>_name AS area_name` (level is one of
    LEVELS, checked by the caller)."""
    code, name = ident(f"{level}_code"), ident(f"{level}_name")
    return compose(
        "{alias}.{code} AS area_code, {alias}.{name} AS area_name",
        alias=Sql(alias),
        code=code,
        name=name,
    )


def _records_sql(
    con: duckdb.DuckDBPyConnection,
    warehouse: Warehouse,
    dataset: str,
    level: str,
    wanted: bool,
    crime_types: bool,
) -> Sql:
    category = ident(CATEGORY[dataset])
    of_crimes = Sql("true")
    if dataset == "outcomes" and crime_types:
        of_crimes = (
            compose(
                "r.crime_id IN (SELECT crime_id FROM {street} "
                "WHERE crime_id IS NOT NULL AND {types})",
                street=warehouse.scan(con, "street"),
                types=_category_filter("crime_type", "crime_types", True),
            )
            if warehouse.has("street")
            else Sql("false")
        )
    scan = warehouse.scan(con, dataset)
    if level == "force":
        area = Sql("r.force AS area_code, coalesce(f.name, r.force) AS area_name")
        join = Sql("LEFT JOIN force_names f ON f.code = r.force")
    elif dataset == "stop_search":
        raise ValueError(
            "Stop and search records have coordinates but no LSOA: count them by force"
        )
    elif level == "lsoa":
        area = Sql("r.lsoa_code AS area_code, coalesce(g.lsoa_name, r.lsoa_name) AS area_name")
        join = compose(
            "LEFT JOIN {lookup} g ON g.lsoa_code = r.lsoa_code",
            lookup=warehouse.lookup(con, "lsoa"),
        )
    else:
        area = _level_columns("g", level)
        join = compose(
            "JOIN {lookup} g ON g.lsoa_code = r.lsoa_code", lookup=warehouse.lookup(con, "lsoa")
        )
    return compose(
        """
        SELECT r.month, {area}, r.{category} AS category, 1 AS n
        FROM {scan} r {join}
        WHERE {filter} AND {of_crimes}
        """,
        area=area,
        category=category,
        scan=scan,
        join=join,
        filter=_category_filter(compose("r.{c}", c=category), "wanted", wanted),
        of_crimes=of_crimes,
    )


def _mps_sql(con: duckdb.DuckDBPyConnection, warehouse: Warehouse, level: str, wanted: bool) -> Sql:
    scan = warehouse.scan(con, "mps_crime")
    if wanted:
        category = compose(
            "CASE WHEN {minor} THEN r.minor ELSE r.major END",
            minor=_category_filter("r.minor", "wanted", True),
        )
        matches = compose(
            "({major} OR {minor})",
            major=_category_filter("r.major", "wanted", True),
            minor=_category_filter("r.minor", "wanted", True),
        )
    else:
        category, matches = Sql("r.major"), Sql("true")
    join = Sql("")
    if level in {"ward", "lsoa"}:
        area = Sql("r.area_code, r.area_name")
    elif level == "borough":
        area = Sql("r.borough_code AS area_code, r.borough_name AS area_name")
    elif level == "force":
        # The force's total is every record it published, including the rows for no borough
        # ('Unknown') and for Heathrow and London City airports, as the MPS's own London total
        # is: an MPS file is one force's, so those rows belong to the force of its boroughs.
        lookup = warehouse.lookup(con, "borough")

        def of_the_files_boroughs(column: str) -> Sql:
            return compose(
                "(SELECT max(l.{column}) FROM {lookup} l "
                "WHERE l.borough_code IN (SELECT borough_code FROM {scan}))",
                column=ident(column),
                lookup=lookup,
                scan=scan,
            )

        area = compose(
            "coalesce(b.force_code, {code}) AS area_code, "
            "coalesce(b.force_name, {name}) AS area_name",
            code=of_the_files_boroughs("force_code"),
            name=of_the_files_boroughs("force_name"),
        )
        join = compose("LEFT JOIN {lookup} b ON b.borough_code = r.borough_code", lookup=lookup)
    else:
        area = _level_columns("b", level)
        join = compose(
            "JOIN {lookup} b ON b.borough_code = r.borough_code",
            lookup=warehouse.lookup(con, "borough"),
        )
    set_variables(con, source_level=level if level in {"ward", "lsoa"} else "borough")
    return compose(
        """
        SELECT r.month, {area}, {category} AS category, r.count AS n
        FROM {scan} r {join}
        WHERE r.level = getvariable('source_level') AND r.scheme = getvariable('scheme')
          AND {matches}
        """,
        area=area,
        category=category,
        scan=scan,
        join=join,
        matches=matches,
    )


# (month, force, BCU, borough, category, count): one row per combination present
TallyRow = tuple[str, str, str | None, str | None, str | None, int]


def tally(
    con: duckdb.DuckDBPyConnection,
    warehouse: Warehouse,
    *,
    dataset: str,
    start: str | None = None,
    end: str | None = None,
) -> list[TallyRow]:
    """Record counts by month, force, BCU, borough and category in one pass over the records
    (street, outcomes or stop and search), for every measure of the dataset to share.

    Force figures count every record of the force (as `counts` does at force level); BCU and
    borough come from the LSOA through the geography lookup, so records without a known LSOA
    count for their force only. Stop and search records carry no LSOA: force only."""
    if dataset not in CATEGORY:
        raise ValueError(f"Unknown dataset ‘{dataset}’ for a tally")
    if not warehouse.has(dataset):
        return []
    where, params = _months([Sql("force IS NOT NULL")], start, end)
    if dataset == "stop_search":
        areas, lookup_join, lsoa = (
            Sql("NULL::VARCHAR AS bcu, NULL::VARCHAR AS borough"),
            Sql(""),
            Sql(""),
        )
    else:
        areas, lsoa = Sql("g.bcu_code AS bcu, g.borough_code AS borough"), Sql("lsoa_code, ")
        lookup_join = compose(
            "LEFT JOIN {lookup} g ON g.lsoa_code = r.lsoa_code",
            lookup=warehouse.lookup(con, "lsoa"),
        )
    # A few months: count by LSOA first, then place the fewer LSOA counts in their areas
    # (twice as fast). Over every month there are too many LSOA groups for that to pay.
    by_lsoa = bool(start and end)
    records = compose(
        """
        SELECT month, force, {lsoa}{category} AS category, {n} AS n
        FROM {scan} WHERE {where} {group}
        """,
        lsoa=lsoa,
        category=ident(CATEGORY[dataset]),
        n=Sql("count(*)" if by_lsoa else "1"),
        scan=warehouse.scan(con, dataset),
        where=join(where, " AND "),
        group=Sql("GROUP BY ALL" if by_lsoa else ""),
    )
    query = compose(
        """
        SELECT r.month, r.force, {areas}, r.category, sum(r.n)::BIGINT
        FROM ({records}) r {join}
        GROUP BY ALL
        """,
        areas=areas,
        records=records,
        join=lookup_join,
    )
    return [tuple(row) for row in con.execute(query, params).fetchall()]
