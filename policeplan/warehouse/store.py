"""Where the warehouse keeps its Parquet files, and how a change lands all at once.

Layout (Hive partitions, readable by DuckDB, Spark or Trino unchanged):

    <root>/street/force=metropolitan/month=2024-01/data_0.parquet
    <root>/mps_crime/level=borough/scheme=current/month=2024-01/data_0.parquet
    <root>/pas/quarter=2023-12-31/data_0.parquet
    <root>/geography/table=lsoa/data.parquet

An import writes everything to a staging folder first. `Staging.swap()` then moves each
staged partition into place, keeping the partition it replaces aside; if anything fails the
swap is undone, and the replaced partitions are deleted only when the caller says the
catalogue has committed. A failed import therefore leaves the warehouse exactly as it was.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from policeplan.warehouse.sql import Sql, parquet_view

DATASETS = ("street", "outcomes", "stop_search", "mps_crime", "pas", "geography")


class Warehouse:
    def __init__(self, root: Path, *, threads: int | None = None) -> None:
        self.root = Path(root)
        self.threads = threads

    def connect(self) -> duckdb.DuckDBPyConnection:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / ".tmp"
        tmp.mkdir(exist_ok=True)
        config: dict[str, str | bool | int | float | list[str]] = {
            "preserve_insertion_order": True,
            "temp_directory": tmp.as_posix(),
        }
        if self.threads:
            config["threads"] = int(self.threads)
        return duckdb.connect(config=config)

    def path(self, dataset: str) -> Path:
        if dataset not in DATASETS:
            raise ValueError(f"Unknown dataset {dataset!r}")
        return self.root / dataset

    def has(self, dataset: str) -> bool:
        return any(self.path(dataset).glob("**/*.parquet"))

    def scan(self, con: duckdb.DuckDBPyConnection, dataset: str) -> Sql:
        """The quoted name of a view (made now) that reads a whole dataset, partition columns
        included. The dataset's path goes to DuckDB as a parameter, never as SQL text."""
        glob = (self.path(dataset) / "**" / "*.parquet").as_posix()
        return parquet_view(con, f"warehouse_{dataset}", glob, hive=True)

    def has_lookup(self) -> bool:
        return (self.path("geography") / "table=lsoa" / "data.parquet").exists()

    def lookup(self, con: duckdb.DuckDBPyConnection, table: str) -> Sql:
        """The quoted name of a view over one geography lookup table ('lsoa' or 'borough')."""
        if table not in {"lsoa", "borough"}:
            raise ValueError(f"Unknown lookup table {table!r}")
        path = self.path("geography") / f"table={table}" / "data.parquet"
        return parquet_view(con, f"lookup_{table}", path.as_posix())

    def partitions(self, dataset: str) -> list[dict[str, str]]:
        """The partitions a dataset holds, as {key: value} dicts."""
        out = []
        for leaf in sorted({p.parent for p in self.path(dataset).glob("**/*.parquet")}):
            parts = leaf.relative_to(self.path(dataset)).parts
            out.append(dict(part.split("=", 1) for part in parts if "=" in part))
        return out

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        staging = Staging(self)
        try:
            yield staging
        except BaseException:
            staging.undo()
            raise
        finally:
            staging.discard_staged()


class Staging:
    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.id = uuid.uuid4().hex
        self.dir = warehouse.root / ".staging" / self.id
        self.trash = warehouse.root / ".trash" / self.id
        self.dir.mkdir(parents=True)
        self._swapped: list[tuple[Path, Path | None]] = []  # (target, where the old one went)

    def target(self, dataset: str) -> Path:
        path = self.dir / dataset
        path.mkdir(parents=True, exist_ok=True)
        return path

    def staged_partitions(self) -> list[Path]:
        """Leaf folders holding Parquet files, relative to the staging folder."""
        return sorted({p.parent.relative_to(self.dir) for p in self.dir.glob("**/*.parquet")})

    def swap(self) -> list[str]:
        """Move every staged partition into place. Undone on failure. Returns what changed."""
        changed = []
        try:
            for rel in self.staged_partitions():
                target = self.warehouse.root / rel
                old = None
                if target.exists():
                    old = self.trash / rel
                    old.parent.mkdir(parents=True, exist_ok=True)
                    target.rename(old)
                target.parent.mkdir(parents=True, exist_ok=True)
                (self.dir / rel).rename(target)
                self._swapped.append((target, old))
                changed.append(rel.as_posix())
        except BaseException:
            self.undo()
            raise
        return changed

    def undo(self) -> None:
        """Put back every partition this staging replaced."""
        for target, old in reversed(self._swapped):
            if target.exists():
                shutil.rmtree(target)
            if old is not None and old.exists():
                old.rename(target)
        self._swapped.clear()
        shutil.rmtree(self.trash, ignore_errors=True)

    def finish(self) -> None:
        """The catalogue has committed: the replaced partitions can go."""
        self._swapped.clear()
        shutil.rmtree(self.trash, ignore_errors=True)

    def discard_staged(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
