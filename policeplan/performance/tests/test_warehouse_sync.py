"""The crime warehouse on two machines sharing only the file storage (WAREHOUSE_SYNC, ADR
0003): what one imports, the other reads, with nothing but the store between them."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from policeplan.core import warehouse_sync
from policeplan.performance.models import ImportStatus

from .conftest import run_import

pytestmark = pytest.mark.django_db

STREET = "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"


@pytest.fixture
def store(settings, tmp_path):
    """The file storage both machines share (a folder here; an object store in production)."""
    settings.MEDIA_ROOT = tmp_path / "store"
    settings.WAREHOUSE_SYNC = True
    settings.WAREHOUSE_SYNC_SECONDS = 0
    return tmp_path / "store"


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
        if not {".staging", ".trash", ".tmp"} & set(p.relative_to(root).parts)
    }


def test_an_import_on_one_machine_is_read_on_another(
    warehouse_root, store, settings, shared_data, tmp_path
):
    from policeplan.performance.services import warehouse

    result = run_import("police-uk", shared_data / STREET)  # on the worker's machine
    assert result.status == ImportStatus.SUCCEEDED, result.error
    published = json.loads((store / "warehouse" / "manifest.json").read_text())["files"]
    assert published == _files(warehouse_root)
    assert any(rel.startswith("street/") for rel in published)

    other = tmp_path / "web-machine-warehouse"  # another machine: an empty folder
    settings.WAREHOUSE_ROOT = other
    wh = warehouse()
    assert _files(other) == published
    con = wh.connect()
    try:
        (records,) = con.execute(
            f"SELECT count(*) FROM {wh.scan(con, 'street')}"  # noqa: S608 - a quoted view name
        ).fetchone()
    finally:
        con.close()
    with (shared_data / STREET).open(encoding="utf-8", newline="") as handle:
        assert records == sum(1 for _ in csv.DictReader(handle))  # every row of the source


def test_a_later_change_reaches_the_other_machine_and_what_went_goes(
    warehouse_root, store, tmp_path
):
    first = warehouse_sync.publish(warehouse_root)
    other = tmp_path / "other"
    assert warehouse_sync.refresh(other) is True
    assert _files(other) == first

    gone = next(iter(first))
    (warehouse_root / gone).unlink()
    extra = warehouse_root / "street" / "force=test" / "month=2020-01" / "data_0.parquet"
    extra.parent.mkdir(parents=True)
    duckdb.sql("SELECT 1 AS n").write_parquet(extra.as_posix())
    second = warehouse_sync.publish(warehouse_root)

    assert warehouse_sync.refresh(other) is True
    assert _files(other) == second
    assert not (other / gone).exists()
    assert warehouse_sync.refresh(other) is False  # nothing new: nothing fetched
    # the store keeps what this manifest and the one before name
    stored = {p.name for p in (store / "warehouse" / "objects").iterdir()}
    assert stored == set(second.values()) | set(first.values())


def test_before_anything_is_published_the_local_folder_is_left_alone(store, tmp_path):
    local = tmp_path / "local"
    (local / "pas").mkdir(parents=True)
    (local / "pas" / "data_0.parquet").write_bytes(b"local")
    assert warehouse_sync.refresh(local) is False
    assert (local / "pas" / "data_0.parquet").read_bytes() == b"local"


@pytest.mark.parametrize(
    "rel",
    [
        "../../outside.parquet",
        "/etc/passwd.parquet",
        "street/../../../x.parquet",
        "street/month=2020-01/evil.sh",
        ".staging/x/data.parquet",
        "street/a b;rm -rf/x.parquet",
    ],
)
def test_a_tampered_manifest_cannot_write_outside_the_warehouse(store, tmp_path, rel):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    digest = hashlib.sha256(b"x").hexdigest()
    default_storage.save(warehouse_sync._object(digest), ContentFile(b"x"))
    body = json.dumps({"files": {rel: digest}}).encode()
    default_storage.save(warehouse_sync.MANIFEST, ContentFile(body))
    local = tmp_path / "machine" / "warehouse"
    with pytest.raises(warehouse_sync.SyncError, match="refused entry"):
        warehouse_sync.refresh(local, force=True)
    assert not list((tmp_path / "machine").rglob("*.parquet"))
    assert not (tmp_path / "outside.parquet").exists()


def test_a_stored_file_that_does_not_match_its_hash_is_not_used(warehouse_root, store, tmp_path):
    published = warehouse_sync.publish(warehouse_root)
    rel, digest = next(iter(published.items()))
    (store / "warehouse" / "objects" / digest).write_bytes(b"changed in the store")
    other = tmp_path / "other"
    with pytest.raises(warehouse_sync.SyncError, match="does not match its hash"):
        warehouse_sync.refresh(other, force=True)
    assert not (other / rel).exists()


def test_a_reader_keeps_its_copy_when_the_store_cannot_be_read(
    warehouse_root, store, settings, tmp_path, caplog
):
    from policeplan.performance.services import warehouse

    warehouse_sync.publish(warehouse_root)
    settings.WAREHOUSE_ROOT = tmp_path / "other"
    warehouse()
    before = _files(tmp_path / "other")
    (store / "warehouse" / "manifest.json").write_bytes(b"{not json")
    wh = warehouse()  # logged, not raised: the figures it has still serve
    assert wh.has_lookup() and _files(tmp_path / "other") == before
    assert "could not be refreshed" in caplog.text


def test_an_import_waits_for_another_machines_import(store, settings):
    """Two writers never publish over each other: the turn is held in the shared cache."""
    from django.core.cache import caches

    caches["shared"].set(warehouse_sync.WRITER_LOCK, "another machine", timeout=60)
    try:
        with (
            pytest.raises(warehouse_sync.SyncError, match="too long"),
            warehouse_sync.writing(wait_seconds=1.5),
        ):
            pass
    finally:
        caches["shared"].delete(warehouse_sync.WRITER_LOCK)
    with warehouse_sync.writing(wait_seconds=1):
        assert caches["shared"].get(warehouse_sync.WRITER_LOCK)
    assert caches["shared"].get(warehouse_sync.WRITER_LOCK) is None


def test_without_sync_nothing_reaches_the_store(warehouse_root, settings, tmp_path, shared_data):
    settings.MEDIA_ROOT = tmp_path / "store"
    settings.WAREHOUSE_SYNC = False
    assert run_import("police-uk", shared_data / STREET).status == ImportStatus.SUCCEEDED
    assert not (tmp_path / "store" / "warehouse").exists()


def test_a_refresh_cut_short_is_checked_file_by_file_next_time(warehouse_root, store, tmp_path):
    """A refresh that stops part-way changes nothing; a later one trusts no record of it."""
    published = warehouse_sync.publish(warehouse_root)
    other = tmp_path / "other"
    warehouse_sync.refresh(other)
    first, second = list(published)[:2]
    manifest = store / "warehouse" / "manifest.json"
    tampered = dict(published)
    tampered[first], tampered[second] = published[second], published[first]  # swapped
    tampered["street/force=x/month=2020-01/data_0.parquet"] = "0" * 64  # not stored
    manifest.write_text(json.dumps({"files": tampered}))
    with pytest.raises(warehouse_sync.SyncError, match="not stored"):
        warehouse_sync.refresh(other, force=True)
    assert _files(other) == published  # nothing swapped in before everything was fetched

    # cut short after the swap began: the record of what the folder holds is gone
    (other / first).write_bytes((other / second).read_bytes())
    (other / warehouse_sync.LOCAL_MANIFEST).unlink()
    manifest.write_text(json.dumps({"files": published}))
    assert warehouse_sync.refresh(other, force=True) is True
    assert _files(other) == published


def test_a_manifest_naming_no_files_does_not_empty_a_warehouse(warehouse_root, store, tmp_path):
    published = warehouse_sync.publish(warehouse_root)
    other = tmp_path / "other"
    warehouse_sync.refresh(other)
    (store / "warehouse" / "manifest.json").write_text(json.dumps({"files": {}}))
    with pytest.raises(warehouse_sync.SyncError, match="names no files"):
        warehouse_sync.refresh(other, force=True)
    assert _files(other) == published


def test_publishing_keeps_the_files_of_the_manifest_before(warehouse_root, store):
    """A reader that fetched the previous manifest a moment ago still finds its files."""
    first = warehouse_sync.publish(warehouse_root)
    gone = next(iter(first))
    (warehouse_root / gone).unlink()
    second = warehouse_sync.publish(warehouse_root)
    stored = {p.name for p in (store / "warehouse" / "objects").iterdir()}
    assert set(first.values()) <= stored
    warehouse_sync.publish(warehouse_root)
    stored = {p.name for p in (store / "warehouse" / "objects").iterdir()}
    assert stored == set(second.values())  # two publications later, it has gone
