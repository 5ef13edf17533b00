"""Files named to attack the SQL that reads them, brought in through the command line, a zip
archive and the staff upload page: each import is refused or reads the file as data, nothing
is written outside the warehouse, and no secret reaches a message or a page.

DuckDB resolves relative paths against the working directory, so each test works from an
empty folder ("outside") holding a secret: a statement smuggled in a name that wrote a file or
read the secret would show there, or in the import's message.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from markupsafe import escape

from tests.security.conftest import run_import

STREET = "police-uk/city-of-london/street/2017-01-city-of-london-street.csv"
SECRET = "TOP-SECRET-4b1d7c0e-not-for-any-page"
# "real.csv" beside each file makes a smuggled first statement valid, so that the next runs.
HOSTILE_NAMES = [
    "2017-01-city-of-london-street'.csv",
    "real.csv'); COPY (SELECT 'pwned') TO 'pwned.csv' (FORMAT csv); SELECT ('.csv",
    "real.csv'); SELECT * FROM read_text('secret-key') WHERE content::INTEGER > 0; SELECT ('.csv",
    "x' || (SELECT content FROM read_text('secret-key')) || '.csv",
    "2017-01-city-of-london-street.csv'; SELECT 1; --.csv",
    'a"; DROP TABLE raw; --.csv',
]
ZIP_ENTRY_NAMES = [
    *HOSTILE_NAMES,
    "../../pwned.csv",
    "/var/pwned.csv",
    "folder/../../pwned.csv",
    "..\\..\\pwned.csv",
]


@pytest.fixture
def outside(tmp_path, monkeypatch, settings):
    """The working directory during the test: it holds a secret, and must gain nothing."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret-key").write_text(SECRET)
    monkeypatch.chdir(folder)
    settings.SECRET_KEY = SECRET + "-key"
    return folder


@pytest.fixture
def street_rows(shared_data) -> bytes:
    lines = (shared_data / STREET).read_bytes().splitlines(keepends=True)
    return b"".join(lines[:40])


def assert_nothing_escaped(outside: Path, *texts: str) -> None:
    assert sorted(p.name for p in outside.rglob("*")) == ["secret-key"]
    for parent in {outside.parent, outside.parent.parent}:
        assert not list(parent.glob("pwned*")), list(parent.glob("pwned*"))
    for text in texts:
        assert SECRET not in text


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_command_line_reads_hostile_names_as_data(
    name, outside, warehouse_root, street_rows, tmp_path
):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "real.csv").write_bytes(street_rows)
    path = folder / name
    path.write_bytes(street_rows)
    out = io.StringIO()
    try:
        call_command("import", "police-uk", str(path), "--no-progress", stdout=out)
        message = out.getvalue()
    except CommandError as error:
        message = str(error)
    assert_nothing_escaped(outside, message)
    assert name.split("'")[0][:10] in message  # the file is named, as its owner named it


@pytest.mark.django_db
def test_a_zip_of_hostile_entry_names_is_refused_or_read_as_data(
    outside, warehouse_root, street_rows, tmp_path
):
    for entry in ZIP_ENTRY_NAMES:
        archive = tmp_path / "incoming.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr(entry, street_rows)
        data_import = run_import("police-uk", archive)
        assert data_import.status in {"failed", "succeeded"}
        assert_nothing_escaped(outside, data_import.error, str(data_import.summary))
        if ".." in entry or entry.startswith("/"):
            assert data_import.status == "failed"
            assert "absolute path" in data_import.error or "climbs out" in data_import.error


@pytest.mark.django_db
def test_the_upload_page_stores_files_under_its_own_names(
    client, users, outside, warehouse_root, street_rows, settings, tmp_path
):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    client.force_login(users["analyst"])
    # (A double quote cannot travel inside a multipart file name: browsers send %22.)
    for name in [n for n in HOSTILE_NAMES if '"' not in n]:
        upload = SimpleUploadedFile(name, street_rows, content_type="text/csv")
        response = client.post(
            "/staff/data/import/", {"kind": "police-uk", "uploads": [upload]}, follow=True
        )
        assert response.status_code == 200
        page = response.text
        assert_nothing_escaped(outside, page)
        assert settings.SECRET_KEY not in page
        # The name is shown as the owner gave it, escaped, never as markup.
        assert str(escape(name)) in page
    catalogue = client.get("/staff/data/").text
    assert SECRET not in catalogue and settings.SECRET_KEY not in catalogue
    from policeplan.performance.models import DataImport

    uploaded = DataImport.objects.exclude(upload_dir="")
    assert uploaded.count() == len([n for n in HOSTILE_NAMES if '"' not in n])
    for data_import in uploaded:
        stored = [Path(p).name for p in data_import.summary["stored"]]
        assert all(p.startswith("imports/") for p in data_import.summary["stored"])
        assert all(s[:3].isdigit() and s.endswith(".csv") and "'" not in s for s in stored)
        assert data_import.summary["names"][0] in HOSTILE_NAMES


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_stopped_while_it_arrives(
    client, users, settings, tmp_path, monkeypatch
):
    """The 20MB figures upload: a 25MB file is refused with the GOV.UK wording, and the
    handlers that keep uploads never receive more than the limit."""
    from django.core.files import uploadhandler

    settings.UPLOAD_ROOT = tmp_path / "uploads"
    kept = {"bytes": 0}
    original = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        kept["bytes"] += len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk", counting)
    client.force_login(users["analyst"])
    big = SimpleUploadedFile("figures.csv", b"x" * (25 * 1024 * 1024), content_type="text/csv")
    response = client.post("/staff/data/figures/", {"measure": "1", "upload": big})
    assert response.status_code == 200
    assert "must be smaller than 20MB" in response.text
    assert "govuk-error-summary" in response.text
    assert kept["bytes"] <= 21 * 1024 * 1024
    assert not any(settings.UPLOAD_ROOT.rglob("*")) if settings.UPLOAD_ROOT.exists() else True
