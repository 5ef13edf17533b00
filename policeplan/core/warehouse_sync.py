"""The crime warehouse on several machines: a local folder for DuckDB, synced with the file
storage (ADR 0003).

With WAREHOUSE_SYNC on (the default when S3_BUCKET is set), the file storage is the
warehouse's source of truth:

- a process that changed its local warehouse (an import, the geography) calls `publish`,
  which uploads each Parquet file it does not hold yet, named by its content's SHA-256
  (`warehouse/objects/<sha256>`, never overwritten in place), then writes the manifest
  (`warehouse/manifest.json`: each file's path in the warehouse and its hash) last, so a
  reader sees the old warehouse or the new one, never half of one;
- a process about to read calls `refresh` (through `performance.services.warehouse()`, at
  most once every WAREHOUSE_SYNC_SECONDS), which compares the store's manifest with the one
  it last synced and downloads only the files that changed, checking each one's hash.

Writers take turns (`writing()`: a lock in the shared cache, Redis or the database), so two
imports on two machines never publish over each other. A manifest is read as data from a
store that might have been tampered with: a path that is not a plain relative `.parquet` path
inside the warehouse is refused.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

logger = logging.getLogger("policeplan.warehouse_sync")

PREFIX = "warehouse"
MANIFEST = f"{PREFIX}/manifest.json"
LOCAL_MANIFEST = ".synced.json"  # in the local folder: the manifest it last matched
SKIPPED = {".staging", ".trash", ".tmp"}
_SAFE_PART = re.compile(r"^[A-Za-z0-9_=.\-]+$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
WRITER_LOCK = "warehouse-sync:writer"
# Longer than the longest writer (an import: 1 hour at most, its job's time limit), so a
# writer that died frees the turn soon after.
WRITER_LOCK_SECONDS = 75 * 60
MANIFEST_MAX_BYTES = 20 * 1024 * 1024

_last_refresh: dict[str, float] = {}


class SyncError(Exception):
    """The store's warehouse could not be used (named file missing, hash wrong, bad path)."""


def enabled() -> bool:
    return bool(getattr(settings, "WAREHOUSE_SYNC", False))


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def local_files(root: Path) -> dict[str, str]:
    """Every Parquet file in the local warehouse: its path (POSIX, relative) and hash."""
    found = {}
    for path in sorted(root.glob("**/*.parquet")):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIPPED:
            continue
        found[rel.as_posix()] = _sha256(path)
    return found


def _check_entry(rel: str, digest: str) -> None:
    parts = rel.split("/")
    if (
        not rel.endswith(".parquet")
        or any(p in {"", ".", ".."} or not _SAFE_PART.match(p) for p in parts)
        or parts[0] in SKIPPED
        or not _DIGEST.match(digest)
    ):
        raise SyncError(f"{MANIFEST}: refused entry {rel[:200]!r} (not a warehouse file)")


def remote_manifest() -> dict[str, str] | None:
    """The store's manifest, or None when nothing was published yet."""
    if not default_storage.exists(MANIFEST):
        return None
    with default_storage.open(MANIFEST, "rb") as handle:
        raw = handle.read(MANIFEST_MAX_BYTES + 1)
        if len(raw) > MANIFEST_MAX_BYTES:
            raise SyncError(f"{MANIFEST}: larger than any warehouse's manifest")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SyncError(f"{MANIFEST}: not a manifest ({error})") from error
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise SyncError(f"{MANIFEST}: not a manifest (no files)")
    for rel, digest in files.items():
        _check_entry(rel, digest)
    return dict(files)


def _read_local_manifest(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / LOCAL_MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_local_manifest(root: Path, files: dict[str, str]) -> None:
    partial = root / f"{LOCAL_MANIFEST}.{uuid.uuid4().hex}"
    partial.write_text(json.dumps(files, sort_keys=True), encoding="utf-8")
    os.replace(partial, root / LOCAL_MANIFEST)


def _object(digest: str) -> str:
    return f"{PREFIX}/objects/{digest}"


@contextlib.contextmanager
def _local_lock(root: Path) -> Iterator[None]:
    """One process at a time changes this machine's folder."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".sync.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing(*, wait_seconds: float = WRITER_LOCK_SECONDS) -> Iterator[None]:
    """Hold the one writer's turn across every machine (a no-op without sync)."""
    if not enabled():
        yield
        return
    cache = caches["shared"]
    token = uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    while not cache.add(WRITER_LOCK, token, timeout=WRITER_LOCK_SECONDS):
        if time.monotonic() > deadline:
            raise SyncError("another process has been changing the warehouse for too long")
        time.sleep(1)
    try:
        yield
    finally:
        if cache.get(WRITER_LOCK) == token:
            cache.delete(WRITER_LOCK)


def publish(root: Path) -> dict[str, str]:
    """Upload what changed in the local warehouse, then the manifest. Returns the manifest."""
    root = Path(root)
    with _local_lock(root):
        files = local_files(root)
        for rel, digest in files.items():
            name = _object(digest)
            if not default_storage.exists(name):
                with (root / rel).open("rb") as handle:
                    saved = default_storage.save(name, File(handle))
                if saved != name:  # the storage renamed it: someone saved it meanwhile
                    default_storage.delete(saved)
        try:
            previous = remote_manifest() or {}
        except SyncError:
            previous = {}
        body = json.dumps({"files": files}, sort_keys=True, indent=1).encode("utf-8")
        if default_storage.exists(MANIFEST):
            default_storage.delete(MANIFEST)
        default_storage.save(MANIFEST, ContentFile(body))
        _write_local_manifest(root, files)
        # Files neither this manifest nor the one before names (a reader that fetched the
        # previous manifest a moment ago still finds its files).
        kept = set(files.values()) | set(previous.values())
        with contextlib.suppress(FileNotFoundError):
            for digest in default_storage.listdir(f"{PREFIX}/objects")[1]:
                if digest not in kept:
                    default_storage.delete(_object(digest))
        _last_refresh[str(root)] = time.monotonic()
    logger.info("Published the warehouse: %d files", len(files))
    return files


def refresh(root: Path, *, force: bool = False) -> bool:
    """Bring the local warehouse to the store's manifest. Returns True when files changed.
    Without `force`, checks the store at most once every WAREHOUSE_SYNC_SECONDS."""
    root = Path(root)
    interval = float(getattr(settings, "WAREHOUSE_SYNC_SECONDS", 5.0))
    last = _last_refresh.get(str(root))
    if not force and last is not None and time.monotonic() - last < interval:
        return False
    remote = remote_manifest()
    _last_refresh[str(root)] = time.monotonic()
    if remote is None:
        return False
    if not remote and any(root.glob("*/**/*.parquet")):
        raise SyncError(f"{MANIFEST}: names no files; the local warehouse is kept")
    with _local_lock(root):
        synced = _read_local_manifest(root)
        if synced == remote and all((root / rel).exists() for rel in remote):
            return False
        tmp = root / ".tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        # Everything that changed is fetched and checked first; only then does the folder
        # change, with the record of what it holds removed until it is true again (a refresh
        # cut short is then checked file by file next time, never trusted).
        fetched: dict[str, Path] = {}
        try:
            for rel, digest in remote.items():
                target = root / rel
                if synced.get(rel) == digest and target.exists():
                    continue
                if target.exists() and _sha256(target) == digest:
                    continue
                partial = tmp / f"sync-{uuid.uuid4().hex}"
                fetched[rel] = partial
                try:
                    with (
                        default_storage.open(_object(digest), "rb") as source,
                        partial.open("wb") as out,
                    ):
                        shutil.copyfileobj(source, out, 1 << 20)
                except FileNotFoundError as error:
                    raise SyncError(
                        f"{_object(digest)}: named in the manifest, not stored"
                    ) from error
                if _sha256(partial) != digest:
                    raise SyncError(f"{_object(digest)}: its content does not match its hash")
        except BaseException:
            for partial in fetched.values():
                partial.unlink(missing_ok=True)
            raise
        (root / LOCAL_MANIFEST).unlink(missing_ok=True)
        for rel, partial in fetched.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, target)
        for rel in set(synced) - set(remote):
            gone = root / rel
            gone.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # its partition folder, once empty
                gone.parent.rmdir()
        _write_local_manifest(root, remote)
    logger.info("Refreshed the warehouse from the store: %d files", len(remote))
    return True
