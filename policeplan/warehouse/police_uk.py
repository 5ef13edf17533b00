"""data.police.uk street-level, outcomes and stop-and-search files.

`stage_file` reads one CSV with DuckDB (every field as text, strict about the number of
fields), checks each row, writes the accepted rows as Parquet partitioned by force and month
into a staging folder, and reports what it found. Rows with an unparseable or wrong month or
impossible coordinates are rejected; rows with no location are kept and counted; rows whose
LSOA is not one of the office's are kept and reported.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from policeplan.warehouse import csvfile, schemas
from policeplan.warehouse.errors import MAX_LINE_BYTES, FileRejected, Problem, from_duckdb
from policeplan.warehouse.sql import (
    Sql,
    compose,
    copy_to_parquet,
    join,
    set_variables,
    varchar_columns,
)

FILE_NAME = re.compile(
    r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
KIND_DATASET = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}
DESCRIBED = {
    "street": "street-level crime",
    "outcomes": "outcomes",
    "stop_search": "stop and search",
}
# Great Britain and Northern Ireland, generously.
LAT_RANGE, LON_RANGE = (49.0, 61.5), (-8.9, 2.5)


@dataclass
class FileResult:
    file: str
    dataset: str
    sha256: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_no_location: int = 0
    months: list[str] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)
    month_counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: str = ""  # why the file was not read again (an identical file was imported)
    vintage: str = ""  # which LSOA boundaries the file's codes belong to
    payload: Any = field(default=None, repr=False)  # rows kept for the importer's apply step

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "dataset": self.dataset,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "rows_no_location": self.rows_no_location,
            "months": self.months,
            "forces": self.forces,
            "problems": [p.as_dict() for p in self.problems],
        }


def detect(path: Path, name: str = "") -> tuple[str, str | None]:
    """The dataset a file holds (from its columns) and the month its name promises, if any."""
    name = name or path.name
    header = tuple(csvfile.read_header(path, name=name))
    for dataset, columns in schemas.POLICE_UK.items():
        if header == columns:
            match = FILE_NAME.search(name)
            if match and KIND_DATASET[match.group("kind")] != dataset:
                raise FileRejected(
                    name,
                    f"the name says {DESCRIBED[KIND_DATASET[match.group('kind')]]} but the "
                    f"columns are those of {DESCRIBED[dataset]}: rename the file or choose "
                    "the right one",
                    line=1,
                )
            return dataset, match.group("month") if match else None
    # Name the closest schema in the error, so the message says what is wrong with it.
    match = FILE_NAME.search(name)
    guess = KIND_DATASET.get(match.group("kind") if match else "", "street")
    csvfile.check_header(name, schemas.POLICE_UK[guess], list(header))
    raise FileRejected(name, "not a data.police.uk file", line=1)  # pragma: no cover


def _read(con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...], name: str) -> None:
    try:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE raw AS
            SELECT * FROM read_csv(
                ?, header = true, delim = ',', quote = '"', escape = '"',
                columns = ?, auto_detect = false,
                strict_mode = true, null_padding = false, encoding = 'utf-8',
                max_line_size = ?
            )
            """,
            [path.as_posix(), varchar_columns(columns), MAX_LINE_BYTES],
        )
    except duckdb.Error as error:
        raise from_duckdb(
            name, error, longest_field=lambda line: csvfile.longest_field_on(path, line)
        ) from None


def _checks(dataset: str, file_month: str | None, has_lookup: bool) -> list[tuple[Problem, Sql]]:
    """(problem, SQL condition over `raw` that is true for a row with that problem).

    DuckDB reads an empty field as NULL, so no trimming is needed (or paid for) per row. The
    month in the file's name is read from the session variable `file_month`.
    """
    lat, lon = 'TRY_CAST("Latitude" AS DOUBLE)', 'TRY_CAST("Longitude" AS DOUBLE)'
    has_coords = '("Latitude" IS NOT NULL OR "Longitude" IS NOT NULL)'
    bad_coords = (
        f"{has_coords} AND ({lat} IS NULL OR {lon} IS NULL "
        f"OR {lat} NOT BETWEEN {LAT_RANGE[0]} AND {LAT_RANGE[1]} "
        f"OR {lon} NOT BETWEEN {LON_RANGE[0]} AND {LON_RANGE[1]})"
    )
    checks: list[tuple[Problem, Sql]]
    if dataset == "stop_search":
        month_sql = "strftime(TRY_CAST(\"Date\" AS TIMESTAMPTZ), '%Y-%m')"
        checks = [(Problem("unparseable date", "Date", True), Sql(f"{month_sql} IS NULL"))]
        if file_month:
            checks.append(
                (
                    Problem(
                        f"month is not {file_month}, the month in the file's name", "Date", True
                    ),
                    Sql(f"{month_sql} <> getvariable('file_month')"),
                )
            )
    else:
        bad_month = "NOT regexp_full_match(coalesce(\"Month\", ''), '\\d{4}-(0[1-9]|1[0-2])')"
        checks = [(Problem("unparseable month", "Month", True), Sql(bad_month))]
        if file_month:
            checks.append(
                (
                    Problem(
                        f"month is not {file_month}, the month in the file's name", "Month", True
                    ),
                    Sql(f"NOT ({bad_month}) AND \"Month\" <> getvariable('file_month')"),
                )
            )
    checks.append((Problem("coordinates out of range", "Latitude", True), Sql(bad_coords)))
    if dataset == "stop_search":
        checks.append((Problem("no location", "Latitude", False), Sql(f"NOT {has_coords}")))
        return checks
    well_formed = "regexp_full_match(\"LSOA code\", '[EW]01\\d{6}')"
    checks.append(
        (
            Problem("malformed LSOA code", "LSOA code", True),
            Sql(f'"LSOA code" IS NOT NULL AND NOT {well_formed}'),
        )
    )
    checks.append((Problem("no location", "LSOA code", False), Sql('"LSOA code" IS NULL')))
    if has_lookup:
        checks.append(
            (
                Problem("LSOA code not in the office's areas", "LSOA code", False),
                compose(
                    '{well_formed} AND "LSOA code" NOT IN (SELECT lsoa_code FROM lookup_lsoa)',
                    well_formed=Sql(well_formed),
                ),
            )
        )
    return checks


DEFAULT_FORCE = Sql("getvariable('default_force')")


def _force_sql(con: duckdb.DuckDBPyConnection) -> Sql:
    """The force partition for each row, from the few distinct 'Falls within' values (their
    slugs in the table `force_slugs`; the force in the file's name when there is none)."""
    names = [
        r[0] for r in con.execute('SELECT DISTINCT "Falls within" FROM raw').fetchall() if r[0]
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE force_slugs (name VARCHAR, slug VARCHAR)")
    if not names:
        return DEFAULT_FORCE
    con.executemany("INSERT INTO force_slugs VALUES (?, ?)", [(n, force_slug(n)) for n in names])
    return Sql(
        'coalesce((SELECT f.slug FROM force_slugs f WHERE f.name = raw."Falls within"), '
        "getvariable('default_force'))"
    )


def _lsoa_vintage(con: duckdb.DuckDBPyConnection, sample: int = 20_000) -> str:
    """'LSOA 2011', 'LSOA 2021' or 'LSOA 2011 and 2021', from a sample of the file's codes
    that exist in only one of the two vintages (data.police.uk moved to 2021 LSOAs in 2022)."""
    found = {
        row[0]
        for row in con.execute(
            'SELECT DISTINCT l.vintage FROM (SELECT "LSOA code" AS code FROM raw LIMIT ?) r '
            "JOIN lookup_lsoa l ON l.lsoa_code = r.code WHERE l.vintage <> 'both'",
            [sample],
        ).fetchall()
    }
    return "LSOA " + " and ".join(sorted(found)) if found else ""


def force_slug(falls_within: str) -> str:
    """'Metropolitan Police Service' → 'metropolitan'; 'City of London Police' → 'city-of-london'."""
    name = re.sub(r" Police( Service)?$", "", falls_within.strip())
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _select(dataset: str, force_sql: Sql) -> Sql:
    """The typed columns stored for each dataset (partition columns last)."""
    location = (
        'TRY_CAST("Longitude" AS DOUBLE) AS longitude, TRY_CAST("Latitude" AS DOUBLE) AS latitude'
    )
    if dataset == "stop_search":
        return Sql(f"""
            "Type" AS type, TRY_CAST("Date" AS TIMESTAMPTZ) AS occurred_at,
            lower("Part of a policing operation") = 'true' AS part_of_operation,
            "Policing operation" AS policing_operation, {location},
            "Gender" AS gender, "Age range" AS age_range,
            "Self-defined ethnicity" AS self_defined_ethnicity,
            "Officer-defined ethnicity" AS officer_defined_ethnicity,
            "Legislation" AS legislation, "Object of search" AS object_of_search, "Outcome" AS outcome,
            lower("Outcome linked to object of search") = 'true' AS outcome_linked,
            lower("Removal of more than just outer clothing") = 'true' AS outer_clothing_removed,
            getvariable('file_id')::BIGINT AS import_file_id, {force_sql} AS force,
            strftime(TRY_CAST("Date" AS TIMESTAMPTZ), '%Y-%m') AS month
        """)
    extra = (
        '"Crime type" AS crime_type, "Last outcome category" AS last_outcome, "Context" AS context'
        if dataset == "street"
        else '"Outcome type" AS outcome_type'
    )
    return Sql(f"""
        "Crime ID" AS crime_id, "Reported by" AS reported_by, "Falls within" AS falls_within,
        {location}, "Location" AS location, "LSOA code" AS lsoa_code, "LSOA name" AS lsoa_name,
        {extra}, getvariable('file_id')::BIGINT AS import_file_id, {force_sql} AS force,
        "Month" AS month
    """)


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    out_dir: Path,
    *,
    file_id: int = 0,
    has_lookup: bool = False,
    sample_lines: int = 20,
    name: str = "",
) -> FileResult:
    """Validate one file and write its accepted rows under out_dir/<dataset>/force=…/month=…/.
    `name` is the name its owner gave the file (the stored file's name when not given)."""
    name = name or path.name
    dataset, file_month = detect(path, name)
    csvfile.refuse_nul(path, name=name)
    name_match = FILE_NAME.search(name)
    default_force = name_match.group("force") if name_match else "unknown"
    # Fingerprint the file on another thread while DuckDB reads it (both release the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        fingerprint = pool.submit(csvfile.sha256, path)
        _read(con, path, schemas.POLICE_UK[dataset], name)
        result = FileResult(file=name, dataset=dataset, sha256=fingerprint.result())
    set_variables(
        con, file_month=file_month or "", default_force=default_force, file_id=int(file_id)
    )
    force_sql = DEFAULT_FORCE if dataset == "stop_search" else _force_sql(con)
    month_sql = Sql(
        "strftime(TRY_CAST(\"Date\" AS TIMESTAMPTZ), '%Y-%m')"
        if dataset == "stop_search"
        else '"Month"'
    )

    # One pass: rows and problems by month (and force), from which every total follows.
    checks = _checks(dataset, file_month, has_lookup)
    rejected_any = join((compose("({c})", c=c) for p, c in checks if p.rejected), " OR ")
    rejected_any = rejected_any or Sql("false")
    sums = join(compose("count(*) FILTER (WHERE {c})", c=c) for _, c in checks)
    grouped = con.execute(
        compose(
            "SELECT {month}, {force}, count(*), count(*) FILTER (WHERE {rejected}), {sums} "
            "FROM raw GROUP BY ALL",
            month=month_sql,
            force=force_sql,
            rejected=rejected_any,
            sums=sums,
        )
    ).fetchall()
    result.rows_read = sum(g[2] for g in grouped)
    result.rows_rejected = sum(g[3] for g in grouped)
    if result.rows_read == 0:
        raise FileRejected(name, "the file has a header but no rows", line=2)
    for month, force, rows, rejected, *_ in grouped:
        if rows > rejected and month:
            result.month_counts[month] = result.month_counts.get(month, 0) + rows - rejected
            if force not in result.forces:
                result.forces.append(force)
    result.months = sorted(result.month_counts)
    result.forces.sort()
    for i, (problem, condition) in enumerate(checks):
        problem.count = sum(g[4 + i] for g in grouped)
        if problem.count:
            rows = con.execute(
                compose("SELECT rowid + 2 FROM raw WHERE {c} ORDER BY rowid LIMIT ?", c=condition),
                [sample_lines],
            ).fetchall()
            problem.lines = [r[0] for r in rows]
            result.problems.append(problem)
    result.rows_no_location = next((p.count for p in result.problems if p.kind == "no location"), 0)
    if has_lookup and dataset != "stop_search":
        result.vintage = _lsoa_vintage(con)
    result.rows_accepted = result.rows_read - result.rows_rejected

    # One file per force and month, written directly (faster here than PARTITION_BY).
    keep = compose("NOT ({r})", r=rejected_any) if result.rows_rejected else Sql("true")
    query = compose(
        "SELECT * EXCLUDE (force, month) FROM (SELECT {select} FROM raw "
        "WHERE {keep} AND {month} = ? AND {force} = ?)",
        select=_select(dataset, force_sql),
        keep=keep,
        month=month_sql,
        force=force_sql,
    )
    for month, force in sorted({(g[0], g[1]) for g in grouped if g[0] and g[2] > g[3]}):
        folder = out_dir / dataset / f"force={force}" / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        copy_to_parquet(con, query, (folder / "data_0.parquet").as_posix(), params=[month, force])
    con.execute("DROP TABLE IF EXISTS raw")
    return result
