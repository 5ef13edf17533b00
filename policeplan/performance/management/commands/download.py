"""policeplan download police-uk ... : fetch data.police.uk files, and import them if asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from policeplan.performance import geography
from policeplan.warehouse.download import DEFAULT_BASE_URL, Client, DownloadError


class Command(BaseCommand):
    help = (
        "Download from data.police.uk: the monthly archive (street, outcomes, stop and search) "
        "or a force's stop and searches from the API. --import brings them in straight away."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", choices=["police-uk"])
        parser.add_argument(
            "--month", action="append", default=[], help="YYYY-MM; repeat, or omit for the latest."
        )
        parser.add_argument(
            "--stops-api", action="store_true", help="Fetch stop and search from the API instead."
        )
        parser.add_argument(
            "--to", type=Path, default=None, help="Folder for the files (default var/downloads)."
        )
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
        parser.add_argument(
            "--import", dest="do_import", action="store_true", help="Import what was downloaded."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        client = Client(base_url=options["base_url"])
        target = options["to"] or Path(settings.WAREHOUSE_ROOT).parent / "downloads"
        try:
            months = options["month"] or client.available_months()[:1]
            files = []
            for month in months:
                if options["stops_api"]:
                    for force in geography.config():
                        files.append(client.stops_force(force.code, month, target))
                else:
                    files.append(client.archive(month, target))
                self.stdout.write(f"Downloaded {month} to {target}")
        except DownloadError as error:
            raise CommandError(str(error)) from error
        if options["do_import"]:
            call_command(
                "import", "police-uk", *[str(f) for f in files], "--no-progress", stdout=self.stdout
            )
