"""Files in an S3-compatible object store (S3_BUCKET), with moto standing in for the store
(no object store runs here): what web processes and workers on different machines share."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile

pytestmark = pytest.mark.django_db

BUCKET = "policeplan-test-files"


@pytest.fixture
def s3(settings, monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    with moto.mock_aws():
        boto3.client("s3", region_name="eu-west-2").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                **settings.S3_STORAGE,
                "OPTIONS": {
                    **settings.S3_STORAGE["OPTIONS"],
                    "bucket_name": BUCKET,
                    "region_name": "eu-west-2",
                },
            },
        }
        yield boto3.client("s3", region_name="eu-west-2")


def test_files_are_kept_in_the_bucket_privately(s3):
    from django.core.files.storage import default_storage

    name = default_storage.save("generated/a.pdf", ContentFile(b"%PDF-1.7 test"))
    assert name == "generated/a.pdf"
    assert s3.get_object(Bucket=BUCKET, Key=name)["Body"].read() == b"%PDF-1.7 test"
    grants = s3.get_object_acl(Bucket=BUCKET, Key=name)["Grants"]
    assert all("AllUsers" not in json.dumps(g) for g in grants)  # never public
    again = default_storage.save("generated/a.pdf", ContentFile(b"other"))
    assert again != name  # never overwritten in place


def test_readiness_checks_the_bucket(client, s3, settings):
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["storage"] == "unavailable"


def test_the_backup_reads_the_bucket_and_restore_refuses_a_bucket_in_use(s3, tmp_path):
    from django.core.files.storage import default_storage

    from policeplan.core import backup

    default_storage.save("documents/letter.pdf", ContentFile(b"%PDF letter"))
    default_storage.save("imports/abc/000.csv", ContentFile(b"a,b\n1,2\n"))
    manifest = backup.backup(tmp_path / "b")
    assert [e["path"] for e in manifest["files"]["media"]] == [
        "documents/letter.pdf",
        "imports/abc/000.csv",
    ]
    assert (tmp_path / "b/files/media/documents/letter.pdf").read_bytes() == b"%PDF letter"
    with pytest.raises(backup.BackupError, match="file storage is not empty"):
        backup.restore(tmp_path / "b")


def test_the_warehouse_travels_through_the_bucket(s3, settings, tmp_path):
    """ADR 0003: one machine publishes its warehouse folder, another fetches it."""
    import duckdb

    from policeplan.core import warehouse_sync

    settings.WAREHOUSE_SYNC = True
    first = tmp_path / "worker" / "street" / "force=x" / "month=2024-01"
    first.mkdir(parents=True)
    duckdb.sql("SELECT 42 AS n").write_parquet((first / "data_0.parquet").as_posix())
    published = warehouse_sync.publish(tmp_path / "worker")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {
        "warehouse/manifest.json",
        *(f"warehouse/objects/{d}" for d in published.values()),
    }
    assert warehouse_sync.refresh(tmp_path / "web", force=True) is True
    copy = tmp_path / "web" / "street" / "force=x" / "month=2024-01" / "data_0.parquet"
    assert duckdb.read_parquet(copy.as_posix()).fetchall() == [(42,)]
