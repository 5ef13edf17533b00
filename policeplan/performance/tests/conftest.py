"""Fixtures for the performance tests, on the real files in ../shared/data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def london(shared_data, django_db_setup, django_db_blocker, tmp_path_factory):
    """London's geography loaded once per module through the real ONS lookups, and a
    warehouse folder holding its published lookup."""
    from django.test import override_settings

    from policeplan.performance.models import Area, Population
    from policeplan.performance.services import data_import_create, data_import_run

    root = tmp_path_factory.mktemp("geography-warehouse")
    with django_db_blocker.unblock(), override_settings(WAREHOUSE_ROOT=root):
        data_import = data_import_create(
            user=None, kind="ons-lookup", paths=[shared_data / "ons" / "lookups"]
        )
        data_import_run(data_import_id=data_import.pk)
        assert data_import.__class__.objects.get(pk=data_import.pk).status == "succeeded"
    yield root
    with django_db_blocker.unblock():
        from policeplan.core.models import AuditEvent
        from policeplan.performance.models import DataImport

        Population.objects.all().delete()
        Area.objects.all().delete()
        DataImport.objects.all().delete()
        AuditEvent.objects.all().delete()


@pytest.fixture
def warehouse_root(london, settings, tmp_path):
    """A fresh warehouse for one test, already holding the geography lookup."""
    root = tmp_path / "warehouse"
    shutil.copytree(london, root, ignore=shutil.ignore_patterns(".staging", ".trash", ".tmp"))
    settings.WAREHOUSE_ROOT = root
    return root


def run_import(kind: str, *paths: Path, user=None):
    from policeplan.performance.services import data_import_create, data_import_run

    data_import = data_import_create(user=user, kind=kind, paths=list(paths))
    return data_import_run(data_import_id=data_import.pk)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file in the warehouse with its contents, to prove nothing changed."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".staging", ".trash", ".tmp"} & set(p.relative_to(root).parts)
    }
