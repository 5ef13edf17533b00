"""Large street-level files for the benchmarks, tiled from the real rows in ../shared/data
(City of London street files and the Met's Barnet burglary extract) across months and real
London LSOAs. Shared by bench/import and bench/recompute."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def build_file(path: Path, rows: int, *, first_month: str = "2024-01", months: int = 12) -> int:
    import duckdb

    street = (SHARED / "police-uk/city-of-london/street").as_posix()
    barnet = (
        SHARED / "police-uk/metropolitan/street-barnet-burglary/barnet-burglary-2010-12_2023-03.csv"
    ).as_posix()
    lookup = next((SHARED / "ons/lookups").glob("LSOA_(2021)*.csv")).as_posix()
    con = duckdb.connect()
    con.execute(
        """
        CREATE TABLE base AS
        SELECT * FROM read_csv(?, all_varchar = true, header = true)
        UNION ALL SELECT * FROM read_csv(?, all_varchar = true, header = true)
        """,
        [f"{street}/*.csv", barnet],
    )
    base = con.execute("SELECT count(*) FROM base").fetchone()[0]
    copies = -(-rows // base)
    con.execute(
        """
        CREATE TABLE lsoas AS SELECT row_number() OVER (ORDER BY LSOA21CD) - 1 AS i, LSOA21CD AS code, LSOA21NM AS name
        FROM read_csv(?, all_varchar = true, header = true) WHERE LAD24CD LIKE 'E09%'
        """,
        [lookup],
    )
    n_lsoa = con.execute("SELECT count(*) FROM lsoas").fetchone()[0]
    con.execute(
        """
        COPY (
            SELECT b."Crime ID",
                   strftime(?::DATE + to_months(((b.rowid + k.k) % ?)::INTEGER), '%Y-%m') AS "Month",
                   'Metropolitan Police Service' AS "Reported by", 'Metropolitan Police Service' AS "Falls within",
                   b."Longitude", b."Latitude", b."Location",
                   CASE WHEN b."LSOA code" IS NULL THEN NULL ELSE l.code END AS "LSOA code",
                   CASE WHEN b."LSOA code" IS NULL THEN NULL ELSE l.name END AS "LSOA name",
                   b."Crime type", b."Last outcome category", b."Context"
            FROM base b CROSS JOIN range(?) AS k(k)
            JOIN lsoas l ON l.i = (b.rowid * 7 + k.k * 13) % ?
            ORDER BY "Month"
            LIMIT ?
        ) TO ? (HEADER, DELIMITER ',')
        """,
        [f"{first_month}-01", months, copies, n_lsoa, rows, path.as_posix()],
    )
    return con.execute("SELECT count(*) FROM read_csv(?)", [path.as_posix()]).fetchone()[0]
