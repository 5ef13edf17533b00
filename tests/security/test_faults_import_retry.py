"""An uploaded import that meets a passing fault (the database goes away) is run again by the
job worker: its files must still be there, and the second run imports them."""

from __future__ import annotations

import shutil

import pytest
from django.db import OperationalError

from policeplan.performance import services
from policeplan.performance.models import DataImport, ImportStatus
from policeplan.warehouse import importers

pytestmark = pytest.mark.django_db


def test_an_import_that_lost_the_database_keeps_its_upload_for_the_retry(
    warehouse_root, shared_data, tmp_path, monkeypatch
):
    upload_dir = tmp_path / "uploads" / "abc"
    upload_dir.mkdir(parents=True)
    source = shared_data / "police-uk/city-of-london/street/2023-01-city-of-london-street.csv"
    stored = upload_dir / "000.csv"
    shutil.copy(source, stored)
    data_import = services.data_import_create(
        user=None,
        kind="police-uk",
        paths=[stored],
        upload_dir=str(upload_dir),
        names=[source.name],
    )
    importer = importers.REGISTRY["police-uk"]
    real_apply = importer.apply
    calls = []

    def flaky_apply(ctx, results):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_apply(ctx, results)

    monkeypatch.setattr(importer, "apply", flaky_apply)
    with pytest.raises(OperationalError):
        services.data_import_run(data_import_id=data_import.pk)
    assert stored.exists(), "the retry needs the uploaded file"
    assert DataImport.objects.get(pk=data_import.pk).status != ImportStatus.FAILED

    done = services.data_import_run(data_import_id=data_import.pk)
    assert done.status == ImportStatus.SUCCEEDED
    assert not upload_dir.exists()  # cleared once the import has finished


def test_an_import_that_fails_for_good_clears_its_upload(warehouse_root, tmp_path):
    upload_dir = tmp_path / "uploads" / "def"
    upload_dir.mkdir(parents=True)
    stored = upload_dir / "000.csv"
    stored.write_text("not,a,police,file\n1,2,3,4\n")
    data_import = services.data_import_create(
        user=None,
        kind="police-uk",
        paths=[stored],
        upload_dir=str(upload_dir),
        names=["2023-01-city-of-london-street.csv"],
    )
    done = services.data_import_run(data_import_id=data_import.pk)
    assert done.status == ImportStatus.FAILED
    assert not upload_dir.exists()
