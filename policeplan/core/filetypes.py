"""What kind of document a file is, by its name AND its first bytes: a file is accepted only
when both say it is one of the kinds allowed (no Django here).

The extension alone would let `report.pdf` be an HTML page or a program; the bytes alone
would let a PDF be stored as `.html` and served as one. Office formats are zip files (checked
for their own parts, by reading the zip's directory only) or, for the old Word and Excel,
OLE2 compound files; text formats must be UTF-8 with no NUL bytes.
"""

from __future__ import annotations

import zipfile
from typing import IO

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# Extension -> (what the first bytes must be, a part the zip must hold, or neither for text).
DOCUMENTS: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", ""),
    "doc": (OLE2, ""),
    "xls": (OLE2, ""),
    "docx": (ZIP, "word/document.xml"),
    "xlsx": (ZIP, "xl/workbook.xml"),
    "odt": (ZIP, "mimetype"),
    "ods": (ZIP, "mimetype"),
    "csv": (b"", ""),
    "txt": (b"", ""),
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
TEXT_SAMPLE = 64 * 1024


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_document(name: str, file: IO[bytes]) -> bool:
    """True when the name's extension is an allowed kind and the content is that kind.
    Leaves the file at its start."""
    kind = extension(name)
    if kind not in DOCUMENTS:
        return False
    magic, part = DOCUMENTS[kind]
    try:
        file.seek(0)
        head = file.read(max(len(magic), TEXT_SAMPLE))
        if not head.startswith(magic) or not head:
            return False
        if not magic:
            return b"\x00" not in head and _utf8(head, complete=len(head) < TEXT_SAMPLE)
        if part:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                if part not in archive.namelist():
                    return False
                if kind in ODF_MIMETYPES:
                    return archive.read("mimetype").strip() == ODF_MIMETYPES[kind]
        return True
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return False
    finally:
        file.seek(0)


def _utf8(head: bytes, *, complete: bool) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A sample may end inside a character; only the whole of a short file must decode.
        return not complete and error.start >= len(head) - 3
    return True
