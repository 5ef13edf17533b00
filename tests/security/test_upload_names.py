"""Uploads are stored under names the server makes, and stopped at their view's limit while
they stream: the name a person gave a file is data only, never a path on the server."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan.consultations.models import Response
from policeplan.consultations.tests.conftest import build

HOSTILE = [
    "../../../var/secret-key.txt",
    "x'); COPY (SELECT 1) TO '/tmp/owned.csv'; --.txt",
    "read_text('var/secret-key').txt",
    "..\\..\\boot.txt",
    "<img src=x onerror=alert(1)>.txt",
]
SERVER_NAME = re.compile(r"^consultations/submissions/\d{4}/\d{2}/[0-9a-f]{32}\.txt$")


def files(folder):
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def consultation(demo, users):
    return build(users["policy_officer"])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("name", HOSTILE)
def test_a_letter_is_stored_under_a_server_made_name(client, users, consultation, media, name):
    client.force_login(users["policy_officer"])
    before = files(media)
    page = client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {"channel": "letter", "upload": SimpleUploadedFile(name, b"More officers, please.")},
    )
    assert page.status_code == 302, page.text[:2000]
    response = Response.objects.get(channel="letter", body="More officers, please.")
    assert SERVER_NAME.match(response.document.name), response.document.name
    assert files(media) - before == {media / response.document.name}
    assert "/" not in response.document_name and "\\" not in response.document_name
    assert response.document_name.endswith(".txt")


def test_the_name_a_letter_came_with_is_erased_on_withdrawal(client, users, consultation, media):
    from policeplan.consultations import services

    client.force_login(users["policy_officer"])
    client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {"channel": "letter", "upload": SimpleUploadedFile("jane-smith.txt", b"Hello.")},
    )
    response = Response.objects.get(document_name="jane-smith.txt")
    # A letter's sender asks the office, and a policy officer withdraws it for them.
    services.response_withdraw_on_behalf(user=users["policy_officer"], response=response)
    response.refresh_from_db()
    assert response.document_name == "" and not response.document


@pytest.mark.parametrize(
    ("path", "field", "limit"),
    [
        ("submissions/add/", "upload", "10MB"),
        (None, "upload", "50MB"),
    ],
)
def test_uploads_are_stopped_at_their_limit_while_they_stream(
    client, users, consultation, media, path, field, limit
):
    client.force_login(users["policy_officer"])
    size = int(limit[:-2]) * 1024 * 1024 + 1
    url = (
        f"/staff/consultations/{consultation.pk}/{path}" if path else "/staff/consultations/import/"
    )
    before, stored = Response.objects.count(), files(media)
    page = client.post(
        url, {"channel": "letter", field: SimpleUploadedFile("big.txt", b"a" * size)}
    )
    assert page.status_code == 200
    assert f"The selected files must be smaller than {limit} in all" in page.text
    assert Response.objects.count() == before
    assert files(media) == stored


def test_a_view_that_sets_no_limit_takes_no_more_than_a_megabyte(client, users, demo):
    """A file sent to a page that takes none (here the public withdrawal form) is stopped at
    1MB rather than written to a temporary file whole."""
    from django.core.files.uploadhandler import StopUpload

    from policeplan.core import uploads

    handler = uploads.LimitedUploadHandler(None)
    assert handler.limit == 1024 * 1024
    handler.receive_data_chunk(b"a" * 1024 * 1024, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"a", 1024 * 1024)
