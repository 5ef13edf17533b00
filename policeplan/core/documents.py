"""The one document pipeline: a page's HTML (cheap to render) turned into a tagged PDF
(expensive: about a second of CPU with WeasyPrint) once, then served from storage.

A PDF is stored under `generated/<folder>/<sha256 of the HTML>.pdf` in Django's default
storage, so the key is what the PDF shows: when the content changes the HTML changes, and the
next request (or the job that prepares it) makes a new PDF; older ones in the folder are
removed. Rendering takes a lock in the shared cache (`cache.add`, which holds across
processes with the database cache or Redis), so concurrent misses render once: the others
get None and the view answers 503 with Retry-After, rather than queueing behind WeasyPrint
(which is what let eight requests stall the public site). A half-written file (another
process saving it) is never served: a PDF ends with `%%EOF`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

# Longer than any render; a process that dies holding the lock frees it after this.
RENDER_LOCK_SECONDS = 120


def render_pdf(html: str) -> bytes:
    """The one call to WeasyPrint: a PDF/UA (tagged) document, links resolved on SITE_URL."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=settings.SITE_URL).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def pdf_name(*, folder: str, html: str) -> str:
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return f"generated/{folder}/{digest}.pdf"


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return data if data.rstrip().endswith(b"%%EOF") else None


def _store(*, folder: str, name: str, pdf: bytes) -> None:
    if default_storage.exists(name):  # left half-written by a process that died
        default_storage.delete(name)
    default_storage.save(name, ContentFile(pdf))
    _, files = default_storage.listdir(f"generated/{folder}")
    for other in files:
        if f"generated/{folder}/{other}" != name:
            default_storage.delete(f"generated/{folder}/{other}")


def stored_only(*, folder: str, html: str) -> bytes | None:
    """The PDF of `html` if it has been made and stored; None otherwise (never renders)."""
    return _read(pdf_name(folder=folder, html=html))


def stored_pdf(*, folder: str, html: str) -> bytes | None:
    """The PDF of `html`: from storage, or rendered now and stored; None while another
    process is rendering the same document (ask again shortly)."""
    name = pdf_name(folder=folder, html=html)
    pdf = _read(name)
    if pdf is not None:
        return pdf
    lock, key = caches["shared"], f"pdf-render:{name}"
    if not lock.add(key, 1, timeout=RENDER_LOCK_SECONDS):
        return None
    try:
        pdf = _read(name)  # finished by another process between the read and the lock
        if pdf is None:
            pdf = render_pdf(html)
            _store(folder=folder, name=name, pdf=pdf)
        return pdf
    finally:
        lock.delete(key)
