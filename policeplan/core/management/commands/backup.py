"""policeplan backup DIR: the database, files and warehouse together, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from policeplan.core import backup


class Command(BaseCommand):
    help = (
        "Back up everything (database, uploaded and generated files, the crime warehouse) into "
        "a new or empty folder, with a manifest of row counts and file hashes written last."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path, help="A new or empty folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.backup(options["folder"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        files = sum(len(v) for v in manifest["files"].values())
        self.stdout.write(
            f"Backed up {rows:,} rows and {files:,} files to {options['folder']} "
            f"({manifest['jobs_waiting']:,} jobs were waiting)"
        )
