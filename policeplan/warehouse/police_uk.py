"""data.police.uk street-level, outcomes and stop-and-search files.

`stage_file` reads one CSV with DuckDB (every field as text, strict about the number of
fields), checks each row, writes the accepted rows as Parquet partitioned by force and month
into a staging folder, and reports what it found. Rows with an unparseable or wrong month or
impossible coordinates are rejected; rows with no location are kept and counted; rows whose
LSOA is not one of the office's are kept and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from policeplan.warehouse import csvfile, schemas
from policeplan.warehouse.errors import FileRejected, Problem, from_duckdb

FILE_NAME = re.compile(
    r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
# Great Britain and Northern Ireland, generously.
LAT_RANGE, LON_RANGE = (49.0, 61.5), (-8.9, 2.5)
FORCE_SLUG_SQL = (
    "lower(regexp_replace(regexp_replace(trim({col}), ' Police( Service)?$', ''), "
    "'[^A-Za-z0-9]+', '-', 'g'))"
)


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


def detect(path: Path) -> tuple[str, str | None]:
    """The dataset a file holds (from its columns) and the month its name promises, if any."""
    header = tuple(csvfile.read_header(path))
    for dataset, columns in schemas.POLICE_UK.items():
        if header == columns:
            match = FILE_NAME.search(path.name)
            return dataset, match.group("month") if match else None
    # Name the closest schema in the error, so the message says what is wrong with it.
    match = FILE_NAME.search(path.name)
    guess = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}.get(
        match.group("kind") if match else "", "street"
    )
    csvfile.check_header(path, schemas.POLICE_UK[guess], list(header))
    raise FileRejected(path.name, "not a data.police.uk file", line=1)  # pragma: no cover


def _read(con: duckdb.DuckDBPyConnection, path: Path, columns: tuple[str, ...]) -> None:
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE raw AS
            SELECT * FROM read_csv(
                '{path.as_posix()}', header = true, delim = ',', quote = '"', escape = '"',
                columns = {schemas.sql_columns(columns)}, auto_detect = false,
                strict_mode = true, null_padding = false, encoding = 'utf-8'
            )
            """
        )
    except duckdb.Error as error:
        raise from_duckdb(path.name, error) from None


def _checks(dataset: str, file_month: str | None, has_lookup: bool) -> list[tuple[Problem, str]]:
    """(problem, SQL condition over `raw` that is true for a row with that problem)."""
    lat = "TRY_CAST(nullif(trim(\"Latitude\"), '') AS DOUBLE)"
    lon = "TRY_CAST(nullif(trim(\"Longitude\"), '') AS DOUBLE)"
    has_coords = "(nullif(trim(\"Latitude\"), '') IS NOT NULL OR nullif(trim(\"Longitude\"), '') IS NOT NULL)"
    bad_coords = (
        f"{has_coords} AND ({lat} IS NULL OR {lon} IS NULL "
        f"OR {lat} NOT BETWEEN {LAT_RANGE[0]} AND {LAT_RANGE[1]} "
        f"OR {lon} NOT BETWEEN {LON_RANGE[0]} AND {LON_RANGE[1]})"
    )
    if dataset == "stop_search":
        month_sql = "strftime(TRY_CAST(\"Date\" AS TIMESTAMPTZ), '%Y-%m')"
        checks = [(Problem("unparseable date", "Date", True), f"{month_sql} IS NULL")]
        month_field = "Date"
    else:
        month_sql = '"Month"'
        checks = [
            (
                Problem("unparseable month", "Month", True),
                "NOT regexp_full_match(coalesce(\"Month\", ''), '\\d{4}-(0[1-9]|1[0-2])')",
            )
        ]
        month_field = "Month"
    if file_month:
        checks.append(
            (
                Problem(
                    f"month is not {file_month}, the month in the file's name", month_field, True
                ),
                f"{checks[0][1]} IS FALSE AND {month_sql} <> '{file_month}'"
                if dataset != "stop_search"
                else f"{month_sql} IS NOT NULL AND {month_sql} <> '{file_month}'",
            )
        )
    checks.append((Problem("coordinates out of range", "Latitude", True), bad_coords))
    if dataset != "stop_search":
        lsoa = "nullif(trim(\"LSOA code\"), '')"
        checks.append(
            (
                Problem("malformed LSOA code", "LSOA code", True),
                f"{lsoa} IS NOT NULL AND NOT regexp_full_match({lsoa}, '[EW]01\\d{{6}}')",
            )
        )
        checks.append((Problem("no location", "LSOA code", False), f"{lsoa} IS NULL"))
        if has_lookup:
            checks.append(
                (
                    Problem("LSOA code not in the office's areas", "LSOA code", False),
                    f"{lsoa} IS NOT NULL AND regexp_full_match({lsoa}, '[EW]01\\d{{6}}') "
                    f"AND {lsoa} NOT IN (SELECT lsoa_code FROM lookup)",
                )
            )
    else:
        checks.append(
            (
                Problem("no location", "Latitude", False),
                f"NOT {has_coords}",
            )
        )
    return checks


def _select(dataset: str, file_id: int) -> str:
    """The typed columns stored for each dataset (partition columns last)."""
    text = "nullif(trim(raw.{}), '')"
    common_location = f"""
        TRY_CAST({text.format('"Longitude"')} AS DOUBLE) AS longitude,
        TRY_CAST({text.format('"Latitude"')} AS DOUBLE) AS latitude,
    """
    if dataset != "stop_search":
        common_location += f"{text.format('"Location"')} AS location,"
    if dataset == "stop_search":
        columns = f"""
            raw."Type" AS type,
            TRY_CAST(raw."Date" AS TIMESTAMPTZ) AS occurred_at,
            lower({text.format('"Part of a policing operation"')}) = 'true' AS part_of_operation,
            {text.format('"Policing operation"')} AS policing_operation,
            {common_location}
            {text.format('"Gender"')} AS gender,
            {text.format('"Age range"')} AS age_range,
            {text.format('"Self-defined ethnicity"')} AS self_defined_ethnicity,
            {text.format('"Officer-defined ethnicity"')} AS officer_defined_ethnicity,
            {text.format('"Legislation"')} AS legislation,
            {text.format('"Object of search"')} AS object_of_search,
            {text.format('"Outcome"')} AS outcome,
            lower({text.format('"Outcome linked to object of search"')}) = 'true' AS outcome_linked,
            lower({text.format('"Removal of more than just outer clothing"')}) = 'true' AS outer_clothing_removed,
            {file_id}::BIGINT AS import_file_id,
            '{{force}}' AS force,
            strftime(TRY_CAST(raw."Date" AS TIMESTAMPTZ), '%Y-%m') AS month
        """
    else:
        last = '"Last outcome category"' if dataset == "street" else '"Outcome type"'
        extra = (
            f"{text.format('"Crime type"')} AS crime_type, {text.format(last)} AS last_outcome, "
            f"{text.format('"Context"')} AS context,"
            if dataset == "street"
            else f"{text.format(last)} AS outcome_type,"
        )
        columns = f"""
            {text.format('"Crime ID"')} AS crime_id,
            {text.format('"Reported by"')} AS reported_by,
            {text.format('"Falls within"')} AS falls_within,
            {common_location}
            {text.format('"LSOA code"')} AS lsoa_code,
            {text.format('"LSOA name"')} AS lsoa_name,
            {extra}
            {file_id}::BIGINT AS import_file_id,
            coalesce({FORCE_SLUG_SQL.format(col='raw."Falls within"')}, '{{force}}') AS force,
            raw."Month" AS month
        """
    return columns


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    out_dir: Path,
    *,
    file_id: int = 0,
    has_lookup: bool = False,
    sample_lines: int = 20,
) -> FileResult:
    """Validate one file and write its accepted rows under out_dir/<dataset>/force=…/month=…/."""
    dataset, file_month = detect(path)
    name_match = FILE_NAME.search(path.name)
    default_force = name_match.group("force") if name_match else "unknown"
    result = FileResult(file=path.name, dataset=dataset, sha256=csvfile.sha256(path))
    _read(con, path, schemas.POLICE_UK[dataset])

    checks = _checks(dataset, file_month, has_lookup)
    flags = ", ".join(f"({condition}) AS p{i}" for i, (_, condition) in enumerate(checks))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE flagged AS SELECT rowid + 2 AS line, {flags} FROM raw"
    )
    sums = ", ".join(f"count(*) FILTER (WHERE p{i})" for i in range(len(checks)))
    rejected_any = " OR ".join(f"p{i}" for i, (p, _) in enumerate(checks) if p.rejected) or "false"
    totals = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {rejected_any}), {sums} FROM flagged"
    ).fetchone()
    assert totals is not None
    result.rows_read, result.rows_rejected = totals[0], totals[1]
    if result.rows_read == 0:
        raise FileRejected(path.name, "the file has a header but no rows", line=2)
    for i, (problem, _) in enumerate(checks):
        problem.count = totals[2 + i]
        if problem.count:
            rows = con.execute(
                f"SELECT line FROM flagged WHERE p{i} ORDER BY line LIMIT {sample_lines}"
            ).fetchall()
            problem.lines = [r[0] for r in rows]
            result.problems.append(problem)
    result.rows_no_location = next((p.count for p in result.problems if p.kind == "no location"), 0)
    result.rows_accepted = result.rows_read - result.rows_rejected

    select = _select(dataset, file_id).replace("{force}", default_force)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE accepted AS
        SELECT {select} FROM raw JOIN flagged ON raw.rowid + 2 = flagged.line
        WHERE NOT ({rejected_any})
        """
    )
    for month, force, count in con.execute(
        "SELECT month, force, count(*) FROM accepted GROUP BY ALL ORDER BY month, force"
    ).fetchall():
        result.month_counts[month] = result.month_counts.get(month, 0) + count
        if force not in result.forces:
            result.forces.append(force)
    result.months = sorted(result.month_counts)
    if result.rows_accepted:
        target = out_dir / dataset
        target.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY accepted TO '{target.as_posix()}' "
            "(FORMAT parquet, PARTITION_BY (force, month), OVERWRITE_OR_IGNORE, COMPRESSION zstd)"
        )
    con.execute(
        "DROP TABLE IF EXISTS raw; DROP TABLE IF EXISTS flagged; DROP TABLE IF EXISTS accepted"
    )
    return result
