"""One importer per kind of file, behind one small interface: read → check → stage → apply.

`stage` reads one file, checks every row and writes what it accepts to the staging folder (or
keeps the parsed rows for `apply`), returning a FileResult that says what it found; it raises
FileRejected, naming the file, line and field, for a file that cannot be used. `apply` runs
inside the application's transaction once every file has been staged, and hands rows that
belong in the application (areas, populations, tiles, boundaries) to the `Geography` it is
given. The application looks an importer up in REGISTRY by kind and runs them all alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

import duckdb

from policeplan.warehouse import boundaries, csvfile, mps_crime, ons, pas, police_uk
from policeplan.warehouse.archives import SourceFile
from policeplan.warehouse.errors import FileRejected, Problem
from policeplan.warehouse.police_uk import FileResult
from policeplan.warehouse.store import Warehouse


class Geography(Protocol):
    """What the application offers importers: its areas, and the writes that change them."""

    def office_forces(self) -> set[str]: ...
    def borough_codes(self) -> dict[str, str]: ...
    def lad_codes(self) -> set[str]: ...
    def lookup_apply(self, rows: list[ons.LookupRow]) -> dict[str, int]: ...
    def population_apply(
        self, rows: list[ons.PopulationRow], source: str, file: str
    ) -> dict[str, Any]: ...
    def tiles_apply(self, tiles: list[ons.Tile], file: str) -> dict[str, int]: ...
    def boundaries_apply(self, found: list[boundaries.Boundary], file: str) -> dict[str, int]: ...
    def publish(self, staging_dir: Path, con: duckdb.DuckDBPyConnection) -> None: ...


@dataclass
class Context:
    con: duckdb.DuckDBPyConnection
    warehouse: Warehouse
    staging_dir: Path
    geography: Geography
    facts: dict[str, Any] = field(default_factory=dict)  # what `prepare` found, for `stage`


class Importer:
    kind: ClassVar[str]
    suffixes: ClassVar[frozenset[str]] = frozenset({".csv"})
    what: ClassVar[str] = "CSV"  # the files, as a message names them
    skip_identical: ClassVar[bool] = True  # an identical file imported before is skipped
    recompute: ClassVar[bool] = True  # the plan's measures are recomputed afterwards
    # Published as CSV ending with a line break: a file without one was cut short.
    ends_with_line_break: ClassVar[bool] = True

    def wanted(self, name: str, geography: Geography) -> bool:
        """Whether a file of this name, found in an archive, is one to read."""
        return True

    def prepare(self, ctx: Context, first: SourceFile) -> None:
        """Look up, once per import, what staging each file needs."""

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        raise NotImplementedError

    def apply(self, ctx: Context, results: list[FileResult]) -> None:
        """Inside the application's transaction, after every file has been staged."""

    def datasets(self, results: list[FileResult]) -> set[str]:
        return {r.dataset for r in results}


class PoliceUk(Importer):
    kind = "police-uk"

    def wanted(self, name: str, geography: Geography) -> bool:
        match = police_uk.FILE_NAME.search(name)
        return not match or match.group("force") in geography.office_forces()

    def prepare(self, ctx: Context, first: SourceFile) -> None:
        ctx.facts["has_lookup"] = ctx.warehouse.has_lookup()
        if ctx.facts["has_lookup"]:
            ctx.warehouse.lookup(ctx.con, "lsoa")

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        return police_uk.stage_file(
            ctx.con,
            file.path,
            ctx.staging_dir,
            file_id=file_id,
            has_lookup=ctx.facts["has_lookup"],
            name=file.name,
        )


class _ByBorough(Importer):
    def prepare(self, ctx: Context, first: SourceFile) -> None:
        ctx.facts["boroughs"] = ctx.geography.borough_codes()
        if not ctx.facts["boroughs"]:
            raise FileRejected(
                first.name, "load the ONS lookup first, so that boroughs can be recognised"
            )


class MpsCrime(_ByBorough):
    kind = "mps-crime"
    suffixes = frozenset({".csv", ".parquet"})

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        return mps_crime.stage_file(
            ctx.con,
            file.path,
            ctx.staging_dir,
            borough_codes=ctx.facts["boroughs"],
            file_id=file_id,
            name=file.name,
        )


class Pas(_ByBorough):
    kind = "pas"

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        return pas.stage_file(
            ctx.con,
            file.path,
            ctx.staging_dir,
            borough_codes=ctx.facts["boroughs"],
            file_id=file_id,
            name=file.name,
        )


class _Geographic(Importer):
    """Files whose rows become the application's areas rather than warehouse records."""

    skip_identical = False

    def _result(self, file: SourceFile, dataset: str, payload: Any, vintage: str) -> FileResult:
        rows = len(payload[0]) if isinstance(payload, tuple) else len(payload)
        return FileResult(
            file=file.name,
            dataset=dataset,
            sha256=csvfile.sha256(file.path),
            rows_read=rows,
            rows_accepted=rows,
            vintage=vintage,
            payload=payload,
        )


class OnsLookup(_Geographic):
    kind = "ons-lookup"
    recompute = False

    def prepare(self, ctx: Context, first: SourceFile) -> None:
        ctx.facts["lads"] = ctx.geography.lad_codes()

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        rows = ons.read_lookup(file.path, ctx.facts["lads"], file.name)
        return self._result(file, "geography", rows, ons.lookup_kind(file.path, file.name))

    def apply(self, ctx: Context, results: list[FileResult]) -> None:
        for result in results:
            ctx.geography.lookup_apply(result.payload)
        ctx.geography.publish(ctx.staging_dir, ctx.con)


class Population(_Geographic):
    kind = "population"

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        rows, source = ons.read_population(file.path, file.name)
        result = self._result(file, "population", rows, source)
        result.payload = (rows, source)
        return result

    def apply(self, ctx: Context, results: list[FileResult]) -> None:
        for result in results:
            rows, source = result.payload
            counts = ctx.geography.population_apply(rows, source, result.file)
            result.rows_accepted = counts["matched"]
            result.rows_rejected = result.rows_read - counts["matched"]
            if result.rows_rejected:
                result.problems.append(
                    _problem(
                        "area is not one of the office's (row not stored)",
                        "LSOA11CD" if rows and rows[0].level == "lsoa" else "borough",
                        result.rows_rejected,
                        list(counts.get("unknown_lines", [])),
                    )
                )
            refuse_if_nothing_accepted(result)


class TileGrid(_Geographic):
    kind = "tile-grid"
    recompute = False
    ends_with_line_break = False  # layouts are written by hand (London Squared's has none)

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        return self._result(
            file, "geography", ons.read_tile_grid(file.path, file.name), "tile grid"
        )

    def apply(self, ctx: Context, results: list[FileResult]) -> None:
        for result in results:
            counts = ctx.geography.tiles_apply(result.payload, result.file)
            result.rows_accepted = counts["placed"]


class Boundaries(_Geographic):
    kind = "boundaries"
    suffixes = frozenset({".geojson", ".json"})
    what = "GeoJSON"
    recompute = False
    ends_with_line_break = False

    def stage(self, ctx: Context, file: SourceFile, file_id: int) -> FileResult:
        found = boundaries.read_boundaries(file.path, file.name)
        return self._result(file, "geography", found, "boundaries")

    def apply(self, ctx: Context, results: list[FileResult]) -> None:
        for result in results:
            counts = ctx.geography.boundaries_apply(result.payload, result.file)
            result.rows_accepted = counts["matched"]


REGISTRY: dict[str, Importer] = {
    importer.kind: importer
    for importer in (
        OnsLookup(),
        Population(),
        TileGrid(),
        Boundaries(),
        PoliceUk(),
        MpsCrime(),
        Pas(),
    )
}


def _problem(kind: str, field_name: str, count: int, lines: list[int]) -> Problem:
    return Problem(kind, field_name, True, count, lines[:20])


def refuse_if_nothing_accepted(result: FileResult) -> None:
    """A file that had rows but whose every row was rejected fails the import, saying why."""
    if result.skipped or result.rows_read == 0 or result.rows_accepted > 0:
        return
    reasons = [p for p in result.problems if p.rejected] or result.problems
    if reasons:
        top = max(reasons, key=lambda p: p.count)
        lines = ", ".join(str(n) for n in top.lines[:5])
        why = f"{top.count:,} {top.kind} (field ‘{top.field}’" + (
            f"; line{'s' if len(top.lines) > 1 else ''} {lines}"
            f"{'…' if top.count > len(top.lines[:5]) else ''})"
            if lines
            else ")"
        )
    else:
        why = "no row could be used"
    raise FileRejected(
        result.file, f"every one of the {result.rows_read:,} rows was rejected: {why}"
    )


def check_together(results: list[FileResult]) -> None:
    """Refuse two files of one import that hold the same dataset, scope and month."""
    claimed: dict[tuple[str, str, str], str] = {}
    for result in results:
        for month in result.months:
            for scope in result.forces:
                key = (result.dataset, scope, month)
                if key in claimed:
                    raise FileRejected(
                        result.file,
                        f"{claimed[key]} in the same import also holds {result.dataset} "
                        f"for {scope}, {month}. Import one file per month at a time: "
                        "a later file replaces an earlier one",
                    )
                claimed[key] = result.file


def stage_all(
    importer: Importer,
    ctx: Context,
    files: list[SourceFile],
    *,
    progress: Callable[[float, str], None],
    already_imported: Callable[[str], tuple[str, str] | None],
) -> list[FileResult]:
    """Read, check and stage every file; refuse the import if any file is refused."""
    importer.prepare(ctx, files[0])
    results: list[FileResult] = []
    for index, file in enumerate(files):
        progress(index / len(files), f"Reading {file.name}")
        if importer.skip_identical:
            sha = csvfile.sha256(file.path)
            if previous := already_imported(sha):
                dataset, reason = previous
                results.append(
                    FileResult(file=file.name, dataset=dataset, sha256=sha, skipped=reason)
                )
                continue
        if importer.ends_with_line_break and file.path.suffix.lower() == ".csv":
            csvfile.refuse_cut_short(file.path, name=file.name)
        result = importer.stage(ctx, file, index)
        refuse_if_nothing_accepted(result)
        results.append(result)
    check_together(results)
    return results
