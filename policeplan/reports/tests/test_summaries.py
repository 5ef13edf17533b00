"""Every published version of a consultation's summary of responses is archived as it was:
a new edition when what it publishes changes, none when it does not, each PDF kept byte for
byte."""

from __future__ import annotations

import io

import pypdf
import pytest

from policeplan.analysis.documents import results_pdf_prepare
from policeplan.reports.models import SummaryEdition

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def published(demo):
    from policeplan.consultations import demo as consultations_demo

    past, _ = consultations_demo.load()
    assert past.results_published_at is not None
    return past


def test_each_published_version_of_a_summary_is_archived_as_it_was(client, published):
    archive = "/reports/consultation-summaries/"
    assert "Its first version is being archived" in client.get(archive).text
    results_pdf_prepare(consultation_id=published.pk)
    results_pdf_prepare(consultation_id=published.pk)  # the same again: no new edition
    assert SummaryEdition.objects.filter(consultation=published).count() == 1
    first = client.get(f"{archive}{published.slug}/version-1.pdf")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert "Summary of responses" in _text(first.content)

    # Ten respondents withdraw: the published counts change, so the summary is published
    # again; the first version stays as it was.
    from policeplan.consultations.models import Response, ResponseStatus

    counted = Response.objects.filter(consultation=published, status=ResponseStatus.SUBMITTED)
    before = counted.count()
    Response.objects.filter(pk__in=list(counted.values_list("pk", flat=True)[:10])).update(
        status=ResponseStatus.WITHDRAWN
    )
    results_pdf_prepare(consultation_id=published.pk)
    assert SummaryEdition.objects.filter(consultation=published).count() == 2
    second = client.get(f"{archive}{published.slug}/version-2.pdf")
    assert f"{before - 10:,}" in _text(second.content)
    assert client.get(f"{archive}{published.slug}/version-1.pdf").content == first.content
    assert f"{before:,}" in _text(first.content)
    page = client.get(archive).text
    assert "version-1.pdf" in page and "version-2.pdf" in page
    assert client.get(f"{archive}{published.slug}/version-3.pdf").status_code == 404


def test_an_unpublished_consultations_summary_is_never_archived_or_served(client, published):
    from policeplan.consultations.models import Consultation

    results_pdf_prepare(consultation_id=published.pk)
    Consultation.objects.filter(pk=published.pk).update(results_published_at=None)
    results_pdf_prepare(consultation_id=published.pk)
    assert SummaryEdition.objects.filter(consultation=published).count() == 1
    url = f"/reports/consultation-summaries/{published.slug}/version-1.pdf"
    assert client.get(url).status_code == 404
    assert published.title not in client.get("/reports/consultation-summaries/").text
