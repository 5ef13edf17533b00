"""Corrupted copies of each kind of file are refused with the file, line and field named, and
leave the warehouse and the catalogue exactly as they were."""

from __future__ import annotations

import pytest

from policeplan.performance.models import DataImport, ImportedFile, ImportStatus
from policeplan.performance.tests.conftest import run_import, snapshot

pytestmark = pytest.mark.django_db

STREET = "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"
SAS = "police-uk/city-of-london/stop-and-search/2022-07-city-of-london-stop-and-search.csv"
MPS = "mps-recorded-crime/borough/mps_borough_recent.csv"
PAS = "mopac-pas/PAS_buroughs.csv"


def truncate(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:40]) + lines[40][: len(lines[40]) // 2]


def wrong_header(text: str) -> str:
    first, rest = text.split("\n", 1)
    return (
        first.replace("Month", "Period").replace("Date", "When").replace("BoroughName", "Borough")
        + "\n"
        + rest
    )


def bad_dates(text: str, kind: str) -> str:
    lines = text.splitlines(keepends=True)
    if kind == "street":
        lines[5] = lines[5].replace(",2022-07,", ",July 2022,", 1)
    elif kind == "sas":
        lines[5] = lines[5].replace("2022-07-", "2022-99-", 1)
    elif kind == "pas":
        lines[5] = lines[5].replace("31/12/2014", "31-12-2014", 1)
    return "".join(lines)


CASES = {
    "street": (STREET, "police-uk"),
    "sas": (SAS, "police-uk"),
    "mps": (MPS, "mps-crime"),
    "pas": (PAS, "pas"),
}


@pytest.fixture
def loaded(warehouse_root, shared_data):
    """A warehouse already holding good data, so 'unchanged' means something."""
    for path, import_kind in CASES.values():
        assert run_import(import_kind, shared_data / path).status == ImportStatus.SUCCEEDED
    return snapshot(warehouse_root)


def _refused(tmp_path, warehouse_root, loaded, kind, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    files_before = ImportedFile.objects.count()
    result = run_import(CASES[kind][1], path)
    assert result.status == ImportStatus.FAILED
    assert result.error.startswith(name)
    assert snapshot(warehouse_root) == loaded
    assert ImportedFile.objects.count() == files_before
    return result.error


@pytest.mark.parametrize("kind", list(CASES))
def test_a_truncated_file_is_refused_at_its_last_line(
    kind, tmp_path, warehouse_root, loaded, shared_data
):
    source = (shared_data / CASES[kind][0]).read_text(encoding="utf-8-sig")
    name = CASES[kind][0].rsplit("/", 1)[-1]
    error = _refused(tmp_path, warehouse_root, loaded, kind, name, truncate(source).encode())
    assert ", line 41:" in error and "may be truncated" in error  # the 40 lines before are whole


@pytest.mark.parametrize("kind", list(CASES))
def test_a_wrong_header_names_what_was_expected_and_found(
    kind, tmp_path, warehouse_root, loaded, shared_data
):
    source = (shared_data / CASES[kind][0]).read_text(encoding="utf-8-sig")
    name = CASES[kind][0].rsplit("/", 1)[-1]
    error = _refused(tmp_path, warehouse_root, loaded, kind, name, wrong_header(source).encode())
    assert ", line 1" in error
    assert (
        ("Expected" in error and "Found" in error)
        or "should be a month" in error
        or "first columns" in error
    )


@pytest.mark.parametrize("kind", list(CASES))
def test_a_file_that_is_not_utf8_is_refused(kind, tmp_path, warehouse_root, loaded, shared_data):
    source = (shared_data / CASES[kind][0]).read_text(encoding="utf-8-sig")
    lines = source.splitlines(keepends=True)
    lines[3] = (
        lines[3].replace(",", ",Caf\u00e9 ", 1)
        if kind != "pas"
        else lines[3].replace(";", ";Caf\u00e9 ", 1)
    )
    name = CASES[kind][0].rsplit("/", 1)[-1]
    error = _refused(tmp_path, warehouse_root, loaded, kind, name, "".join(lines).encode("latin-1"))
    assert "not UTF-8 encoded" in error and "line 4" in error


@pytest.mark.parametrize("kind", ["street", "sas", "pas"])
def test_rows_with_bad_dates_are_rejected_and_reported_by_line(
    kind, tmp_path, warehouse_root, shared_data
):
    source = (shared_data / CASES[kind][0]).read_text(encoding="utf-8-sig")
    path = tmp_path / CASES[kind][0].rsplit("/", 1)[-1]
    path.write_text(bad_dates(source, kind), encoding="utf-8")
    result = run_import(CASES[kind][1], path)
    assert result.status == ImportStatus.SUCCEEDED, result.error
    file = result.files.get()
    assert file.rows_rejected == 1 and file.rows_accepted == file.rows_read - 1
    rejected = [p for p in file.problems if p["rejected"]]
    assert len(rejected) == 1 and rejected[0]["lines"] == [6]
    assert rejected[0]["field"] in {"Month", "Date"}


def test_a_row_from_another_month_than_the_file_name_says_is_rejected(
    tmp_path, warehouse_root, shared_data
):
    source = (shared_data / STREET).read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    lines[9] = lines[9].replace(",2022-07,", ",2022-08,", 1)
    path = tmp_path / "2022-07-city-of-london-street.csv"
    path.write_text("".join(lines), encoding="utf-8")
    file = run_import("police-uk", path).files.get()
    [problem] = [p for p in file.problems if p["rejected"]]
    assert problem["kind"] == "month is not 2022-07, the month in the file's name"
    assert problem["lines"] == [10]


def test_coordinates_out_of_range_are_rejected(tmp_path, warehouse_root, shared_data):
    source = (shared_data / STREET).read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    lines[2] = lines[2].replace(",51.", ",91.", 1)
    path = tmp_path / "2022-07-city-of-london-street.csv"
    path.write_text("".join(lines), encoding="utf-8")
    file = run_import("police-uk", path).files.get()
    assert [(p["kind"], p["lines"]) for p in file.problems if p["rejected"]] == [
        ("coordinates out of range", [3])
    ]


def test_two_files_for_the_same_month_in_one_import_are_refused(
    tmp_path, warehouse_root, shared_data
):
    later = shared_data / "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"
    earlier = (
        shared_data
        / "police-uk/city-of-london/street-earlier-download/2022-07-city-of-london-street.csv"
    )
    before = snapshot(warehouse_root)
    result = run_import("police-uk", later, earlier)
    assert result.status == ImportStatus.FAILED
    assert "also holds street for city-of-london, 2022-07" in result.error
    assert snapshot(warehouse_root) == before


def test_a_folder_with_one_bad_file_imports_nothing(tmp_path, warehouse_root, shared_data):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = shared_data / "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"
    (folder / good.name).write_bytes(good.read_bytes())
    bad = shared_data / "police-uk/city-of-london/street/2022-08-city-of-london-street.csv"
    (folder / bad.name).write_text(truncate(bad.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(warehouse_root)
    result = run_import("police-uk", folder)
    assert (
        result.status == ImportStatus.FAILED
        and "2022-08-city-of-london-street.csv, line 41" in result.error
    )
    assert snapshot(warehouse_root) == before
    assert not DataImport.objects.filter(
        status=ImportStatus.SUCCEEDED, files__file_name=good.name
    ).exists()
