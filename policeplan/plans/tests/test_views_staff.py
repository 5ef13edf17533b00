import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.plans.models import Chapter, Plan, VersionState
from policeplan.plans.tests.factories import complete_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_creating_a_plan_with_bad_dates_shows_errors_and_saves_nothing(officer_client):
    response = officer_client.post(
        "/staff/plans/new/",
        {
            "title": "",
            "starts_on_day": "1",
            "starts_on_month": "4",
            "starts_on_year": "2025",
            "ends_on_day": "31",
            "ends_on_month": "3",
            "ends_on_year": "2024",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter title of the plan" in response.text
    assert "The end date must be after the start date" in response.text
    assert response.text.count('href="#id_ends_on_day"') == 1
    assert "<title>Error:" in response.text
    assert not Plan.objects.exists()


def test_creating_a_plan_opens_its_task_list(officer_client):
    response = officer_client.post(
        "/staff/plans/new/",
        {
            "title": "Kent Police and Crime Plan 2025–29",
            "starts_on_day": "1",
            "starts_on_month": "4",
            "starts_on_year": "2025",
            "ends_on_day": "31",
            "ends_on_month": "3",
            "ends_on_year": "2029",
        },
        follow=True,
    )
    assert "Version 1: draft" in response.text
    assert "This version has 0 of 6" in response.text
    assert Plan.objects.get().versions.get().state == VersionState.DRAFT


def test_adding_a_chapter_validates_and_saves(officer_client):
    version = complete_version()
    url = f"/staff/versions/{version.pk}/chapters/add/"
    response = officer_client.post(url, {"title": "", "body": "", "statutory_element": ""})
    assert "Enter title" in response.text and "Enter the text of the chapter" in response.text
    assert version.chapters.count() == 1
    response = officer_client.post(
        url, {"title": "Foreword", "body": "Hello", "statutory_element": ""}
    )
    assert response.status_code == 302
    assert version.chapters.filter(title="Foreword", slug="foreword").exists()


def test_measures_are_added_under_their_outcome(officer_client):
    version = complete_version()
    outcome = version.priorities.get().outcomes.get()
    response = officer_client.post(
        f"/staff/versions/{version.pk}/measures/add/?parent={outcome.pk}",
        {
            "title": "Homicides",
            "data_source_kind": "recorded_crime",
            "unit": "count",
            "direction": "lower",
            "geography_levels": ["force", "borough"],
            "frequency": "monthly",
            "parent": outcome.pk,
        },
    )
    assert response.status_code == 302
    assert outcome.measures.filter(
        title="Homicides", geography_levels=["force", "borough"]
    ).exists()
    missing_parent = officer_client.get(f"/staff/versions/{version.pk}/measures/add/")
    assert missing_parent.status_code == 404


def test_refused_publication_lists_each_missing_item(officer_client):
    version = complete_version()
    version.resources.all().delete()
    version.grants.all().delete()
    response = officer_client.post(f"/staff/versions/{version.pk}/publish/", {"state": "final"})
    assert response.status_code == 200
    assert "This version cannot be published as the final plan yet" in response.text
    # Each missing item links to the section where it is added.
    assert (
        f'<a href="/staff/versions/{version.pk}/resources/">'
        "Add at least one budget line for the resources provided</a>"
    ) in response.text
    assert (
        f'<a href="/staff/versions/{version.pk}/grants/">'
        "Add the grants the plan makes, or a statement that it makes none</a>"
    ) in response.text
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT


def test_publishing_a_complete_plan_makes_it_public(officer_client, client):
    version = complete_version()
    response = officer_client.post(
        f"/staff/versions/{version.pk}/publish/", {"state": "final", "change_note": "First"}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == VersionState.FINAL
    assert officer_client.get(f"/staff/versions/{version.pk}/chapters/add/").status_code == 403


def test_removing_asks_first_then_archives(officer_client):
    version = complete_version()
    chapter = version.chapters.get()
    url = f"/staff/versions/{version.pk}/chapters/{chapter.pk}/remove/"
    assert "Are you sure you want to remove the chapter" in officer_client.get(url).text
    officer_client.post(url)
    assert not Chapter.objects.filter(pk=chapter.pk).exists()
    assert Chapter.all_objects.filter(pk=chapter.pk).exists()


def test_uploads_must_be_what_they_claim(officer_client):
    version = complete_version()
    fake = SimpleUploadedFile("plan.pdf", b"MZ this is not a pdf", "application/pdf")
    response = officer_client.post(
        f"/staff/versions/{version.pk}/documents/add/",
        {"title": "Easy read", "kind": "easy_read", "file": fake},
    )
    assert "The selected file is not a real PDF" in response.text
    assert not version.documents.exists()
    exe = SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream")
    response = officer_client.post(
        f"/staff/versions/{version.pk}/documents/add/",
        {"title": "Tool", "kind": "supporting", "file": exe},
    )
    assert "The selected file must be a" in response.text


def test_items_of_another_version_cannot_be_reached_through_this_one(officer_client):
    first, second = complete_version(), complete_version()
    other = second.chapters.get()
    assert (
        officer_client.get(f"/staff/versions/{first.pk}/chapters/{other.pk}/edit/").status_code
        == 404
    )


def test_the_staff_home_makes_a_fixed_number_of_queries_however_many_plans(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    counts = []
    for extra in [1, 8]:
        for _ in range(extra):
            complete_version()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_task_list_makes_a_fixed_number_of_queries_however_large_the_plan(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policeplan.plans.tests.factories import MeasureFactory

    client.force_login(officer)
    counts = []
    for measures in [1, 12]:
        version = complete_version()
        outcome = version.priorities.get().outcomes.get()
        for _ in range(measures):
            MeasureFactory(outcome=outcome)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/staff/versions/{version.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2024-25", "2024-25"),
        ("2024/25", "2024-25"),
        ("2024-2025", "2024-25"),
        (" 2024/2025 ", "2024-25"),
    ],
)
def test_financial_years_are_accepted_in_the_ways_people_write_them(typed, stored):
    from policeplan.plans.forms import ResourceLineForm

    form = ResourceLineForm(data={"heading": "Grant", "financial_year": typed, "amount": "10"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["financial_year"] == stored


@pytest.mark.parametrize("typed", ["2024-26", "24-25", "next year", "2024"])
def test_financial_years_that_are_not_one_year_are_refused(typed):
    from policeplan.plans.forms import ResourceLineForm

    form = ResourceLineForm(data={"heading": "Grant", "financial_year": typed, "amount": "10"})
    assert form.errors["financial_year"] == ["Enter the financial year like 2024-25"]


def test_a_numeric_target_needs_its_kind_its_figure_and_a_baseline():
    from policeplan.plans.forms import MeasureForm

    data = {
        "title": "Burglary",
        "data_source_kind": "recorded_crime",
        "unit": "percentage",
        "direction": "lower",
        "geography_levels": ["force"],
        "frequency": "monthly",
        "target_kind": "change",
        "target_value": "",
    }
    form = MeasureForm(data=data)
    assert not form.is_valid()
    assert form.errors["target_value"] == ["Enter the target figure"]
    assert form.errors["baseline_period"] == ["Enter the baseline the target is a change from"]
    form = MeasureForm(data={**data, "target_kind": "level", "target_value": "120"})
    assert form.errors["target_value"] == ["Enter a percentage from 0 to 100"]
    form = MeasureForm(data={**data, "target_kind": "", "target_value": "ten"})
    assert form.errors["target_value"] == ["Enter the target figure as a number"]
    form = MeasureForm(data={**data, "target_value": "-10", "baseline_period": "2021-22"})
    assert form.is_valid(), form.errors


HOSTILE_NAMES = [
    "../../../var/secret-key.pdf",
    "x'); COPY (SELECT 1) TO '/tmp/owned.csv'; --.pdf",
    "read_text('var/secret-key').pdf",
    "..\\..\\windows\\system32.pdf",
    "<script>alert(1)</script>.pdf",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_document_is_stored_under_a_name_the_server_makes(
    officer_client, settings, tmp_path, name
):
    settings.MEDIA_ROOT = str(tmp_path)
    version = complete_version()
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = officer_client.post(
        f"/staff/versions/{version.pk}/documents/add/",
        {"title": "Easy read", "kind": "easy_read", "file": upload},
    )
    assert response.status_code == 302
    document = version.documents.get()
    stored = document.file.name.rsplit("/", 1)[-1]
    assert len(stored) == len("0" * 32 + ".pdf") and stored.endswith(".pdf")
    assert int(stored[:32], 16) >= 0  # hexadecimal, made by the server
    # Every file written is inside MEDIA_ROOT, under the plans folder.
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [tmp_path / document.file.name]
    # The sender's name is kept as data only: no path, no control characters, shown escaped.
    assert "/" not in document.original_name and "\\" not in document.original_name
    assert all(ch.isprintable() for ch in document.original_name)
    page = officer_client.get(f"/staff/versions/{version.pk}/documents/").text
    assert "<script>alert(1)</script>" not in page


def test_a_document_name_with_control_characters_is_refused_and_nothing_written(
    officer_client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    version = complete_version()
    upload = SimpleUploadedFile("a\x00b\r\nc.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = officer_client.post(
        f"/staff/versions/{version.pk}/documents/add/",
        {"title": "Easy read", "kind": "easy_read", "file": upload},
    )
    assert "The selected file must be a" in response.text
    assert not version.documents.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_document_over_the_limit_is_stopped_while_it_streams(officer_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    version = complete_version()
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024), "application/pdf")
    response = officer_client.post(
        f"/staff/versions/{version.pk}/documents/add/",
        {"title": "Too big", "kind": "supporting", "file": big},
    )
    assert response.status_code == 200
    assert "The selected files must be smaller than 20MB in all" in response.text
    assert not version.documents.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
