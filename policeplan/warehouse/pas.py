"""The MOPAC Public Attitude Survey borough-by-quarter file: semicolon-separated, decimal
commas, dd/mm/yyyy quarter-end dates, and borough names in several spellings."""

from __future__ import annotations

from pathlib import Path

import duckdb

from policeplan.warehouse import csvfile, schemas
from policeplan.warehouse.errors import (
    MAX_LINE_BYTES,
    FileRejected,
    Problem,
    collect_problems,
    from_duckdb,
    scalar,
)
from policeplan.warehouse.mps_crime import _normalise_sql
from policeplan.warehouse.police_uk import FileResult
from policeplan.warehouse.sql import Sql, compose, copy_to_parquet, join, varchar_columns


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    out_dir: Path,
    *,
    borough_codes: dict[str, str],
    force_code: str = "metropolitan",
    file_id: int = 0,
    name: str = "",
) -> FileResult:
    name = name or path.name
    header = csvfile.read_header(path, delimiter=";", name=name)
    if tuple(header) not in {schemas.PAS, schemas.PAS_TOTAL}:
        csvfile.check_header(name, schemas.PAS, header)
    columns = schemas.PAS if tuple(header) == schemas.PAS else schemas.PAS_TOTAL
    csvfile.refuse_nul(path, name=name, delimiter=";")
    result = FileResult(file=name, dataset="pas", sha256=csvfile.sha256(path))
    try:
        con.execute(
            """CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(?,
                header = true, delim = ';', quote = '"', escape = '"', auto_detect = false,
                columns = ?, strict_mode = true, null_padding = false, encoding = 'utf-8',
                max_line_size = ?)""",
            [path.as_posix(), varchar_columns(columns), MAX_LINE_BYTES],
        )
    except duckdb.Error as error:
        raise from_duckdb(
            name,
            error,
            longest_field=lambda line: csvfile.longest_field_on(path, line, delimiter=";"),
        ) from None
    con.execute("CREATE OR REPLACE TEMP TABLE borough_names (key VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO borough_names VALUES (?, ?)", list(borough_codes.items()))
    total_area = (
        "lower(trim(r.\"Borough\")) IN ('mps', 'met', 'metropolitan police service', 'london')"
    )
    force_proportion = Sql(
        "TRY_CAST(replace(trim(r.\"MPS\"), ',', '.') AS DOUBLE)"
        if columns == schemas.PAS
        else "NULL::DOUBLE"
    )
    con.execute(
        compose(
            """
            CREATE OR REPLACE TEMP TABLE checked AS
            SELECT r.rowid + 2 AS line,
                   TRY_STRPTIME(trim(r."Date"), '%d/%m/%Y')::DATE AS quarter_end,
                   trim(r."Survey") AS survey,
                   trim(r."Borough") AS area_name,
                   CASE WHEN {total_area} THEN ?::VARCHAR ELSE b.code END AS area_code,
                   CASE WHEN {total_area} THEN 'force' ELSE 'borough' END AS area_level,
                   trim(r."Measure") AS measure,
                   TRY_CAST(replace(trim(r."Proportion"), ',', '.') AS DOUBLE) AS proportion,
                   {force_proportion} AS force_proportion
            FROM raw r LEFT JOIN borough_names b ON b.key = {key}
            """,
            total_area=Sql(total_area),
            force_proportion=force_proportion,
            key=_normalise_sql(Sql('r."Borough"')),
        ),
        [force_code],
    )
    checks = [
        (
            Problem("unparseable date (expected dd/mm/yyyy)", "Date", True),
            Sql("quarter_end IS NULL"),
        ),
        (
            Problem("proportion is not a number between 0 and 1", "Proportion", True),
            Sql("proportion IS NULL OR proportion NOT BETWEEN 0 AND 1"),
        ),
        (Problem("borough name not recognised", "Borough", True), Sql("area_code IS NULL")),
    ]
    rejected = join((compose("({c})", c=c) for _, c in checks), " OR ")
    result.problems = collect_problems(con, checks)
    result.rows_read = scalar(con, Sql("SELECT count(*) FROM checked"))
    if result.rows_read == 0:
        raise FileRejected(name, "the file has a header but no rows", line=2)
    result.rows_rejected = scalar(
        con, compose("SELECT count(*) FROM checked WHERE {rejected}", rejected=rejected)
    )
    result.rows_accepted = result.rows_read - result.rows_rejected
    con.execute(
        compose(
            """CREATE OR REPLACE TEMP TABLE accepted AS
            SELECT survey, area_level, area_code, area_name, measure, proportion, force_proportion,
                   ?::BIGINT AS import_file_id, strftime(quarter_end, '%Y-%m-%d') AS quarter
            FROM checked WHERE NOT ({rejected})""",
            rejected=rejected,
        ),
        [int(file_id)],
    )
    for quarter, n in con.execute(
        "SELECT quarter, count(*) FROM accepted GROUP BY 1 ORDER BY 1"
    ).fetchall():
        result.month_counts[quarter] = n
    result.months = sorted(result.month_counts)
    result.forces = sorted(
        r[0] for r in con.execute("SELECT DISTINCT area_level FROM accepted").fetchall()
    )
    target = out_dir / "pas" / ("force" if columns == schemas.PAS_TOTAL else "borough")
    target.mkdir(parents=True, exist_ok=True)
    copy_to_parquet(
        con, Sql("SELECT * FROM accepted"), target.as_posix(), partition_by=("quarter",)
    )
    con.execute("DROP TABLE raw; DROP TABLE checked; DROP TABLE accepted")
    return result
