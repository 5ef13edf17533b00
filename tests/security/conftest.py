"""Fixtures for the security tests: London's geography loaded once through the real ONS
lookups (as the performance tests load it), a fresh warehouse per test, and fingerprints of
the warehouse folder and the catalogue to prove a refusal changed nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from policeplan.performance.tests.conftest import london, warehouse_root  # noqa: F401


def tree_fingerprint(root: Path) -> dict[str, str]:
    """Every file under root (working folders included) with the hash of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def catalogue_fingerprint() -> str:
    """One hash over every catalogue row an import can change (the import's own record,
    which says it failed, aside)."""
    from policeplan.performance.models import (
        Area,
        AreaBoundary,
        DatasetCoverage,
        ImportedFile,
        MeasureValue,
        Population,
    )

    digest = hashlib.sha256()
    for model in (Area, AreaBoundary, Population, ImportedFile, DatasetCoverage, MeasureValue):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def run_import(kind: str, path: Path, name: str | None = None):
    from policeplan.performance.services import data_import_create, data_import_run

    given = {"names": [name]} if name and name != path.name else {}
    data_import = data_import_create(user=None, kind=kind, paths=[path], **given)
    return data_import_run(data_import_id=data_import.pk)
