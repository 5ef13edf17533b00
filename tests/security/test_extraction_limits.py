"""Letters and emails from strangers are parsed within limits, in a child process, before
any transaction: a zip bomb dressed as a Word document, an email nested 3,000 deep, a corrupt
or enormous PDF each get a clear GOV.UK error naming the file, quickly, and nothing is saved."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from policeplan import sandbox
from policeplan.consultations.models import Response
from policeplan.consultations.tests.conftest import build
from tests.security import hostile_work


def docx_bomb(megabytes: int = 560) -> bytes:
    """A .docx whose word/document.xml unpacks to `megabytes` MB (one paragraph of a single
    letter repeated): about 540 KB packed, as in the report."""
    buffer = io.BytesIO()
    chunk = b"a" * 1024 * 1024
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>')
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def deep_eml(depth: int = 3000) -> bytes:
    head = ["From: Jo <jo@example.org>\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"]
    tail = []
    for level in range(depth):
        head.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n')
        tail.append(f"\r\n--b{level}--\r\n")
    head.append("Content-Type: text/plain\r\n\r\nMore officers please.\r\n")
    return ("".join(head) + "".join(reversed(tail))).encode()


def many_pages_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb()


@pytest.fixture
def consultation(demo, users):
    return build(users["policy_officer"])


def _post(client, consultation, name: str, data: bytes):
    return client.post(
        f"/staff/consultations/{consultation.pk}/submissions/add/",
        {"channel": "letter", "upload": SimpleUploadedFile(name, data)},
    )


def _stored(settings) -> set[str]:
    media = settings.MEDIA_ROOT
    return {str(p) for p in media.rglob("*") if p.is_file()} if media.exists() else set()


@pytest.fixture
def nothing_saved(settings, consultation):
    """Call it after the posts: true when no response and no file was stored."""
    before = _stored(settings)
    return lambda: not Response.objects.exists() and _stored(settings) == before


def test_a_docx_bomb_is_refused_quickly_naming_the_file_and_nothing_is_saved(
    client, consultation, users, bomb, nothing_saved
):
    assert len(bomb) < 700 * 1024
    client.force_login(users["policy_officer"])
    started = time.monotonic()
    page = _post(client, consultation, "bomb.docx", bomb)
    took = time.monotonic() - started
    assert page.status_code == 200 and took < 10
    assert "govuk-error-summary" in page.text
    assert "bomb.docx: it would unpack to 560 MB" in page.text
    assert nothing_saved()


def test_an_email_nested_3000_deep_is_a_clear_error_not_a_500(
    client, consultation, users, nothing_saved
):
    client.force_login(users["policy_officer"])
    page = _post(client, consultation, "deep.eml", deep_eml())
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "deep.eml: it has parts nested more than 10 deep" in page.text
    assert nothing_saved()


def test_an_email_nested_a_little_is_still_read(client, consultation, users):
    client.force_login(users["policy_officer"])
    _post(client, consultation, "ok.eml", deep_eml(3))
    assert Response.objects.get().body == "More officers please."


def test_corrupt_and_enormous_pdfs_are_clear_errors(client, consultation, users, nothing_saved):
    from policeplan.plans.demo.pdf import text_pdf

    real = text_pdf(["Please fund youth clubs in Brent."], title="Letter")
    client.force_login(users["policy_officer"])
    cut = _post(client, consultation, "cut.pdf", real[: len(real) // 3])
    assert "cut.pdf: it is not a readable PDF" in cut.text
    junk = _post(client, consultation, "junk.pdf", b"%PDF-1.7\n" + b"\x00\xff" * 5000)
    assert "junk.pdf: it is not a readable PDF" in junk.text
    many = _post(client, consultation, "many.pdf", many_pages_pdf(501))
    assert "many.pdf: it has 501 pages; a letter we can read has at most 500" in many.text
    assert nothing_saved()


def test_a_docx_with_thousands_of_parts_is_refused(client, consultation, users, nothing_saved):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(2000):
            archive.writestr(f"word/part{number}.xml", "<x/>")
    client.force_login(users["policy_officer"])
    page = _post(client, consultation, "parts.docx", buffer.getvalue())
    assert "parts.docx: it holds 2,000 parts" in page.text
    assert nothing_saved()


@pytest.mark.django_db(transaction=True)
def test_the_file_is_parsed_before_any_transaction_opens(client, demo, users, monkeypatch):
    from django.db import connection

    from policeplan.consultations import extract

    consultation = build(users["policy_officer"])
    seen = []
    real = extract.extract

    def watching(name, data):
        seen.append(connection.in_atomic_block)
        return real(name, data)

    monkeypatch.setattr(extract, "extract", watching)
    client.force_login(users["policy_officer"])
    _post(client, consultation, "letter.txt", b"Keep the front counter in Barnet open.")
    assert seen == [False]
    assert Response.objects.get().body == "Keep the front counter in Barnet open."


def test_the_sandbox_stops_work_that_eats_memory_cpu_or_time_and_returns_results():
    assert sandbox.run_limited(hostile_work.answer, 21) == 42
    with pytest.raises(sandbox.LimitExceeded, match="more than 256 MB of memory"):
        sandbox.run_limited(hostile_work.eat_memory, 2048, memory_mb=256)
    with pytest.raises(sandbox.LimitExceeded, match="more than 1 seconds of processing"):
        sandbox.run_limited(hostile_work.spin, cpu_seconds=1, wall_seconds=20)
    started = time.monotonic()
    with pytest.raises(sandbox.LimitExceeded, match="longer than 1 seconds"):
        sandbox.run_limited(hostile_work.sleep, 60, wall_seconds=1)
    assert time.monotonic() - started < 10
    with pytest.raises(sandbox.LimitExceeded, match="nested too deeply"):
        sandbox.run_limited(hostile_work.recurse)
