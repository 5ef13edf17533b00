"""Every file of the malformed corpus (tests/security/malformed, made from the real files by
make_corpus.py) through its importer, as staff would import it: the outcome is the one its
manifest expects, the message is one a person can act on, and after a refusal the warehouse
folder and the catalogue are byte-for-byte as they were. Then every file through every other
importer, which must refuse it or read it, never fail in some other way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.security.conftest import catalogue_fingerprint, run_import, tree_fingerprint

CORPUS = Path(__file__).parent / "malformed"
CASES = json.loads((CORPUS / "manifest.json").read_text())["cases"]
# Wording from inside the tools, which tells a person nothing about their file.
INTERNAL = re.compile(
    r"Binder Error|Parallel CSV|Invalid Input Error|Catalog Error|Conversion Error|"
    r"Traceback|duckdb|sniff|_csv\.Error|\\x00|RecursionError|KeyError",
    re.IGNORECASE,
)


def test_the_corpus_is_large_and_small():
    assert len(CASES) >= 100
    assert {c["kind"] for c in CASES} >= {
        "police-uk",
        "mps-crime",
        "pas",
        "ons-lookup",
        "population",
        "tile-grid",
        "boundaries",
    }
    size = sum(p.stat().st_size for p in (CORPUS / "files").rglob("*") if p.is_file())
    assert size < 5 * 1024 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_malformed_file_gets_its_expected_answer(case, warehouse_root):
    tree, catalogue = tree_fingerprint(warehouse_root), catalogue_fingerprint()
    data_import = run_import(case["kind"], CORPUS / "files" / case["file"], case["name"])
    if case["outcome"] == "accepted":
        assert data_import.status == "succeeded", data_import.error
        assert data_import.summary["rows_read"] == case["rows_read"]
        assert data_import.summary["rows_accepted"] == case["rows_accepted"]
        return
    error = data_import.error
    assert data_import.status == "failed"
    assert error.startswith(case["name"].rsplit(".", 1)[0][:20]), error
    for words in case["message_contains"]:
        assert words in error, error
    if "line" in case:
        assert f"line {case['line']}" in error, error
    if "field" in case:
        assert f"field ‘{case['field']}’" in error, error
    assert not INTERNAL.search(error), error
    assert len(error) < 800, error
    assert "xxxxxxxxxx" not in error and "Nowhere Nowhere Nowhere" not in error
    assert tree_fingerprint(warehouse_root) == tree
    assert catalogue_fingerprint() == catalogue


@pytest.mark.django_db
def test_every_file_through_every_importer_is_read_or_refused(warehouse_root, tmp_path):
    """No file, whatever importer it reaches, fails other than by a clear refusal."""
    from policeplan.performance.services import OfficeGeography, warehouse
    from policeplan.warehouse import importers
    from policeplan.warehouse.archives import SourceFile
    from policeplan.warehouse.errors import FileRejected

    wh = warehouse()
    plain = [c for c in CASES if not c["name"].endswith(".zip")]
    outcomes: dict[str, int] = {"read": 0, "refused": 0}
    for importer in importers.REGISTRY.values():
        for case in plain:
            if case["kind"] == importer.kind:
                continue
            con = wh.connect()
            folder = tmp_path / f"{importer.kind}-{case['id']}"
            folder.mkdir()
            ctx = importers.Context(
                con=con, warehouse=wh, staging_dir=folder, geography=OfficeGeography()
            )
            file = SourceFile(CORPUS / "files" / case["file"], case["name"])
            try:
                importer.prepare(ctx, file)
                importer.stage(ctx, file, 0)
                outcomes["read"] += 1
            except FileRejected as error:
                assert not INTERNAL.search(str(error)), (importer.kind, case["id"], str(error))
                assert len(str(error)) < 800, (importer.kind, case["id"])
                outcomes["refused"] += 1
            finally:
                con.close()
    assert outcomes["refused"] > 5 * len(plain)


@pytest.mark.django_db
def test_a_fault_in_the_service_is_reported_without_its_internals(
    warehouse_root, monkeypatch, shared_data
):
    """A failure that is not the file's (here, the disk) fails the import whole, and the
    message shown to staff says so without quoting paths or a library's wording."""
    from policeplan.performance.models import DataImport
    from policeplan.warehouse import importers

    def broken(self, ctx, file, file_id):
        raise OSError(f"Binder Error: disk full at {warehouse_root}/.staging")

    monkeypatch.setattr(importers.Pas, "stage", broken)
    tree, catalogue = tree_fingerprint(warehouse_root), catalogue_fingerprint()
    with pytest.raises(OSError):
        run_import("pas", shared_data / "mopac-pas" / "PAS_buroughs.csv")
    data_import = DataImport.objects.latest("pk")
    assert data_import.status == "failed"
    assert "not in your files" in data_import.error
    assert str(warehouse_root) not in data_import.error and not INTERNAL.search(data_import.error)
    assert tree_fingerprint(warehouse_root) == tree
    assert catalogue_fingerprint() == catalogue
