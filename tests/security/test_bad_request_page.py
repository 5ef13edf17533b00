"""A request Django refuses before any view (here an upload whose file name is 5,000
characters long) gets the GOV.UK-styled error page, like 403, 404, 500 and 503, not Django's
bare "Bad Request (400)"; the page needs nothing from the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from policeplan.core.views.errors import bad_request

pytestmark = pytest.mark.django_db


def _assert_govuk_400(response) -> None:
    page = response.content.decode()
    assert response.status_code == 400, page[:300]
    assert '<html lang="en-GB" class="govuk-template">' in page
    assert "<title>Sorry, the service could not read that request – Police and Crime Plan" in page
    assert '<h1 class="govuk-heading-l">Sorry, the service could not read that request</h1>' in (
        page
    )
    assert "Bad Request (400)" not in page and "Traceback" not in page


def test_an_upload_with_a_5000_character_file_name_gets_the_govuk_page(client, users):
    # Written by hand: the test client's own files cut a name to 255 characters.
    boundary = "hostile-boundary"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{"a" * 5000}.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
        "Month,Value\r\n2024-01,1\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    client.force_login(users["analyst"])
    response = client.post(
        "/staff/data/import/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    _assert_govuk_400(response)


def test_a_suspicious_operation_gets_the_govuk_page_without_the_database(
    django_assert_num_queries,
):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        _assert_govuk_400(bad_request(request, SuspiciousOperation("bad")))
