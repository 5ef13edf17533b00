"""The one place SQL text is composed refuses anything but SQL written in the code."""

from __future__ import annotations

import duckdb
import pytest

from policeplan.warehouse.sql import Sql, compose, ident, join, parquet_view, set_variables


def test_compose_takes_fragments_and_whole_numbers_only():
    assert compose("SELECT {c} FROM t LIMIT {n}", c=ident("a"), n=5) == 'SELECT "a" FROM t LIMIT 5'
    with pytest.raises(TypeError, match="parameters"):
        compose("SELECT * FROM t WHERE m = '{m}'", m="2024-01'; DROP TABLE t; --")
    with pytest.raises(TypeError):
        join(["a", Sql("b")])
    with pytest.raises(TypeError):
        compose("LIMIT {n}", n=True)


def test_an_identifier_cannot_close_its_quotes():
    con = duckdb.connect()
    con.execute(compose("CREATE TABLE t ({c} VARCHAR)", c=ident('x"; DROP TABLE t; --')))
    assert [r[0] for r in con.execute("DESCRIBE t").fetchall()] == ['x"; DROP TABLE t; --']


def test_paths_and_values_travel_as_parameters(tmp_path):
    con = duckdb.connect()
    folder = tmp_path / "it's; COPY (SELECT 1) TO 'x.csv'"
    folder.mkdir()
    path = folder / "data.parquet"
    con.execute("COPY (SELECT 1 AS n) TO ? (FORMAT parquet)", [path.as_posix()])
    view = parquet_view(con, "v", path.as_posix())
    set_variables(con, wanted="it's")
    assert con.execute(compose("SELECT n, getvariable('wanted') FROM {v}", v=view)).fetchall() == [
        (1, "it's")
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["data.parquet"]
