"""The public summary's PDF costs a render once per content, never per request: it is kept
in storage under the hash of its HTML, concurrent misses render once (the others are asked
to come back), and it is prepared when the results are published."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from policeplan.consultations import services as consult
from policeplan.consultations.models import Consultation
from policeplan.consultations.tests.conftest import consultation  # noqa: F401
from policeplan.core import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Every WeasyPrint render, counted (the real render still runs)."""
    calls: list[str] = []
    real = documents.render_pdf

    def spy(html: str) -> bytes:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(documents, "render_pdf", spy)
    return calls


@pytest.fixture
def closed(consultation):  # noqa: F811
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=1)
    )
    consultation.refresh_from_db()
    return consultation


def _stored(item) -> list[str]:
    folder = f"generated/results/{item.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_two_requests_render_once_and_a_change_makes_a_new_pdf(client, closed, renders):
    Consultation.objects.filter(pk=closed.pk).update(results_published_at=timezone.now())
    first = client.get(f"/consultations/{closed.slug}/results.pdf")
    second = client.get(f"/consultations/{closed.slug}/results.pdf")
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1 and first.content == second.content
    assert "Summary of responses" in _text(first.content)
    assert len(_stored(closed)) == 1

    Consultation.objects.filter(pk=closed.pk).update(title="Your say on a changed plan")
    changed = client.get(f"/consultations/{closed.slug}/results.pdf")
    assert len(renders) == 2 and "Your say on a changed plan" in _text(changed.content)
    assert client.get(f"/consultations/{closed.slug}/results.pdf").content == changed.content
    assert len(renders) == 2
    assert len(_stored(closed)) == 1  # the superseded PDF is gone


def test_a_request_while_another_renders_is_asked_to_come_back(client, closed, renders):
    Consultation.objects.filter(pk=closed.pk).update(results_published_at=timezone.now())
    closed.refresh_from_db()
    from policeplan.analysis.documents import results_pdf_html

    name = documents.pdf_name(
        folder=f"results/{closed.pk}", html=results_pdf_html(consultation=closed, preview=False)
    )
    caches["shared"].add(f"pdf-render:{name}", 1)  # another process is rendering it
    busy = client.get(f"/consultations/{closed.slug}/results.pdf")
    assert busy.status_code == 503 and busy["Retry-After"] == "5"
    assert "The PDF is being prepared" in busy.text and renders == []
    caches["shared"].delete(f"pdf-render:{name}")
    assert client.get(f"/consultations/{closed.slug}/results.pdf").status_code == 200
    assert len(renders) == 1


def test_a_half_written_pdf_is_never_served(client, closed, renders):
    Consultation.objects.filter(pk=closed.pk).update(results_published_at=timezone.now())
    whole = client.get(f"/consultations/{closed.slug}/results.pdf").content
    (name,) = _stored(closed)
    path = f"generated/results/{closed.pk}/{name}"
    default_storage.delete(path)
    default_storage.save(path, io.BytesIO(whole[: len(whole) // 2]))
    again = client.get(f"/consultations/{closed.slug}/results.pdf")
    assert again.content == whole and len(renders) == 2


def test_publishing_prepares_the_pdf_before_anyone_asks(
    client, closed, users, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consult.consultation_results_publish(
            user=users["policy_officer"], consultation=closed, results_summary="Thank you."
        )
    assert len(renders) == 1 and len(_stored(closed)) == 1
    pdf = client.get(f"/consultations/{closed.slug}/results.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(renders) == 1
