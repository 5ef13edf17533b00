"""MPS recorded crime from the London Datastore: one row per area and category, one column per
month (YYYYMM), in the current (UPPER CASE, BoroughName) or older (Title Case,
LookUp_BoroughName) category scheme, at borough, ward or LSOA level."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from policeplan.warehouse import csvfile, names, schemas
from policeplan.warehouse.errors import (
    MAX_LINE_BYTES,
    FileRejected,
    Problem,
    collect_problems,
    from_duckdb,
    scalar,
)
from policeplan.warehouse.police_uk import FileResult
from policeplan.warehouse.sql import (
    Sql,
    compose,
    copy_to_parquet,
    ident,
    join,
    varchar_columns,
)

MONTH_COLUMN = re.compile(r"\d{4}(0[1-9]|1[0-2])")


def detect(columns: list[str], file: str) -> tuple[str, str, list[str]]:
    """(level, scheme, month columns) from the header, or FileRejected saying what is wrong."""
    for (level, scheme), ids in schemas.MPS_ID_COLUMNS.items():
        if tuple(columns[: len(ids)]) == ids:
            months = columns[len(ids) :]
            if not months:
                raise FileRejected(
                    file, "there are no month columns (YYYYMM) after the area columns", line=1
                )
            for position, column in enumerate(months, start=len(ids) + 1):
                if not MONTH_COLUMN.fullmatch(column):
                    raise FileRejected(
                        file,
                        f"column {position} should be a month like 202404, not ‘{column}’",
                        line=1,
                        field=column,
                    )
            return level, scheme, months
    expected = " or ".join(", ".join(ids) for ids in schemas.MPS_ID_COLUMNS.values())
    raise FileRejected(
        file,
        f"the first columns are not MPS recorded crime columns. Expected {expected}; found {', '.join(columns[:5])}",
        line=1,
    )


def _columns(path: Path, con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    if path.suffix == ".parquet":
        try:
            return list(con.read_parquet(path.as_posix()).columns)
        except duckdb.Error:
            raise FileRejected(name, "the file is not a readable Parquet file") from None
    return csvfile.read_header(path, name=name)


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    out_dir: Path,
    *,
    borough_codes: dict[str, str],
    file_id: int = 0,
    name: str = "",
) -> FileResult:
    """Unpivot to one row per area, category and month; write under mps_crime/level/scheme/month."""
    name = name or path.name
    columns = _columns(path, con, name)
    level, scheme, months = detect(columns, name)
    if path.suffix != ".parquet":
        csvfile.refuse_nul(path, name=name)
    result = FileResult(file=name, dataset="mps_crime", sha256=csvfile.sha256(path))
    try:
        if path.suffix == ".parquet":
            con.execute(
                "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_parquet(?)",
                [path.as_posix()],
            )
            cast = "CAST({} AS VARCHAR)"
        else:
            con.execute(
                """CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(
                    ?, header = true, delim = ',', quote = '"', escape = '"', columns = ?,
                    auto_detect = false, strict_mode = true, null_padding = false,
                    encoding = 'utf-8', max_line_size = ?)""",
                [path.as_posix(), varchar_columns(columns), MAX_LINE_BYTES],
            )
            cast = "{}"
    except duckdb.Error as error:
        raise from_duckdb(
            name, error, longest_field=lambda line: csvfile.longest_field_on(path, line)
        ) from None
    ids = schemas.MPS_ID_COLUMNS[(level, scheme)]
    major, minor = (ids[0], ids[1]) if level != "lsoa" else ("major_category", "minor_category")
    area_code = Sql({"borough": "NULL", "ward": '"WardCode"', "lsoa": '"lsoa_code"'}[level])
    area_name = {"borough": ident(ids[2]), "ward": ident("WardName"), "lsoa": ident("lsoa_name")}[
        level
    ]
    borough = {
        "borough": ident(ids[2]),
        "ward": ident("LookUp_BoroughName"),
        "lsoa": ident("borough"),
    }[level]
    # Month column names have been checked against MONTH_COLUMN (six digits) by `detect`.
    month_list = join(ident(m) for m in months)
    month_values = join(
        compose("{value} AS {name}", value=Sql(cast.format(ident(m))), name=ident(m))
        for m in months
    )
    con.execute(
        compose(
            """
            CREATE OR REPLACE TEMP TABLE long AS
            SELECT rowid + 2 AS line, * FROM (
                UNPIVOT (SELECT rowid, {major} AS major, {minor} AS minor,
                                {area_code} AS area_code, {area_name} AS area_name,
                                {borough} AS borough, {month_values}
                         FROM raw)
                ON {month_list} INTO NAME month_column VALUE value
            )
            """,
            major=ident(major),
            minor=ident(minor),
            area_code=area_code,
            area_name=area_name,
            borough=borough,
            month_values=month_values,
            month_list=month_list,
        )
    )
    # Borough names (and LSOA files' borough codes) resolve to ONS codes.
    con.execute("CREATE OR REPLACE TEMP TABLE borough_names (key VARCHAR, code VARCHAR)")
    if borough_codes:
        con.executemany("INSERT INTO borough_names VALUES (?, ?)", list(borough_codes.items()))
    resolve = "CASE WHEN regexp_full_match(l.borough, 'E09\\d{6}') THEN l.borough ELSE b.code END"
    con.execute(
        compose(
            """
            CREATE OR REPLACE TEMP TABLE checked AS
            SELECT l.*, {resolve} AS borough_code,
                   TRY_CAST(l.value AS BIGINT) AS n
            FROM long l LEFT JOIN borough_names b ON b.key = {key}
            """,
            resolve=Sql(resolve),
            key=_normalise_sql(Sql("l.borough")),
        )
    )
    problems = [
        (
            Problem("count is not a whole number of 0 or more", "month", True),
            Sql("n IS NULL OR n < 0"),
        ),
        (
            Problem(
                "area is not one of the office's boroughs (kept, not mapped)",
                ids[2] if level != "lsoa" else "borough",
                False,
            ),
            Sql("borough_code IS NULL"),
        ),
    ]
    result.problems = collect_problems(con, problems)
    result.rows_read = scalar(con, Sql("SELECT count(*) FROM raw"))
    if result.rows_read == 0:
        raise FileRejected(name, "the file has a header but no rows", line=2)
    result.rows_rejected = next((p.count for p in result.problems if p.rejected), 0)
    result.rows_accepted = result.rows_read - result.rows_rejected
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE accepted AS
        SELECT major, minor, area_code, area_name, borough AS borough_name, borough_code,
               n AS count, ?::BIGINT AS import_file_id, ? AS level, ? AS scheme,
               substr(month_column, 1, 4) || '-' || substr(month_column, 5, 2) AS month
        FROM checked
        WHERE line NOT IN (SELECT line FROM checked WHERE n IS NULL OR n < 0)
        """,
        [int(file_id), level, scheme],
    )
    for month, total in con.execute(
        "SELECT month, sum(count) FROM accepted GROUP BY 1 ORDER BY 1"
    ).fetchall():
        result.month_counts[month] = int(total)
    result.months = sorted(result.month_counts)
    result.forces = [f"{level}, {scheme} scheme"]
    target = out_dir / "mps_crime"
    target.mkdir(parents=True, exist_ok=True)
    copy_to_parquet(
        con,
        Sql("SELECT * FROM accepted"),
        target.as_posix(),
        partition_by=("level", "scheme", "month"),
    )
    con.execute("DROP TABLE raw; DROP TABLE long; DROP TABLE checked; DROP TABLE accepted")
    return result


def _normalise_sql(expr: Sql) -> Sql:
    """The SQL twin of names.normalise."""
    text = compose(
        "regexp_replace(lower(trim(replace({expr}, '&', 'and'))), '\\s+', ' ', 'g')", expr=expr
    )
    text = compose(
        "CASE WHEN {text} = 'city of westminster' THEN 'westminster' ELSE {text} END", text=text
    )
    return compose(
        "regexp_replace({text}, '^(the )?(london borough of|royal borough of) ', '')", text=text
    )


__all__ = ["detect", "names", "stage_file"]
