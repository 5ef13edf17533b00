"""The one place where DuckDB SQL text is put together.

Nothing from outside the code becomes SQL text. Paths, months, names, categories and numbers
go to DuckDB as parameters (`?`), as session variables (`SET VARIABLE x = ?`, read with
`getvariable('x')`) or through its Python relation API. What is composed here is only SQL
written in the code: `Sql` marks such a fragment, `ident` quotes an identifier (a column name
from a schema constant, or a header name the importer has already checked against a pattern),
and `compose` fills a template's `{slots}` with fragments, refusing anything that is not one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb


class Sql(str):
    """SQL text written in the code (never a value read from a file, a form or a path)."""

    __slots__ = ()


def ident(name: str) -> Sql:
    """A quoted identifier: "name", with any double quote doubled."""
    return Sql('"' + name.replace('"', '""') + '"')


def join(parts: Iterable[Sql], separator: str = ", ") -> Sql:
    """Fragments joined by a separator written in the code."""
    items = list(parts)
    for part in items:
        _check(part)
    return Sql(separator.join(items))


def compose(template: str, /, **parts: Sql | int) -> Sql:
    """`template` with each `{name}` replaced by a fragment (or a whole number, which cannot
    carry a statement). Any other value is refused: it belongs in a parameter. Braces meant
    literally (a regular expression's `{6}`) belong in a fragment, not in the template."""
    for part in parts.values():
        _check(part)
    return Sql(template.format(**parts))


def _check(part: object) -> None:
    if isinstance(part, Sql) or type(part) is int:
        return
    raise TypeError(
        f"{type(part).__name__} given where SQL written in the code is expected: "
        "pass values as parameters"
    )


def varchar_columns(columns: Iterable[str]) -> dict[str, str]:
    """A `columns` parameter for read_csv that reads every column as text."""
    return dict.fromkeys(columns, "VARCHAR")


def set_variables(con: duckdb.DuckDBPyConnection, **values: Any) -> None:
    """Session variables for SQL composed in the code to read with getvariable('name')."""
    for name, value in values.items():
        if not name.isidentifier():
            raise ValueError(f"not a variable name: {name!r}")
        con.execute(compose("SET VARIABLE {name} = ?", name=Sql(name)), [value])


def parquet_view(
    con: duckdb.DuckDBPyConnection, name: str, path: str, *, hive: bool = False
) -> Sql:
    """A temporary view `name` over the Parquet file(s) at `path` (a glob), the path going to
    DuckDB as a parameter. Returns the view's quoted name."""
    relation = con.sql(
        "SELECT * FROM read_parquet(?, hive_partitioning = ?, hive_types_autocast = false)",
        params=[path, hive],
    )
    relation.create_view(name, replace=True)
    return ident(name)


def copy_to_parquet(
    con: duckdb.DuckDBPyConnection,
    query: Sql,
    path: str,
    *,
    params: list[Any] | None = None,
    partition_by: tuple[str, ...] = (),
) -> None:
    """Write a query's rows as Parquet at `path` (a file, or a folder when partitioned)."""
    options = "FORMAT parquet, COMPRESSION zstd"
    if partition_by:
        options += ", PARTITION_BY (" + join(ident(c) for c in partition_by) + ")"
        options += ", OVERWRITE_OR_IGNORE"
    con.execute(
        compose("COPY ({query}) TO ? ({options})", query=query, options=Sql(options)),
        [*(params or []), path],
    )
