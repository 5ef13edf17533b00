"""Writes for performance data: create an import, run it (all or nothing), refresh coverage.

`data_import_run` stages every file in the warehouse first (nothing visible yet); only when
every file has been read does it, in one database transaction, record the catalogue and swap
the staged partitions into place. Any failure leaves the warehouse and the catalogue as they
were, and the import is marked failed with a message naming the file, line and field.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.performance import geography
from policeplan.performance.models import (
    Area,
    DataImport,
    DatasetCoverage,
    ImportedFile,
    ImportKind,
    ImportStatus,
)
from policeplan.warehouse import anomalies, boundaries, mps_crime, ons, pas, police_uk
from policeplan.warehouse.errors import FileRejected
from policeplan.warehouse.police_uk import FileResult
from policeplan.warehouse.sql import compose
from policeplan.warehouse.store import DATASETS as WAREHOUSE_DATASETS
from policeplan.warehouse.store import Staging, Warehouse

Progress = Callable[[float, str], None]


def warehouse() -> Warehouse:
    return Warehouse(Path(settings.WAREHOUSE_ROOT))


@transaction.atomic
def data_import_create(
    *, user: Any, kind: str, paths: list[Path], source: str = "", upload_dir: str = ""
) -> DataImport:
    """Record an import waiting to run (the job, or the command, then runs it)."""
    if user is not None:
        ensure(user, Perm.IMPORT_DATA)
    if kind not in ImportKind.values:
        raise ValueError(
            f"Unknown kind of import ‘{kind}’: choose one of {', '.join(ImportKind.values)}"
        )
    data_import = DataImport.objects.create(
        kind=kind,
        source=(source or ", ".join(str(p) for p in paths))[:500],
        upload_dir=upload_dir,
        created_by=user,
        summary={"paths": [str(p) for p in paths]},
    )
    audit_record(
        actor=user, action="data_import.create", obj=data_import, changes={"kind": [None, kind]}
    )
    return data_import


def _expand(paths: list[Path], workdir: Path, kind: str) -> list[Path]:
    """Files from paths, folders (recursively) and zip archives, in name order."""
    suffixes = {".geojson", ".json"} if kind == ImportKind.BOUNDARIES else {".csv", ".parquet"}
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise FileRejected(path.name, f"no such file or folder: {path}")
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file()
            )
        elif path.suffix.lower() == ".zip":
            files += _from_zip(path, workdir, kind)
        else:
            files.append(path)
    if not files:
        wanted = "GeoJSON" if kind == ImportKind.BOUNDARIES else "CSV"
        raise FileRejected(
            ", ".join(p.name for p in paths), f"no {wanted} files were found to import"
        )
    return sorted(files, key=lambda p: p.name)


def _from_zip(path: Path, workdir: Path, kind: str) -> list[Path]:
    """The CSVs in a zip; for a data.police.uk archive, only the office's forces' files."""
    forces = {f.code for f in geography.config()}
    out: list[Path] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = Path(info.filename).name
                if not name.lower().endswith(".csv"):
                    continue
                match = police_uk.FILE_NAME.search(name)
                if kind == ImportKind.POLICE_UK and match and match.group("force") not in forces:
                    continue
                target = workdir / f"{len(out):05d}" / name
                target.parent.mkdir(parents=True)
                with archive.open(info) as source, target.open("wb") as dest:
                    shutil.copyfileobj(source, dest)
                out.append(target)
    except zipfile.BadZipFile:
        raise FileRejected(path.name, "the zip archive is damaged or incomplete") from None
    if not out:
        raise FileRejected(path.name, "the archive holds no files for the office's forces")
    return out


def _already_imported(sha256: str, dataset_hint: str = "") -> ImportedFile | None:
    return (
        ImportedFile.objects.filter(
            sha256=sha256, data_import__status=ImportStatus.SUCCEEDED, skipped_reason=""
        )
        .select_related("data_import")
        .order_by("-data_import__finished_at")
        .first()
    )


def _stage_all(
    data_import: DataImport, files: list[Path], staging: Staging, con: Any, progress: Progress
) -> list[FileResult]:
    kind = data_import.kind
    results: list[FileResult] = []
    has_lookup = (warehouse().path("geography") / "table=lsoa" / "data.parquet").exists()
    if has_lookup and kind == ImportKind.POLICE_UK:
        warehouse().lookup(con, "lsoa")
    boroughs = (
        geography.borough_name_keys() if kind in {ImportKind.MPS_CRIME, ImportKind.PAS} else {}
    )
    if kind in {ImportKind.MPS_CRIME, ImportKind.PAS} and not boroughs:
        raise FileRejected(
            files[0].name, "load the ONS lookup first, so that boroughs can be recognised"
        )
    claimed: dict[tuple[str, str, str], str] = {}
    for index, path in enumerate(files):
        progress(index / len(files), f"Reading {path.name}")
        sha = police_uk.csvfile.sha256(path)
        previous = _already_imported(sha)
        if previous is not None:
            imported_on = f"{previous.data_import.finished_at:%d %B %Y}"
            results.append(
                FileResult(
                    file=path.name,
                    dataset=previous.dataset,
                    sha256=sha,
                    skipped=(
                        f"identical to the file imported on {imported_on} "
                        f"(import #{previous.data_import_id})"
                    ),
                )
            )
            continue
        if kind == ImportKind.POLICE_UK:
            result = police_uk.stage_file(
                con, path, staging.dir, file_id=index, has_lookup=has_lookup
            )
        elif kind == ImportKind.MPS_CRIME:
            result = mps_crime.stage_file(
                con, path, staging.dir, borough_codes=boroughs, file_id=index
            )
        else:
            result = pas.stage_file(con, path, staging.dir, borough_codes=boroughs, file_id=index)
        for month in result.months:
            for scope in result.forces:
                key = (result.dataset, scope, month)
                if key in claimed:
                    raise FileRejected(
                        path.name,
                        f"{claimed[key]} in the same import also holds {result.dataset} "
                        f"for {scope}, {month}. Import one file per month at a time: "
                        "a later file replaces an earlier one",
                    )
                claimed[key] = path.name
        results.append(result)
    return results


def _apply_geography(
    data_import: DataImport, files: list[Path], staging: Staging, con: Any, progress: Progress
) -> list[dict]:
    results = []
    lads = geography.lad_codes()
    for index, path in enumerate(files):
        progress(index / len(files), f"Reading {path.name}")
        if data_import.kind == ImportKind.ONS_LOOKUP:
            rows = ons.read_lookup(path, lads)
            counts = geography.geography_apply_lookup(rows=rows)
            results.append(
                {
                    "file": path.name,
                    "dataset": "geography",
                    "rows_read": len(rows),
                    "rows_accepted": len(rows),
                    **counts,
                    "vintage": ons.lookup_kind(path),
                    "sha256": police_uk.csvfile.sha256(path),
                }
            )
        elif data_import.kind == ImportKind.BOUNDARIES:
            found = boundaries.read_boundaries(path)
            counts = geography.boundaries_apply(boundaries=found, file=path.name)
            results.append(
                {
                    "file": path.name,
                    "dataset": "geography",
                    "rows_read": len(found),
                    "rows_accepted": counts["matched"],
                    "vintage": "boundaries",
                    "sha256": police_uk.csvfile.sha256(path),
                }
            )
        elif data_import.kind == ImportKind.TILE_GRID:
            tiles = ons.read_tile_grid(path)
            counts = geography.tiles_apply(tiles=tiles, file=path.name)
            results.append(
                {
                    "file": path.name,
                    "dataset": "geography",
                    "rows_read": len(tiles),
                    "rows_accepted": counts["placed"],
                    "vintage": "tile grid",
                    "sha256": police_uk.csvfile.sha256(path),
                }
            )
        else:
            rows_p, source = ons.read_population(path)
            counts = geography.population_apply(rows=rows_p, source=source, file=path.name)
            results.append(
                {
                    "file": path.name,
                    "dataset": "population",
                    "rows_read": len(rows_p),
                    "rows_accepted": counts["matched"],
                    "vintage": source,
                    "sha256": police_uk.csvfile.sha256(path),
                }
            )
    if data_import.kind == ImportKind.ONS_LOOKUP:
        geography.geography_publish(staging=staging, con=con)
    return results


def _record(data_import: DataImport, result: FileResult | dict) -> None:
    if isinstance(result, dict):
        ImportedFile.objects.create(
            data_import=data_import,
            dataset=result["dataset"],
            file_name=result["file"],
            sha256=result["sha256"],
            rows_read=result["rows_read"],
            rows_accepted=result["rows_accepted"],
            vintage=result.get("vintage", "")[:40],
        )
        return
    ImportedFile.objects.create(
        data_import=data_import,
        dataset=result.dataset,
        file_name=result.file,
        sha256=result.sha256,
        rows_read=result.rows_read,
        rows_accepted=result.rows_accepted,
        rows_rejected=result.rows_rejected,
        rows_no_location=result.rows_no_location,
        months=result.months,
        forces=result.forces,
        problems=[p.as_dict() for p in result.problems],
        vintage=result.vintage,
        skipped_reason=result.skipped,
    )


# Rows of (scope, month, count) per dataset, from the view over it that fills {scan}.
COVERAGE_SQL = {
    "street": "SELECT force, month, count(*) FROM {scan} GROUP BY ALL",
    "outcomes": "SELECT force, month, count(*) FROM {scan} GROUP BY ALL",
    "stop_search": "SELECT force, month, count(*) FROM {scan} GROUP BY ALL",
    "mps_crime": (
        "SELECT level || ', ' || scheme || ' scheme', month, sum(count) FROM {scan} GROUP BY ALL"
    ),
    "pas": "SELECT area_level, quarter, count(*) FROM {scan} GROUP BY ALL",
}


def coverage_refresh(*, datasets: set[str]) -> None:
    """Recompute months, counts and anomalies for the datasets an import touched."""
    wh = warehouse()
    con = wh.connect()
    try:
        for dataset in datasets:
            if dataset not in WAREHOUSE_DATASETS or not wh.has(dataset):
                continue
            last_dates: dict[tuple[str, str], dict[str, Any]] = {}
            if dataset not in COVERAGE_SQL:
                continue
            scan = wh.scan(con, dataset)
            rows = con.execute(compose(COVERAGE_SQL[dataset], scan=scan)).fetchall()
            if dataset == "stop_search":
                for force, month, last in con.execute(
                    compose(
                        "SELECT force, month, max(occurred_at)::DATE FROM {scan} GROUP BY ALL",
                        scan=scan,
                    )
                ).fetchall():
                    last_dates.setdefault((dataset, force), {})[month] = last
            by_scope: dict[str, dict[str, int]] = {}
            for scope, month, count in rows:
                by_scope.setdefault(scope, {})[month] = int(count)
            DatasetCoverage.objects.filter(dataset=dataset).exclude(scope__in=by_scope).delete()
            for scope, counts in by_scope.items():
                found = (
                    anomalies.find(counts, last_dates=last_dates.get((dataset, scope)))
                    if dataset != "pas"
                    else []
                )
                if dataset == "pas":
                    found = [a for a in found if a["kind"] != "missing"]
                DatasetCoverage.objects.update_or_create(
                    dataset=dataset,
                    scope=scope,
                    defaults={"months": sorted(counts), "month_counts": counts, "anomalies": found},
                )
    finally:
        con.close()


def geography_configure(*, user: Any = None) -> int:
    """Forces, BCUs and boroughs from the geography configuration alone (no wards or LSOAs),
    published to the warehouse, and the configuration's tile map unless one was imported:
    enough for borough-level data such as the demonstration data. The ONS lookup adds wards
    and LSOAs later."""
    if user is not None:
        ensure(user, Perm.IMPORT_DATA)
    wh = warehouse()
    con = wh.connect()
    try:
        with wh.staging() as staging:
            with transaction.atomic():
                geography.geography_apply_lookup(rows=[])
                geography.geography_publish(staging=staging, con=con)
                tiles = geography.configured_tiles()
                if tiles and not Area.objects.filter(tile_x__isnull=False).exists():
                    geography.tiles_apply(tiles=tiles, file="the geography configuration")
                staging.swap()
                audit_record(actor=user, action="geography.configure")
            staging.finish()
    finally:
        con.close()
    return len(geography.lad_codes())


def data_import_run(*, data_import_id: int, progress: Progress | None = None) -> DataImport:
    """Run a queued import to the end: succeeded with every file recorded, or failed with
    nothing changed."""
    data_import = DataImport.objects.get(pk=data_import_id)
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), progress=0
    )

    def report(fraction: float, stage: str) -> None:
        DataImport.objects.filter(pk=data_import.pk).update(
            progress=min(99, int(fraction * 100)), stage=stage[:200]
        )
        if progress:
            progress(fraction, stage)

    wh = warehouse()
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    workdir = Path(tempfile.mkdtemp(prefix="policeplan-import-"))
    con = wh.connect()
    try:
        files = _expand(
            [Path(p) for p in data_import.summary.get("paths", [])], workdir, data_import.kind
        )
        with wh.staging() as staging:
            if data_import.kind in {
                ImportKind.ONS_LOOKUP,
                ImportKind.POPULATION,
                ImportKind.TILE_GRID,
                ImportKind.BOUNDARIES,
            }:
                with transaction.atomic():
                    results: list[Any] = _apply_geography(data_import, files, staging, con, report)
                    for result in results:
                        _record(data_import, result)
                    staging.swap()
                datasets = {
                    "geography" if data_import.kind == ImportKind.ONS_LOOKUP else "population"
                }
            else:
                results = _stage_all(data_import, files, staging, con, report)
                lap("read_and_check")
                report(0.95, "Saving")
                with transaction.atomic():
                    for result in results:
                        _record(data_import, result)
                    staging.swap()
                lap("save")
                datasets = {r.dataset for r in results}
            staging.finish()
        report(0.98, "Checking the months for gaps and anomalies")
        coverage_refresh(datasets=datasets)
        lap("coverage")
        if data_import.kind not in {
            ImportKind.ONS_LOOKUP,
            ImportKind.TILE_GRID,
            ImportKind.BOUNDARIES,
        }:
            from policeplan.performance.measures import measures_recompute

            report(0.99, "Recomputing the plan's measures")
            months: dict[str, set[str]] = {}
            for result in results:
                if isinstance(result, FileResult) and not result.skipped:
                    months.setdefault(result.dataset, set()).update(result.months)
            measures_recompute(datasets=datasets, months=months)
            lap("measures")
        totals = {**_totals(results), "seconds": timings}
        DataImport.objects.filter(pk=data_import.pk).update(
            status=ImportStatus.SUCCEEDED,
            finished_at=timezone.now(),
            progress=100,
            stage="Done",
            summary={**data_import.summary, **totals},
        )
    except FileRejected as error:
        _fail(data_import, str(error))
    except Exception as error:  # the import fails whole whatever went wrong; the message is kept
        _fail(data_import, f"The import stopped unexpectedly: {error}")
        raise
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)
        if data_import.upload_dir:
            shutil.rmtree(data_import.upload_dir, ignore_errors=True)
    data_import.refresh_from_db()
    with transaction.atomic():
        audit_record(
            actor=data_import.created_by,
            action=f"data_import.{data_import.status}",
            obj=data_import,
            changes={"files": [None, str(data_import.files.count())]},
        )
    return data_import


def _fail(data_import: DataImport, message: str) -> None:
    ImportedFile.objects.filter(data_import=data_import).delete()
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        error=message[:5000],
        stage="Stopped",
    )


def _totals(results: list[Any]) -> dict[str, Any]:
    def get(r: Any, name: str) -> int:
        return int(r.get(name, 0) if isinstance(r, dict) else getattr(r, name))

    return {
        "files": len(results),
        "files_skipped": sum(1 for r in results if getattr(r, "skipped", "")),
        "rows_read": sum(get(r, "rows_read") for r in results),
        "rows_accepted": sum(get(r, "rows_accepted") for r in results),
        "rows_rejected": sum(get(r, "rows_rejected") for r in results if not isinstance(r, dict)),
    }
