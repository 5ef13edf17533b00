"""Fetch a force's police stations from data.police.uk (neighbourhood by neighbourhood) and
save them as one locations document, for the staff page that imports them into the register
(/staff/estate/import-police-uk/). Nothing is written to the database here."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from policeplan.estates.police_uk import LocationsError, fetch_force_locations
from policeplan.warehouse.download import DEFAULT_BASE_URL, Client


class Command(BaseCommand):
    help = (
        "Save a force's police stations from data.police.uk as JSON, to import on the staff page."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", required=True, help="data.police.uk's id, like metropolitan")
        parser.add_argument("--out", required=True, type=Path, help="the JSON file to write")
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL)

    def handle(self, *args: Any, force: str, out: Path, base_url: str, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            if done == total or done % 25 == 0:
                self.stdout.write(f"{done} of {total} neighbourhoods read")

        try:
            found = fetch_force_locations(Client(base_url=base_url), force, progress=progress)
        except LocationsError as error:
            raise CommandError(str(error)) from None
        document = {
            "locations": [
                {
                    "name": loc.name,
                    "address": loc.address,
                    "postcode": loc.postcode,
                    "latitude": None if loc.latitude is None else str(loc.latitude),
                    "longitude": None if loc.longitude is None else str(loc.longitude),
                    "type": loc.kind,
                    "telephone": loc.telephone,
                    "description": loc.description,
                }
                for loc in found
            ]
        }
        # Written whole, then moved into place: an interrupted run leaves no half file.
        handle, name = tempfile.mkstemp(dir=out.resolve().parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1)
        os.replace(name, out)
        self.stdout.write(self.style.SUCCESS(f"{len(found)} locations written to {out}"))
