"""Writes for performance data: create an import, run it (all or nothing), refresh coverage.

`data_import_run` stages every file in the warehouse first (nothing visible yet); only when
every file has been read does it, in one database transaction, record the catalogue and swap
the staged partitions into place. Any failure leaves the warehouse and the catalogue as they
were, and the import is marked failed with a message naming the file, line and field.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from policeplan.core import dates, warehouse_sync
from policeplan.core.faults import database_unreachable
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.performance import geography, series
from policeplan.performance.models import (
    Area,
    DataImport,
    DatasetCoverage,
    ImportedFile,
    ImportKind,
    ImportStatus,
)
from policeplan.warehouse import anomalies, archives, importers
from policeplan.warehouse.archives import SourceFile
from policeplan.warehouse.errors import FileRejected
from policeplan.warehouse.police_uk import FileResult
from policeplan.warehouse.sql import compose
from policeplan.warehouse.store import DATASETS as WAREHOUSE_DATASETS
from policeplan.warehouse.store import Warehouse

Progress = Callable[[float, str], None]

logger = logging.getLogger("policeplan.performance")


def warehouse() -> Warehouse:
    """This machine's warehouse, first brought up to the file storage's when that holds the
    warehouse (WAREHOUSE_SYNC). If the store cannot be read, the local copy serves (stale
    figures for a while rather than none), and the failure is logged."""
    root = Path(settings.WAREHOUSE_ROOT)
    if warehouse_sync.enabled():
        try:
            warehouse_sync.refresh(root)
        except Exception:
            logger.exception("The warehouse could not be refreshed from the file storage")
    return Warehouse(root)


def _warehouse_published(wh: Warehouse) -> None:
    """After a change to the local warehouse (committed with the catalogue): publish it to
    the file storage, if it is kept there. If the store cannot take it now, the change stays
    here and the next publication carries it (logged; `/readyz` shows the storage down)."""
    if not warehouse_sync.enabled():
        return
    try:
        warehouse_sync.publish(wh.root)
    except Exception:
        logger.exception("The warehouse could not be published to the file storage")


@transaction.atomic
def data_import_create(
    *,
    user: Any,
    kind: str,
    paths: list[Path],
    source: str = "",
    upload_dir: str = "",
    names: list[str] | None = None,
    stored: list[str] | None = None,
) -> DataImport:
    """Record an import waiting to run (the job, or the command, then runs it). `names` are
    the names the files' owner gave them (uploads are stored under names the server makes);
    by default the paths' own names. `stored`: the files are in the file storage under these
    names (uploads: the worker that runs the import fetches them, wherever it runs), and
    `upload_dir` is their folder there; otherwise `paths` are files on this machine."""
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
        summary={
            "paths": [str(p) for p in paths],
            "names": list(names) if names is not None else [p.name for p in paths],
            **({"stored": list(stored)} if stored else {}),
        },
    )
    audit_record(
        actor=user, action="data_import.create", obj=data_import, changes={"kind": [None, kind]}
    )
    return data_import


def _already_imported(sha256: str) -> tuple[str, str] | None:
    """(dataset, why it is skipped) for a file identical to one imported before."""
    previous = (
        ImportedFile.objects.filter(
            sha256=sha256, data_import__status=ImportStatus.SUCCEEDED, skipped_reason=""
        )
        .select_related("data_import")
        .order_by("-data_import__finished_at")
        .first()
    )
    if previous is None:
        return None
    imported_on = dates.day(previous.data_import.finished_at)
    return previous.dataset, (
        f"identical to the file imported on {imported_on} (import #{previous.data_import_id})"
    )


class OfficeGeography:
    """The office's areas, as the warehouse importers see them (importers.Geography)."""

    def office_forces(self) -> set[str]:
        return {f.code for f in geography.config()}

    def borough_codes(self) -> dict[str, str]:
        return geography.borough_name_keys()

    def lad_codes(self) -> set[str]:
        return geography.lad_codes()

    def lookup_apply(self, rows: list[Any]) -> dict[str, int]:
        return geography.geography_apply_lookup(rows=rows)

    def population_apply(self, rows: list[Any], source: str, file: str) -> dict[str, Any]:
        return geography.population_apply(rows=rows, source=source, file=file)

    def tiles_apply(self, tiles: list[Any], file: str) -> dict[str, int]:
        return geography.tiles_apply(tiles=tiles, file=file)

    def boundaries_apply(self, found: list[Any], file: str) -> dict[str, int]:
        return geography.boundaries_apply(boundaries=found, file=file)

    def publish(self, staging_dir: Path, con: Any) -> None:
        geography.geography_publish(folder=staging_dir, con=con)


def _record(data_import: DataImport, result: FileResult) -> None:
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
        vintage=result.vintage[:40],
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
    with warehouse_sync.writing():
        return _geography_configure(user=user)


def _geography_configure(*, user: Any) -> int:
    wh = _warehouse_for_writing()
    con = wh.connect()
    try:
        with wh.staging() as staging:
            with transaction.atomic():
                geography.geography_apply_lookup(rows=[])
                geography.geography_publish(folder=staging.dir, con=con)
                tiles = geography.configured_tiles()
                if tiles and not Area.objects.filter(tile_x__isnull=False).exists():
                    geography.tiles_apply(tiles=tiles, file="the geography configuration")
                staging.swap()
                audit_record(actor=user, action="geography.configure")
            staging.finish()
        _warehouse_published(wh)
    finally:
        con.close()
    return len(geography.lad_codes())


def _warehouse_for_writing() -> Warehouse:
    """The warehouse as the store last had it (the caller holds the writer's turn)."""
    root = Path(settings.WAREHOUSE_ROOT)
    if warehouse_sync.enabled():
        warehouse_sync.refresh(root, force=True)
    return Warehouse(root)


def data_import_run(*, data_import_id: int, progress: Progress | None = None) -> DataImport:
    """Run a queued import to the end: succeeded with every file recorded, or failed with
    nothing changed."""
    with warehouse_sync.writing():
        try:
            _warehouse_for_writing()
        except Exception:
            logger.exception("The warehouse could not be refreshed before an import")
            data_import = DataImport.objects.get(pk=data_import_id)
            _fail(
                data_import,
                "The crime data store could not be reached, so nothing was imported or "
                "changed. Try again later; if it keeps happening, tell the service's "
                "administrators.",
            )
            _clear_upload(data_import)
            data_import.refresh_from_db()
            return data_import
        return _data_import_run(data_import_id=data_import_id, progress=progress)


def _data_import_run(*, data_import_id: int, progress: Progress | None) -> DataImport:
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

    wh = Warehouse(Path(settings.WAREHOUSE_ROOT))  # refreshed by the caller
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    workdir = Path(tempfile.mkdtemp(prefix="policeplan-import-"))
    con = wh.connect()
    keep_upload = False
    try:
        importer = importers.REGISTRY[data_import.kind]
        office = OfficeGeography()
        stored = data_import.summary.get("stored") or []
        if stored:  # uploads, in the file storage: fetched into this worker's own folder
            paths = _fetch(stored, workdir / "fetched")
        else:
            paths = [Path(p) for p in data_import.summary.get("paths", [])]
        names = data_import.summary.get("names") or [p.name for p in paths]
        files = archives.expand(
            [SourceFile(p, n) for p, n in zip(paths, names, strict=True)],
            workdir,
            suffixes=importer.suffixes,
            wanted=lambda name: importer.wanted(name, office),
            what=importer.what,
        )
        before = series.spans_read(con, wh, data_import.kind)
        with wh.staging() as staging:
            ctx = importers.Context(
                con=con, warehouse=wh, staging_dir=staging.dir, geography=office
            )
            results = importers.stage_all(
                importer, ctx, files, progress=report, already_imported=_already_imported
            )
            lap("read_and_check")
            report(0.95, "Saving")
            with transaction.atomic():
                importer.apply(ctx, results)
                for result in results:
                    _record(data_import, result)
                staging.swap()
            lap("save")
            staging.finish()
        _warehouse_published(wh)
        datasets = importer.datasets([r for r in results if r.dataset])
        report(0.98, "Checking the months for gaps and anomalies")
        coverage_refresh(datasets=datasets)
        unmapped = series.import_categories_review(
            before=before, after=series.spans_read(con, wh, data_import.kind)
        )
        lap("coverage")
        if importer.recompute:
            from policeplan.performance.measures import measures_recompute

            report(0.99, "Recomputing the plan's measures")
            months: dict[str, set[str]] = {}
            for result in results:
                if not result.skipped:
                    months.setdefault(result.dataset, set()).update(result.months)
            measures_recompute(datasets=datasets, months=months)
            lap("measures")
        totals = {**_totals(results), "seconds": timings, "unmapped": unmapped}
        DataImport.objects.filter(pk=data_import.pk).update(
            status=ImportStatus.SUCCEEDED,
            finished_at=timezone.now(),
            progress=100,
            stage="Done",
            summary={**data_import.summary, **totals},
        )
    except FileRejected as error:
        _fail(data_import, str(error))
    except Exception as error:  # the import fails whole whatever went wrong
        if database_unreachable(error):
            # A passing fault (the database went away): nothing was changed, and the job
            # worker runs the import again, so the uploaded files must still be there.
            keep_upload = True
            raise
        # The error itself goes to the log (raised on), never to the page: it may quote a
        # library's internals or a server path.
        _fail(
            data_import,
            "The import stopped unexpectedly and nothing was changed. This is a fault in the "
            "service, not in your files: tell the service's administrators (the details are in "
            "its log).",
        )
        raise
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)
        if not keep_upload:
            _clear_upload(data_import)
    data_import.refresh_from_db()
    with transaction.atomic():
        audit_record(
            actor=data_import.created_by,
            action=f"data_import.{data_import.status}",
            obj=data_import,
            changes={"files": [None, str(data_import.files.count())]},
        )
    return data_import


def _fetch(names: list[str], folder: Path) -> list[Path]:
    """Copy files from the file storage into a local folder; their local paths."""
    from django.core.files.storage import default_storage

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, name in enumerate(names):
        local = folder / f"{index:03d}{PurePosixPath(name).suffix}"
        with default_storage.open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        paths.append(local)
    return paths


def _clear_upload(data_import: DataImport) -> None:
    """Remove the uploaded files once the import has finished, done or failed for good."""
    stored = data_import.summary.get("stored") or []
    if stored:
        from django.core.files.storage import default_storage

        for name in stored:
            default_storage.delete(name)
    elif data_import.upload_dir:  # files on this machine (imports from before storage)
        shutil.rmtree(data_import.upload_dir, ignore_errors=True)


def _fail(data_import: DataImport, message: str) -> None:
    ImportedFile.objects.filter(data_import=data_import).delete()
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        error=message[:5000],
        stage="Stopped",
    )


def _totals(results: list[FileResult]) -> dict[str, Any]:
    return {
        "files": len(results),
        "files_skipped": sum(1 for r in results if r.skipped),
        "rows_read": sum(r.rows_read for r in results),
        "rows_accepted": sum(r.rows_accepted for r in results),
        "rows_rejected": sum(r.rows_rejected for r in results),
    }
