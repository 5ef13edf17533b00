"""Fetching data.police.uk: the monthly archive (every force's street, outcomes and
stop-and-search CSVs in one zip) and the JSON API (which months exist; a force's stop and
searches for a month, written out in the archive's CSV layout so one importer reads both).

Downloads stream to a temporary file and are renamed into place only when complete, so an
interrupted download never leaves a file that looks whole.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policeplan.warehouse import schemas

DEFAULT_BASE_URL = "https://data.police.uk"
USER_AGENT = "policeplan (+https://github.com/policeplan) data.police.uk importer"


class DownloadError(Exception):
    pass


@dataclass
class Client:
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 60.0

    def _open(self, path: str, params: dict[str, str] | None = None):
        url = self.base_url.rstrip("/") + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        if not url.startswith(("http://", "https://")):
            raise DownloadError(f"Only http and https addresses can be used, not {url}")
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
        except urllib.error.HTTPError as error:
            raise DownloadError(f"{url} answered {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise DownloadError(f"{url} could not be reached: {error.reason}") from None

    def json(self, path: str, params: dict[str, str] | None = None) -> Any:
        with self._open(path, params) as response:
            return json.load(response)

    def available_months(self) -> list[str]:
        """Months with street-level data, newest first (from /api/crimes-street-dates)."""
        data = self.json("/api/crimes-street-dates")
        return [str(item["date"]) for item in data]

    def archive(self, month: str, target_dir: Path) -> Path:
        """Download the monthly archive zip for `month` (YYYY-MM) into target_dir."""
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{month}.zip"
        with self._open(f"/data/archive/{month}.zip") as response:
            expected = int(response.headers.get("Content-Length") or 0)
            with tempfile.NamedTemporaryFile(dir=target_dir, delete=False, suffix=".part") as part:
                shutil.copyfileobj(response, part, length=1 << 20)
                part_path = Path(part.name)
        size = part_path.stat().st_size
        if expected and size != expected:
            part_path.unlink()
            raise DownloadError(
                f"{month}.zip stopped after {size:,} of {expected:,} bytes: try again"
            )
        part_path.replace(target)
        return target

    def stops_force(self, force: str, month: str, target_dir: Path) -> Path:
        """A force's stop and searches for a month from the API, as a CSV in the archive layout."""
        data = self.json("/api/stops-force", {"force": force, "date": month})
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{month}-{force}-stop-and-search.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            # An input for the importer, kept exactly as the API gave it (not for people to
            # open): cells are not passed through policeplan.safecells, which would alter them.
            writer = csv.writer(handle)
            writer.writerow(schemas.STOP_SEARCH)
            for item in data:
                writer.writerow(_stop_row(item))
        return target


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _stop_row(item: dict) -> list[str]:
    location = item.get("location") or {}
    operation = item.get("operation")
    return [
        _text(item.get("type")),
        _text(item.get("datetime")),
        _text(operation if operation is None else bool(operation)),
        _text(item.get("operation_name")),
        _text(location.get("latitude")),
        _text(location.get("longitude")),
        _text(item.get("gender")),
        _text(item.get("age_range")),
        _text(item.get("self_defined_ethnicity")),
        _text(item.get("officer_defined_ethnicity")),
        _text(item.get("legislation")),
        _text(item.get("object_of_search")),
        _text(item.get("outcome")),
        _text(item.get("outcome_linked_to_object_of_search")),
        _text(item.get("removal_of_more_than_outer_clothing")),
    ]
