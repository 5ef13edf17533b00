import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.core.tests.test_storage_s3 import s3  # noqa: F401  (the fixture)
from policeplan.performance.models import DataImport, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, users):
    client.force_login(users["analyst"])
    return client


def test_an_analyst_uploads_files_and_follows_the_import(
    analyst_client, warehouse_root, shared_data, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile(p.name, p.read_bytes(), "text/csv")
        for p in sorted((shared_data / "police-uk/city-of-london/street").glob("2023-0[1-3]-*.csv"))
    ]
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued on commit
        response = analyst_client.post(
            "/staff/data/import/", {"kind": "police-uk", "uploads": files}
        )
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
    assert "January 2023 to March 2023 (3 months)" in catalogue
    assert data_import.created_by.role == "analyst"


def test_a_failed_upload_says_why_and_what_to_do(
    analyst_client, warehouse_root, shared_data, django_capture_on_commit_callbacks
):
    good = (
        shared_data / "police-uk/city-of-london/street/2023-01-city-of-london-street.csv"
    ).read_text()
    broken = SimpleUploadedFile(
        "2023-01-city-of-london-street.csv", good.replace("Month", "Period", 1).encode()
    )
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued on commit
        posted = analyst_client.post(
            "/staff/data/import/", {"kind": "police-uk", "uploads": [broken]}
        )
    response = analyst_client.get(posted["Location"])
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
    assert "notes.docx must be a CSV, Parquet, zip or GeoJSON file" in response.text
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


def test_an_analyst_adds_changes_and_removes_a_caveat_the_measure_page_shows(analyst_client, demo):
    from policeplan.core.models import AuditEvent
    from policeplan.performance.models import Caveat
    from policeplan.performance.services import geography_configure
    from policeplan.performance.tests.conftest import run_import
    from policeplan.plans.demo.loader import EXTRACT
    from policeplan.plans.models import Measure

    # Figures for the page to show (caveats are shown with figures): the demo's recent file.
    geography_configure()
    run_import("mps-crime", EXTRACT / "mps-recorded-crime/borough/mps_borough_recent.csv")

    violence = Measure.objects.get(
        outcome__priority__version=demo, title="Violence with injury offences"
    )
    page = f"/performance/measures/{violence.lineage}/"
    assert "Bodycam pilot" not in analyst_client.get(page).text
    held = Caveat.objects.count()  # the demo's own, and any the import found
    form = {
        "dataset": "mps_crime",
        "effective_from": "2024-13",
        "title": "",
        "text": "Officers in two boroughs wore cameras.",
        "categories": "VIOLENCE WITH INJURY\n",
    }
    response = analyst_client.post("/staff/data/caveats/add/", form)
    assert response.status_code == 200 and Caveat.objects.count() == held  # nothing written
    assert "Enter the month as year and month, like 2024-02" in response.text
    assert "Enter a short title" in response.text and "govuk-error-summary" in response.text

    form.update(effective_from="2024-06", title="Bodycam pilot", is_series_break="on")
    response = analyst_client.post("/staff/data/caveats/add/", form)
    assert response.status_code == 302 and response["Location"] == "/staff/data/caveats/"
    caveat = Caveat.objects.get(title="Bodycam pilot")
    assert caveat.categories == ["VIOLENCE WITH INJURY"] and caveat.is_series_break
    assert "From June 2024: Bodycam pilot." in analyst_client.get(page).text
    listing = analyst_client.get("/staff/data/caveats/").text
    assert "Bodycam pilot" in listing and "MPS recorded crime" in listing

    # A change shows at once: the cached page body is keyed on the caveats' last change.
    form.update(title="Body-worn camera pilot")
    analyst_client.post(f"/staff/data/caveats/{caveat.pk}/", form)
    html = analyst_client.get(page).text
    assert "From June 2024: Body-worn camera pilot." in html and "Bodycam pilot" not in html

    assert "Are you sure" in analyst_client.get(f"/staff/data/caveats/{caveat.pk}/remove/").text
    analyst_client.post(f"/staff/data/caveats/{caveat.pk}/remove/")
    assert not Caveat.objects.filter(pk=caveat.pk).exists()
    assert "From June 2024: Body-worn camera pilot" not in analyst_client.get(page).text
    actions = list(
        AuditEvent.objects.filter(action__startswith="caveat.", actor__isnull=False).values_list(
            "action", flat=True
        )
    )  # the analyst's (the import's own caveats are recorded with no actor)
    assert sorted(actions) == ["caveat.create", "caveat.remove", "caveat.update"]
    removed = AuditEvent.objects.get(action="caveat.remove")
    assert removed.changes["title"] == ["Body-worn camera pilot", None]


def test_an_analyst_uploads_figures_for_a_measure_reported_elsewhere(analyst_client, demo):
    from policeplan.core.models import AuditEvent
    from policeplan.performance import services
    from policeplan.performance.models import Area, MeasureValue
    from policeplan.plans.models import Measure

    services.geography_configure()
    satisfaction = Measure.objects.get(
        outcome__priority__version=demo, title="Victim satisfaction with the overall service"
    )
    page = analyst_client.get("/staff/data/figures/").text
    assert "Victim satisfaction with the overall service" in page
    assert "Violence with injury offences" not in page  # computed here, not uploaded

    def upload(text):
        return analyst_client.post(
            "/staff/data/figures/",
            {
                "measure": str(satisfaction.lineage),
                "upload": SimpleUploadedFile("uss.csv", text.encode(), "text/csv"),
            },
        )

    header = "area_code,period_type,last_month,numerator,base\n"
    response = upload(
        header + "metropolitan,quarter,2024-06,1520,2000\nNOWHERE,quarter,2024-06,5,9\n"
    )
    assert response.status_code == 200
    assert "uss.csv, line 3, field ‘area_code’: ‘NOWHERE’ is not one of the office" in response.text
    assert "Nothing was changed" in response.text
    assert not MeasureValue.objects.filter(measure_lineage=satisfaction.lineage).exists()

    response = upload(
        header + "metropolitan,quarter,2024-06,1520,2000\nNW,quarter,2024-06,120,160\n"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/performance/measures/{satisfaction.lineage}/"
    html = analyst_client.get(response["Location"]).text
    assert "2 figures for ‘Victim satisfaction with the overall service’ have been stored" in html
    assert "76.0%" in html and "base 2,000" in html
    assert "Counted outside this service (Victim satisfaction survey)" in html
    assert (
        MeasureValue.objects.filter(
            measure_lineage=satisfaction.lineage, area=Area.objects.get(code="NW")
        )
        .get()
        .value
        == 0.75
    )
    assert AuditEvent.objects.filter(action="measure_figures.import").count() == 1
    # The public home page now links it and shows London's figure.
    home = analyst_client.get("/performance/").text
    assert f'href="/performance/measures/{satisfaction.lineage}/"' in home and "76.0%" in home


def test_recent_imports_are_dated_the_short_way_staff_tables_do(analyst_client, users):
    import datetime

    from django.utils import timezone

    from policeplan.performance.services import data_import_create

    data_import = data_import_create(user=users["analyst"], kind="pas", paths=[])
    DataImport.objects.filter(pk=data_import.pk).update(
        created_at=datetime.datetime(2026, 12, 1, 18, 30, tzinfo=timezone.get_current_timezone())
    )
    html = analyst_client.get("/staff/data/").text
    assert '<td class="govuk-table__cell">1 Dec 2026, 6:30pm</td>' in html


@pytest.mark.parametrize("store", ["folder", "object store"])
def test_an_upload_reaches_the_worker_through_the_file_storage_not_a_shared_disk(
    analyst_client,
    warehouse_root,
    shared_data,
    settings,
    django_capture_on_commit_callbacks,
    request,
    store,
):
    """The web process puts the upload in the file storage; the job fetches it from there
    into a folder of its own (a worker on another machine sees no web disk), and the stored
    copy is removed once imported."""
    from django.core.files.storage import default_storage

    if store == "object store":
        request.getfixturevalue("s3")  # files in an S3 bucket (moto)
    settings.UPLOAD_ROOT = settings.MEDIA_ROOT.parent / "not-shared"
    source = shared_data / "police-uk/city-of-london/street/2023-01-city-of-london-street.csv"
    upload = SimpleUploadedFile(source.name, source.read_bytes(), "text/csv")
    seen = {}
    from policeplan.performance import services

    real_fetch = services._fetch

    def fetch(names, folder):
        seen["in_storage"] = [default_storage.exists(n) for n in names]
        return real_fetch(names, folder)

    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_fetch", fetch)
        with django_capture_on_commit_callbacks(execute=True):
            analyst_client.post("/staff/data/import/", {"kind": "police-uk", "uploads": [upload]})
    data_import = DataImport.objects.exclude(kind="ons-lookup").get()
    assert data_import.status == ImportStatus.SUCCEEDED
    assert seen["in_storage"] == [True]
    assert data_import.upload_dir.startswith("imports/")
    assert not default_storage.exists(data_import.summary["stored"][0])  # removed once done
    assert not settings.UPLOAD_ROOT.exists()
    if store == "object store":
        assert not settings.MEDIA_ROOT.exists()  # nothing on this machine's disk
