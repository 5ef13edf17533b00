"""Back up and restore everything the service holds, together: the database, uploaded files
and generated documents (the file storage), uploads waiting to be imported, and the crime
warehouse, with a manifest of counts and content hashes.

`policeplan backup DIR` writes into an empty (or new) folder:

- `database.jsonl`: every row, read in one transaction (a consistent snapshot; on
  PostgreSQL at REPEATABLE READ), with natural keys, so it loads into any fresh database
  migrated by the same version of policeplan (SQLite or PostgreSQL);
- `files/media/` (the file storage's files, read through it: a folder or an object store),
  `files/uploads/`, `files/warehouse/`: the files;
- `manifest.json`, written last (write then rename): the rows of each table, every file's
  size and SHA-256, the database file's SHA-256 and the migrations applied. A folder
  without it is a backup that did not finish.

`policeplan restore DIR` checks the whole backup first (manifest present, every file there
with its hash, migrations known to this code), then restores only into an empty database
(one no migration has touched) and empty storage: migrates, loads the rows in one
transaction, copies the files, and checks every count and hash again. Jobs that were
waiting at backup time are queued again if they only change the database (the restored
database is as it was before they ran), but jobs with an effect outside it (emails) are
held, recorded as failed with the reason, since the service may have sent them after the
backup was taken: restoring never sends an email twice.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "policeplan-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
# Not backed up: what is rebuilt or worthless after a restore (migrate makes the first two).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "core.sharedcacheentry",
    "core.scheduledrun",
    "axes",
]
HELD = "policeplan.core.backup.HeldAtRestore"

logger = logging.getLogger("policeplan.backup")


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass
class Report:
    rows: int = 0
    files: int = 0
    bytes: int = 0
    jobs_requeued: int = 0
    jobs_held: list[str] = field(default_factory=list)


PARTS = ("media", "uploads", "warehouse")


def roots() -> dict[str, Path]:
    """The local folders backed up, by name in the backup. The files of the file storage
    ("media": a folder, or an object store with S3_BUCKET) are read and written through the
    storage itself."""
    return {
        "uploads": Path(settings.UPLOAD_ROOT),
        "warehouse": Path(settings.WAREHOUSE_ROOT),
    }


def _storage_names(prefix: str = "") -> Iterator[str]:
    """Every file in the file storage, by name, sorted."""
    from django.core.files.storage import default_storage

    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for folder in sorted(folders):
        yield from _storage_names(f"{prefix}{folder}/")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _models() -> list[Any]:
    skip_apps = {e for e in EXCLUDED if "." not in e}
    skip_models = {e for e in EXCLUDED if "." in e}
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in skip_apps
        and m._meta.label_lower not in skip_models
        and m._meta.managed
        and not m._meta.proxy
    ]


def _counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in _models()}


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def backup(target: Path) -> dict[str, Any]:
    """Write a whole backup into `target` (new or empty); return its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new or empty folder for the backup")
    target.mkdir(parents=True, exist_ok=True)
    database = target / DATABASE
    connection = connections[DEFAULT_DB_ALIAS]
    outermost = not connection.in_atomic_block  # else the caller's transaction is the snapshot
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # one snapshot for every table read below
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = _counts()
        call_command(
            "dumpdata",
            *[m._meta.label_lower for m in _models()],
            format="policeplan-jsonl",  # JSON Lines, times to the microsecond
            use_base_manager=True,  # archived rows too (the default managers hide them)
            natural_foreign=True,
            natural_primary=True,
            output=str(database),
            verbosity=0,
        )
        migrations = _migrations()
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    from policeplan.core import jobs

    queue = jobs.queue_kind()
    if queue == "rq":  # jobs waiting in Redis: not in the backup, counted all the same
        import django_rq

        rq_queue = django_rq.get_queue("default")
        waiting += len(rq_queue) + rq_queue.started_job_registry.count
    files: dict[str, list[dict[str, Any]]] = {"media": []}
    from django.core.files.storage import default_storage

    from policeplan.core import warehouse_sync

    for stored in _storage_names():
        if stored.startswith(f"{warehouse_sync.PREFIX}/"):
            continue  # the warehouse's copy in the store: the warehouse folder below has it
        copy = target / "files" / "media" / stored
        copy.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(stored, "rb") as source, copy.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        files["media"].append(
            {"path": stored, "bytes": copy.stat().st_size, "sha256": _sha256(copy)}
        )
    warehouse_note = "this machine's folder"
    if warehouse_sync.enabled():  # this machine's folder, as the store has it now
        try:
            warehouse_sync.refresh(roots()["warehouse"], force=True)
            warehouse_note = "this machine's folder, refreshed from the file storage"
        except Exception as error:  # the rest of the backup matters more than freshness
            logger.warning("Backing up the local warehouse: the store's could not be read")
            warehouse_note = f"this machine's folder: the storage's could not be read ({error})"
    for name, root in roots().items():
        listed = files.setdefault(name, [])
        for path in _walk(root):
            relative = path.relative_to(root)
            if name == "warehouse" and (
                relative.parts[0] in warehouse_sync.SKIPPED
                or relative.name in {warehouse_sync.LOCAL_MANIFEST, ".sync.lock"}
            ):
                continue  # work in progress and this machine's own bookkeeping
            copy = target / "files" / name / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            listed.append(
                {"path": relative.as_posix(), "bytes": copy.stat().st_size, "sha256": _sha256(copy)}
            )
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "secret_key": secret_key_fingerprint(),
        "database": {
            "file": DATABASE,
            "vendor": connection.vendor,
            "bytes": database.stat().st_size,
            "sha256": _sha256(database),
        },
        "counts": counts,
        "migrations": migrations,
        "jobs_waiting": waiting,
        "jobs_queue": queue,
        "warehouse": warehouse_note,
        "files": files,
    }
    partial = target / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(partial, target / MANIFEST)  # the backup is whole only once this exists
    return manifest


def secret_key_fingerprint() -> str:
    """Which SECRET_KEY the service uses, without revealing it: save-and-return and
    withdrawal codes are stored as keyed hashes, so a restore must run with the same key."""
    import hmac

    return hmac.new(
        settings.SECRET_KEY.encode(), b"policeplan backup key check", "sha256"
    ).hexdigest()[:16]


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupError(f"{source} is not a folder")
    if not path.exists():
        raise BackupError(
            f"{source} is not a complete backup: {MANIFEST} is missing (the backup did not "
            "finish, or this is not a policeplan backup); nothing was restored"
        )
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{path} cannot be read as JSON; nothing was restored") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} manifest; nothing was restored")
    return manifest


def _through_a_link(path: Path, source: Path) -> bool:
    """True when the path, or a folder on the way to it inside the backup, is a symlink."""
    while path != source and path.is_relative_to(source):
        if path.is_symlink():
            return True
        path = path.parent
    return False


def verify(source: Path, manifest: dict[str, Any]) -> list[str]:
    """Every problem with the backup's files (missing, wrong size or hash, or a path
    outside the backup), or [] when it is whole."""
    problems = []
    database = manifest["database"]
    path = source / DATABASE
    if not path.exists():
        problems.append(f"{DATABASE} is missing")
    elif _sha256(path) != database["sha256"]:
        problems.append(f"{DATABASE} does not match its hash in the manifest")
    base = (source / "files").resolve()
    for name, listed in manifest["files"].items():
        if name not in PARTS:
            problems.append(f"files/{name}: not a part of the service")
            continue
        for entry in listed:
            parts = str(entry["path"]).split("/")
            unresolved = source / "files" / name / entry["path"]
            path = (base / name / entry["path"]).resolve()
            # Checked as written, not only as resolved: a symlink in the backup could make
            # ".." land inside it here yet outside the folder it is restored into.
            if (
                any(p in {"", ".", ".."} for p in parts)
                or "\\" in entry["path"]
                or not path.is_relative_to(base / name)
                or _through_a_link(unresolved, source)
            ):
                problems.append(f"files/{name}/{entry['path']}: outside the backup")
            elif not path.is_file():
                problems.append(f"files/{name}/{entry['path']} is missing")
            elif path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
                problems.append(f"files/{name}/{entry['path']} does not match the manifest")
    return problems


def _refuse(problems: list[str], source: Path) -> None:
    shown = problems[:10]
    more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
    raise BackupError(
        f"{source} is not a complete backup, nothing was restored: " + "; ".join(shown) + more
    )


def restore(source: Path, *, new_secret_key: bool = False) -> Report:
    """Restore the backup in `source` into this (empty) database and (empty) storage.
    `new_secret_key`: go on although SECRET_KEY is not the one the backup was made with
    (respondents' save-and-return and withdrawal codes will then not work)."""
    manifest = read_manifest(source)
    if problems := verify(source, manifest):
        _refuse(problems, source)
    made_with = manifest.get("secret_key")
    if made_with and made_with != secret_key_fingerprint() and not new_secret_key:
        raise BackupError(
            "SECRET_KEY is not the one the backup was made with (its fingerprint there is "
            f"{made_with}, here {secret_key_fingerprint()}): set SECRET_KEY to the service's "
            "own key, from your secret store. Respondents' save-and-return and withdrawal "
            "codes are checked with it. To restore with a new key anyway (those codes will "
            "no longer work), add --new-secret-key. Nothing was restored"
        )
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of policeplan (migrations this code does "
            f"not have: {', '.join(unknown[:5])}); install that version, then restore"
        )
    if any(_storage_names()):
        raise BackupError("The file storage is not empty: restore into empty storage")
    for name, root in roots().items():
        if any(_walk(root)):
            raise BackupError(
                f"The {name} folder ({root}) is not empty: restore into empty storage"
            )
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    if recorder.has_table() and recorder.applied_migrations():
        raise BackupError(
            "The database has been set up already (its tables exist): restore into a new, "
            "empty database (createdb, or a new SQLite file) and empty storage; nothing was "
            "restored"
        )
    call_command("migrate", verbosity=0, interactive=False)
    report = Report()
    with transaction.atomic():
        # Rows the migrations put in (the crosswalk's starting mappings, say) give way to
        # the backup's own.
        for model in reversed(_models()):
            model._base_manager.all().delete()
        call_command("loaddata", str(source / DATABASE), verbosity=0)
        _settle_jobs(report)
        counts = _counts()
        if manifest.get("jobs_queue") == "rq":  # its waiting jobs were in Redis
            from policeplan.core import jobs

            report.jobs_requeued += jobs.after_restore()
    differences = {
        label: (n, counts.get(label, 0))
        for label, n in manifest["counts"].items()
        if counts.get(label, 0) != n
    }
    if differences:
        raise BackupError(f"The rows restored differ from the manifest: {differences}")
    report.rows = sum(counts.values())
    from django.core.files import File
    from django.core.files.storage import default_storage

    for entry in manifest["files"].get("media", []):
        with (source / "files" / "media" / entry["path"]).open("rb") as handle:
            saved = default_storage.save(entry["path"], File(handle))
        with default_storage.open(saved, "rb") as back:
            digest = hashlib.file_digest(back, "sha256").hexdigest()
        if saved != entry["path"] or digest != entry["sha256"]:
            raise BackupError(f"{entry['path']} does not match the manifest after copying")
        report.files += 1
        report.bytes += entry["bytes"]
    for name, listed in manifest["files"].items():
        if name == "media":
            continue
        root = roots()[name]
        for entry in listed:
            copy = root / entry["path"]
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / "files" / name / entry["path"], copy)
            if _sha256(copy) != entry["sha256"]:
                raise BackupError(f"{copy} does not match the manifest after copying")
            report.files += 1
            report.bytes += entry["bytes"]
    from policeplan.core import warehouse_sync

    if warehouse_sync.enabled():  # the store holds the warehouse every machine reads
        with warehouse_sync.writing():
            warehouse_sync.publish(roots()["warehouse"])
    return report


def _settle_jobs(report: Report) -> None:
    """Jobs waiting at backup time: queued again, or held when their effect is outside the
    database (the service may have done it after the backup: an email sent twice)."""
    from django_tasks_db.models import DBTaskResult

    from policeplan.core import jobs

    now = timezone.now()
    for result in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]):
        if result.task_path in jobs.EXTERNAL:
            result.status = "FAILED"
            result.finished_at = now
            result.exception_class_path = HELD
            result.traceback = (
                "Held when the backup was restored: this job acts outside the database (an "
                "email), and may already have been done after the backup was taken."
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            report.jobs_held.append(f"{result.task_path.rsplit('.', 1)[-1]} {result.args_kwargs}")
        else:
            result.status = "READY"
            result.worker_ids = []
            result.run_after = min(result.run_after, now)
            result.save(update_fields=["status", "worker_ids", "run_after"])
            report.jobs_requeued += 1


def stamp() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
