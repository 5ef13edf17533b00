import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.performance.models import DataImport, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, users):
    client.force_login(users["analyst"])
    return client


def test_an_analyst_uploads_files_and_follows_the_import(
    analyst_client, warehouse_root, shared_data
):
    files = [
        SimpleUploadedFile(p.name, p.read_bytes(), "text/csv")
        for p in sorted((shared_data / "police-uk/city-of-london/street").glob("2023-0[1-3]-*.csv"))
    ]
    response = analyst_client.post("/staff/data/import/", {"kind": "police-uk", "uploads": files})
    data_import = DataImport.objects.exclude(kind="ons-lookup").get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/staff/data/imports/{data_import.pk}/"
    )
    page = analyst_client.get(response["Location"]).text
    assert "Imported" in page
    assert (
        "2023-01-city-of-london-street.csv" in page and "2023-03-city-of-london-street.csv" in page
    )
    assert "no location (field ‘LSOA code’), kept" in page
    assert "2023-01-city-of-london-street.csv:" in page and "rows to check" in page
    status = analyst_client.get(f"/staff/data/imports/{data_import.pk}/status.json").json()
    assert status == {
        "status": "succeeded",
        "status_label": "Imported",
        "progress": 100,
        "stage": "Done",
        "finished": True,
    }
    catalogue = analyst_client.get("/staff/data/").text
    assert "Street-level crime: City of London Police" in catalogue
    assert "2023-01 to 2023-03 (3 months)" in catalogue
    assert data_import.created_by.role == "analyst"


def test_a_failed_upload_says_why_and_what_to_do(analyst_client, warehouse_root, shared_data):
    good = (
        shared_data / "police-uk/city-of-london/street/2023-01-city-of-london-street.csv"
    ).read_text()
    broken = SimpleUploadedFile(
        "2023-01-city-of-london-street.csv", good.replace("Month", "Period", 1).encode()
    )
    response = analyst_client.post(
        "/staff/data/import/", {"kind": "police-uk", "uploads": [broken]}, follow=True
    )
    assert "The import failed and nothing was changed" in response.text
    assert (
        "2023-01-city-of-london-street.csv, line 1: the columns are not the expected ones"
        in response.text
    )
    assert DataImport.objects.exclude(kind="ons-lookup").get().status == ImportStatus.FAILED


def test_the_upload_form_validates_before_anything_is_queued(analyst_client):
    response = analyst_client.post("/staff/data/import/", {"kind": "pas"})
    assert "Select one or more files to import" in response.text
    response = analyst_client.post(
        "/staff/data/import/", {"kind": "pas", "uploads": [SimpleUploadedFile("notes.docx", b"x")]}
    )
    assert "notes.docx must be a CSV, Parquet or zip file" in response.text
    assert not DataImport.objects.exclude(kind="ons-lookup").exists()


def test_policy_officers_cannot_import(client, users):
    client.force_login(users["policy_officer"])
    assert client.get("/staff/data/").status_code == 403
    response = client.post(
        "/staff/data/import/", {"kind": "pas", "uploads": [SimpleUploadedFile("a.csv", b"x")]}
    )
    assert response.status_code == 403
    assert not DataImport.objects.exclude(kind="ons-lookup").exists()


def test_the_catalogue_makes_a_fixed_number_of_queries(
    analyst_client, warehouse_root, django_assert_max_num_queries
):
    for _ in range(5):
        DataImport.objects.create(kind="pas", source="x", summary={"paths": []})
    with django_assert_max_num_queries(10):
        assert analyst_client.get("/staff/data/").status_code == 200
