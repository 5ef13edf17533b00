import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_import_prints_what_became_of_each_file(warehouse_root, shared_data, capsys):
    path = shared_data / "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"
    call_command("import", "police-uk", str(path), "--no-progress")
    out = capsys.readouterr().out
    assert (
        "2022-07-city-of-london-street.csv: 786 rows read, 786 accepted, 0 rejected, 78 with no location"
        in out
    )
    assert "succeeded" in out


def test_a_failed_import_exits_with_the_reason(warehouse_root, tmp_path):
    bad = tmp_path / "2022-07-city-of-london-street.csv"
    bad.write_text("Crime ID,Month\nx,2022-07\n")
    with pytest.raises(
        CommandError,
        match=r"failed and changed nothing\. 2022-07-city-of-london-street\.csv, line 1",
    ):
        call_command("import", "police-uk", str(bad), "--no-progress")


def test_a_monthly_archive_zip_imports_only_the_offices_forces(
    warehouse_root, shared_data, tmp_path, capsys
):
    archive = tmp_path / "2023-01.zip"
    with zipfile.ZipFile(archive, "w") as z:
        source = shared_data / "police-uk/city-of-london/street/2023-01-city-of-london-street.csv"
        z.write(source, "2023-01/2023-01-city-of-london-street.csv")
        z.writestr(
            "2023-01/2023-01-kent-street.csv", source.read_text().replace("City of London", "Kent")
        )
    call_command("import", "police-uk", str(archive), "--no-progress")
    out = capsys.readouterr().out
    assert "2023-01-city-of-london-street.csv" in out and "kent" not in out


def test_data_counts_by_borough_as_csv_and_json(warehouse_root, shared_data, capsys):
    call_command(
        "import",
        "police-uk",
        str(shared_data / "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"),
        "--no-progress",
    )
    capsys.readouterr()
    call_command(
        "data",
        "counts",
        "--dataset",
        "street",
        "--level",
        "borough",
        "--category",
        "Burglary",
        "--format",
        "csv",
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "month,area_code,area_name,category,count"
    rows = [line.split(",") for line in lines[1:]]
    assert all(r[0] == "2022-07" and r[3] == "Burglary" for r in rows)
    city = next(r for r in rows if r[1] == "E09000001")
    call_command("data", "counts", "--dataset", "street", "--level", "force", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert {d["area_name"] for d in data} == {"City of London Police"}
    assert sum(d["count"] for d in data) == 786
    assert int(city[4]) > 0


def test_data_counts_refuses_a_bad_month(warehouse_root):
    with pytest.raises(CommandError, match="--from must be a month like 2024-03"):
        call_command(
            "data", "counts", "--dataset", "street", "--level", "borough", "--from", "2024-13"
        )


def test_data_counts_says_what_is_missing_when_nothing_is_imported(warehouse_root):
    """The README's example, on a warehouse with no street-level records: a sentence that
    names what to import, not a traceback and not an empty table."""
    with pytest.raises(CommandError) as error:
        call_command(
            "data", "counts", "--dataset", "street", "--level", "borough", "--category", "Burglary"
        )
    assert str(error.value) == (
        "No street-level crime records have been imported, so there is nothing to count. "
        "Import them first: policeplan import police-uk FOLDER_OF_MONTHLY_FILES "
        "(see docs/how-to/import-data.md)."
    )
