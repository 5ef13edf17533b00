"""Uploads are refused while they arrive, once over their limit: never read whole first.

`LimitedUploadHandler` comes first in FILE_UPLOAD_HANDLERS. It counts the bytes of the files
in a request as Django streams them (to memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then to a
temporary file) and stops the upload as soon as they pass the view's limit (`upload_limit`),
or UPLOAD_MAX_BYTES for a view that sets none. The rest of the request is then discarded
unread, and the view shows `refusal(request)` as the field's error.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

View = TypeVar("View", bound=Callable[..., Any])


def stored_name(given: str) -> str:
    """A name for storing an upload: random, made by the server, with the given name's
    extension only when it is a short run of letters and digits (".pdf", ".docx")."""
    extension = given.rsplit(".", 1)[-1].lower() if "." in given else ""
    suffix = f".{extension}" if extension.isascii() and extension.isalnum() else ""
    return uuid.uuid4().hex + suffix[:6]


def safe_display_name(given: str, *, limit: int = 255) -> str:
    """The last part of the name someone gave a file, without paths or control characters:
    kept as data (shown escaped, offered as a download name), never used as a path."""
    name = given.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:limit] or "file"


def upload_limit(limit_bytes: int) -> Callable[[View], View]:
    """Mark a view as accepting uploads of at most `limit_bytes` in all."""

    def mark(view: View) -> View:
        view.upload_limit = limit_bytes  # type: ignore[attr-defined]
        return view

    return mark


def describe(size: int) -> str:
    """500MB, 20MB, 512KB: a size as the GOV.UK file upload pattern words it."""
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)}MB"
    return f"{max(1, size // 1024)}KB"


def limit_for(request: HttpRequest) -> int:
    match = getattr(request, "resolver_match", None)
    view = getattr(match, "func", None)
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        if candidate is not None and hasattr(candidate, "upload_limit"):
            return int(candidate.upload_limit)
    return int(settings.UPLOAD_MAX_BYTES)


def refusal(request: HttpRequest) -> str:
    """The message for an upload stopped for its size ('' when none was)."""
    return str(getattr(request, "upload_refused", ""))


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.limit = limit_for(request) if request is not None else settings.UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_refused = (  # type: ignore[attr-defined]
                    f"The selected files must be smaller than {describe(self.limit)} in all"
                )
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
