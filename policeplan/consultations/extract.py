"""Text out of letters and emails: .eml, .txt, .pdf and .docx.

`extract(name, data)` returns the text and, for emails, the sender and date it names.
A file that cannot be read raises ExtractError naming the file and what was wrong.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
import io
import re
from dataclasses import dataclass

import nh3

ALLOWED = (".eml", ".txt", ".pdf", ".docx")
MAX_BYTES = 10 * 1024 * 1024


class ExtractError(ValueError):
    pass


@dataclass(frozen=True)
class Extracted:
    text: str
    sender_name: str = ""
    sender_email: str = ""
    received_on: datetime.date | None = None
    subject: str = ""


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _eml(data: bytes) -> Extracted:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.keys():
        raise ExtractError("it is not an email: it has no headers")
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        text = ""
    else:
        text = body.get_content()
        if body.get_content_type() == "text/html":
            text = nh3.clean(text, tags=set())
    name, address = email.utils.parseaddr(str(message.get("From", "")))
    received = None
    if message.get("Date"):
        try:
            received = email.utils.parsedate_to_datetime(str(message["Date"])).date()
        except (TypeError, ValueError):
            received = None
    return Extracted(
        text=_tidy(text),
        sender_name=name,
        sender_email=address,
        received_on=received,
        subject=str(message.get("Subject", "")),
    )


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise ExtractError(f"it is not a readable PDF ({error})") from None
    return Extracted(text=_tidy("\n\n".join(pages)))


def _docx(data: bytes) -> Extracted:
    import zipfile

    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractError(f"it is not a readable Word document ({error})") from None
    return Extracted(text=_tidy("\n".join(p.text for p in document.paragraphs)))


def extract(name: str, data: bytes) -> Extracted:
    lower = name.lower()
    if not lower.endswith(ALLOWED):
        raise ExtractError(f"{name}: choose a .eml, .txt, .pdf or .docx file")
    if len(data) > MAX_BYTES:
        raise ExtractError(f"{name}: the file must be smaller than 10 MB")
    if not data:
        raise ExtractError(f"{name}: the file is empty")
    try:
        if lower.endswith(".txt"):
            return Extracted(text=_tidy(_decode(data)))
        if lower.endswith(".eml"):
            return _eml(data)
        if lower.endswith(".pdf"):
            return _pdf(data)
        return _docx(data)
    except ExtractError as error:
        raise ExtractError(f"{name}: {error}") from None
