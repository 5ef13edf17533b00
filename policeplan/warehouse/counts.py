"""Counts by month, area and category, at any level of the geography.

Street-level records reach wards, boroughs and BCUs through their LSOA code (never the LSOA
name) and the geography lookup; force totals are by the force that recorded them. MPS recorded
crime is counted at its own level, and borough rows add up to BCUs and the force.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from policeplan.warehouse.store import Warehouse

LEVELS = ("force", "bcu", "borough", "ward", "lsoa")
DATASETS = ("street", "outcomes", "stop_search", "mps_crime")
CATEGORY = {"street": "crime_type", "outcomes": "outcome_type", "stop_search": "outcome"}


def lookup_path(warehouse: Warehouse, table: str) -> str:
    return (warehouse.path("geography") / f"table={table}" / "data.parquet").as_posix()


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
    where, params = _months(["true"], start, end)
    wanted = [c.lower() for c in categories]
    if dataset == "mps_crime":
        sql = _mps_sql(warehouse, level, wanted, scheme)
    else:
        sql = _records_sql(warehouse, dataset, level, wanted, [c.lower() for c in crime_types])
    con.execute("CREATE OR REPLACE TEMP TABLE force_names (code VARCHAR, name VARCHAR)")
    if force_names:
        con.executemany("INSERT INTO force_names VALUES (?, ?)", list(force_names.items()))
    query = f"""
        SELECT month, area_code, area_name, category, sum(n)::BIGINT AS n FROM ({sql}) AS r
        WHERE {" AND ".join(where)} AND area_code IS NOT NULL
        GROUP BY ALL ORDER BY month, area_name, category
    """
    return [tuple(row) for row in con.execute(query, params).fetchall()]


def _months(where: list[str], start: str | None, end: str | None) -> tuple[list[str], list[object]]:
    """Conditions (and their parameters) keeping the months from start to end, when given."""
    params: list[object] = []
    if start:
        where.append("month >= ?")
        params.append(start)
    if end:
        where.append("month <= ?")
        params.append(end)
    return where, params


def _literals(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _category_filter(column: str, wanted: list[str]) -> str:
    return f"lower({column}) IN ({_literals(wanted)})" if wanted else "true"


def _records_sql(
    warehouse: Warehouse, dataset: str, level: str, wanted: list[str], crime_types: list[str]
) -> str:
    category = CATEGORY[dataset]
    of_crimes = "true"
    if dataset == "outcomes" and crime_types:
        of_crimes = (
            f"r.crime_id IN (SELECT crime_id FROM {warehouse.scan('street')} "
            f"WHERE crime_id IS NOT NULL AND {_category_filter('crime_type', crime_types)})"
            if warehouse.has("street")
            else "false"
        )
    scan = warehouse.scan(dataset)
    if level == "force":
        area = "r.force AS area_code, coalesce(f.name, r.force) AS area_name"
        join = "LEFT JOIN force_names f ON f.code = r.force"
    elif dataset == "stop_search":
        raise ValueError(
            "Stop and search records have coordinates but no LSOA: count them by force"
        )
    elif level == "lsoa":
        area = "r.lsoa_code AS area_code, coalesce(g.lsoa_name, r.lsoa_name) AS area_name"
        join = f"LEFT JOIN read_parquet('{lookup_path(warehouse, 'lsoa')}') g ON g.lsoa_code = r.lsoa_code"
    else:
        area = f"g.{level}_code AS area_code, g.{level}_name AS area_name"
        join = (
            f"JOIN read_parquet('{lookup_path(warehouse, 'lsoa')}') g ON g.lsoa_code = r.lsoa_code"
        )
    return f"""
        SELECT r.month, {area}, r.{category} AS category, 1 AS n
        FROM {scan} r {join}
        WHERE {_category_filter("r." + category, wanted)} AND {of_crimes}
    """


def _mps_sql(warehouse: Warehouse, level: str, wanted: list[str], scheme: str) -> str:
    scan = warehouse.scan("mps_crime")
    if wanted:
        category = (
            f"CASE WHEN lower(r.minor) IN ({_literals(wanted)}) THEN r.minor ELSE r.major END"
        )
        matches = (
            f"({_category_filter('r.major', wanted)} OR {_category_filter('r.minor', wanted)})"
        )
    else:
        category, matches = "r.major", "true"
    if level in {"ward", "lsoa"}:
        area, join, source_level = "r.area_code, r.area_name", "", level
    elif level == "borough":
        area, join, source_level = (
            "r.borough_code AS area_code, r.borough_name AS area_name",
            "",
            "borough",
        )
    else:
        area = f"b.{level}_code AS area_code, b.{level}_name AS area_name"
        join = f"JOIN read_parquet('{lookup_path(warehouse, 'borough')}') b ON b.borough_code = r.borough_code"
        source_level = "borough"
    return f"""
        SELECT r.month, {area}, {category} AS category, r.count AS n
        FROM {scan} r {join}
        WHERE r.level = '{source_level}' AND r.scheme = '{scheme.replace("'", "")}' AND {matches}
    """


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
    where, params = _months(["force IS NOT NULL"], start, end)
    if dataset == "stop_search":
        areas, join, lsoa = "NULL::VARCHAR AS bcu, NULL::VARCHAR AS borough", "", ""
    else:
        areas, lsoa = "g.bcu_code AS bcu, g.borough_code AS borough", "lsoa_code, "
        join = (
            f"LEFT JOIN read_parquet('{lookup_path(warehouse, 'lsoa')}') g "
            "ON g.lsoa_code = r.lsoa_code"
        )
    records = f"""
        SELECT month, force, {lsoa}{CATEGORY[dataset]} AS category, 1 AS n
        FROM {warehouse.scan(dataset)} WHERE {" AND ".join(where)}
    """
    if start and end:
        # A few months: count by LSOA first, then place the fewer LSOA counts in their areas
        # (twice as fast). Over every month there are too many LSOA groups for that to pay.
        records = records.replace("1 AS n", "count(*) AS n") + " GROUP BY ALL"
    query = f"""
        SELECT r.month, r.force, {areas}, r.category, sum(r.n)::BIGINT
        FROM ({records}) r {join}
        GROUP BY ALL
    """
    return [tuple(row) for row in con.execute(query, params).fetchall()]
