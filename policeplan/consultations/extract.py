"""Text out of letters and emails: .eml, .txt, .pdf and .docx.

`extract(name, data)` returns the text and, for emails, the sender and date it names.
A file that cannot be read raises ExtractError naming the file and what was wrong.

Every file is a stranger's, so it is read within limits, checked before parsing where the
format allows (a .docx is a zip: its parts are counted and their unpacked size added up
before anything is unpacked) and parsed in a child process with its own memory, CPU and
wall-clock limits (`policeplan.sandbox`), never in the web or job worker itself. Callers run
it before opening a database transaction. No Django here.
"""

from __future__ import annotations

import dataclasses
import datetime
import email
import email.policy
import email.utils
import io
import re
from dataclasses import dataclass
from typing import Any

import nh3

from policeplan import sandbox

ALLOWED = (".eml", ".txt", ".pdf", ".docx")
MAX_BYTES = 10 * 1024 * 1024
DOCX_MAX_PARTS = 300
DOCX_MAX_UNPACKED = 40 * 1024 * 1024
EML_MAX_DEPTH = 10
EML_MAX_PARTS = 200
PDF_MAX_PAGES = 500
MEMORY_MB = 768
CPU_SECONDS = 15
WALL_SECONDS = 30


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


def _eml_shape(data: bytes) -> None:
    """Refuse an email nested deeper than EML_MAX_DEPTH before the parser recurses into it:
    count how many multipart boundaries are open at once, line by line."""
    boundary = re.compile(rb'boundary\s*=\s*"?([^";\r\n]+)"?', re.IGNORECASE)
    declared = [m.group(1).strip() for m in boundary.finditer(data)]
    open_parts: list[bytes] = []
    pending = set(declared)
    for line in data.splitlines():
        if not line.startswith(b"--"):
            continue
        marker = line[2:].rstrip()
        if marker.endswith(b"--") and marker[:-2] in open_parts:
            del open_parts[open_parts.index(marker[:-2]) :]
        elif marker in pending and marker not in open_parts:
            open_parts.append(marker)
            if len(open_parts) > EML_MAX_DEPTH:
                raise ExtractError(
                    f"it has parts nested more than {EML_MAX_DEPTH} deep, which no email "
                    "program makes: send the text as a plain email or a document"
                )
    if len(declared) > EML_MAX_PARTS:
        raise ExtractError(
            f"it has {len(declared):,} multipart sections; an email we can read has at most "
            f"{EML_MAX_PARTS}"
        )


def _eml(data: bytes) -> Extracted:
    _eml_shape(data)
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
        count = len(reader.pages)
        if count > PDF_MAX_PAGES:
            raise ExtractError(
                f"it has {count:,} pages; a letter we can read has at most {PDF_MAX_PAGES}"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise ExtractError(f"it is not a readable PDF ({str(error)[:200]})") from None
    return Extracted(text=_tidy("\n\n".join(pages)))


def _docx(data: bytes) -> Extracted:
    import zipfile

    from docx import Document

    if problem := sandbox.zip_within(
        io.BytesIO(data), max_parts=DOCX_MAX_PARTS, max_unpacked=DOCX_MAX_UNPACKED
    ):
        raise ExtractError(problem.replace("zip-based file", "Word document"))
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractError(f"it is not a readable Word document ({error})") from None
    return Extracted(text=_tidy("\n".join(p.text for p in document.paragraphs)))


def _parse(lower: str, data: bytes) -> Extracted:
    if lower.endswith(".txt"):
        return Extracted(text=_tidy(_decode(data)))
    if lower.endswith(".eml"):
        return _eml(data)
    if lower.endswith(".pdf"):
        return _pdf(data)
    return _docx(data)


def parse(lower: str, data: bytes) -> dict[str, Any]:
    """Parse one file by its extension, as plain values. Runs in the limited child process."""
    found = _parse(lower, data)
    return {
        **dataclasses.asdict(found),
        "received_on": found.received_on.isoformat() if found.received_on else None,
    }


def extract(name: str, data: bytes) -> Extracted:
    lower = name.lower()
    if not lower.endswith(ALLOWED):
        raise ExtractError(f"{name}: choose a .eml, .txt, .pdf or .docx file")
    if len(data) > MAX_BYTES:
        raise ExtractError(f"{name}: the file must be smaller than 10 MB")
    if not data:
        raise ExtractError(f"{name}: the file is empty")
    try:
        found = sandbox.run_limited(
            parse,
            lower,
            data,
            memory_mb=MEMORY_MB,
            cpu_seconds=CPU_SECONDS,
            wall_seconds=WALL_SECONDS,
        )
    except (sandbox.Refused, sandbox.LimitExceeded) as error:
        raise ExtractError(f"{name}: {error}") from None
    received = found.pop("received_on")
    return Extracted(
        **found, received_on=datetime.date.fromisoformat(received) if received else None
    )
