"""Synthetic police records in the published layouts, for demonstrations: plausible volumes
and shares, made from a fixed seed, labelled as made up wherever they are shown."""

from __future__ import annotations

from pathlib import Path

import duckdb

from policeplan.warehouse import schemas
from policeplan.warehouse.sql import Sql, compose, set_variables

# Stop and search: about 11,500 searches a month in London, with the published shares of
# outcomes (data.police.uk, the Met, 2023); positive outcomes rise slowly over the years.
STOP_SEARCH_MONTHLY = 11_500
OUTCOMES = [
    ("A no further action disposal", 0.705),
    ("Arrest", 0.160),
    ("Community resolution", 0.086),
    ("Penalty Notice for Disorder", 0.031),
    ("Summons / charged by post", 0.017),
    ("Caution (simple or conditional)", 0.001),
]
SEARCHES = [
    ("Person search", "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs"),
    ("Person search", "Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons"),
    (
        "Person and Vehicle search",
        "Police and Criminal Evidence Act 1984 (section 1)",
        "Stolen goods",
    ),
    (
        "Person search",
        "Criminal Justice and Public Order Act 1994 (section 60)",
        "Offensive weapons",
    ),
]


def write_stop_search(
    folder: Path, *, force: str, months: list[str], seed: int, monthly: int = STOP_SEARCH_MONTHLY
) -> None:
    """One data.police.uk stop-and-search file a month (YYYY-MM), in the published layout.
    DuckDB writes them (400,000 rows in about a second), from a fixed seed on one thread, so
    the files are the same every time."""
    folder.mkdir()
    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute("SELECT setseed(?)", [seed % 1000 / 1000])  # setseed takes -1 to 1
    kinds = " ".join(
        f"WHEN r2 < {cut} THEN ['{kind}', '{law}', '{searched}']"
        for (kind, law, searched), cut in zip(SEARCHES, (0.55, 0.80, 0.92, 1.01), strict=True)
    )
    for i, month in enumerate(months):
        lift = 1 + 0.04 * i / 12  # positive outcomes become a little more common
        weights = [OUTCOMES[0][1] - (lift - 1) * 0.3] + [w * lift for _, w in OUTCOMES[1:]]
        total, cut, outcomes = sum(weights), 0.0, []
        for (name, _), weight in zip(OUTCOMES, weights, strict=True):
            cut += weight / total
            outcomes.append(
                f"WHEN r1 < {min(cut, 1.01) if name != OUTCOMES[-1][0] else 1.01} THEN '{name}'"
            )
        first = f"{month}-01"
        path = folder / f"{month}-{force}-stop-and-search.csv"
        columns = dict(zip(schemas.STOP_SEARCH, [
            "s[1]", "strftime(getvariable('first_day')::TIMESTAMP + to_minutes(m), '%Y-%m-%dT%H:%M:00+00:00')",
            "'False'", "NULL", "printf('%.6f', 51.35 + 0.3 * r3)", "printf('%.6f', -0.42 + 0.6 * r4)",
            "'Male'", "'18-24'", "NULL", "NULL", "s[2]", "s[3]", "outcome", "NULL", "NULL",
        ], strict=True))  # fmt: skip
        select = ", ".join(f'{sql} AS "{name}"' for name, sql in columns.items())
        set_variables(con, first_day=first)
        con.execute(
            compose(
                """
                COPY (
                    SELECT {select} FROM (
                        SELECT CASE {kinds} END AS s, CASE {outcomes} END AS outcome, *
                        FROM (
                            SELECT random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                                   (random() * 28 * 24 * 60)::BIGINT AS m, range AS n
                            FROM range({rows})
                        )
                    ) ORDER BY n
                ) TO ? (HEADER, QUOTE '"')
                """,
                select=Sql(select),
                kinds=Sql(kinds),
                outcomes=Sql(" ".join(outcomes)),
                rows=int(monthly * (0.97 + 0.06 * (i % 5) / 4)),
            ),
            [path.as_posix()],
        )
    con.close()
