"""policeplan restore DIR: a whole backup into an empty database and empty storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from policeplan.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `policeplan backup` into an empty database and empty file "
        "storage, after checking every file against the manifest. Jobs waiting at backup time "
        "run again, except emails, which are held (listed) so none is sent twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path, help="The backup's folder.")
        parser.add_argument(
            "--new-secret-key",
            action="store_true",
            help="Restore although SECRET_KEY differs from the backup's (respondents' saved "
            "and withdrawal codes will not work).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.restore(options["folder"], new_secret_key=options["new_secret_key"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {report.rows:,} rows and {report.files:,} files "
            f"({report.bytes:,} bytes); {report.jobs_requeued:,} waiting jobs queued again"
        )
        self.stdout.write(
            "Next: collect the static files if this machine has not (make setup, or "
            "policeplan collectstatic), and give every process the same settings as before."
        )
        if report.jobs_held:
            self.stdout.write(
                f"{len(report.jobs_held):,} emails waiting at backup time were held, not sent "
                "(they may have gone already); check them before sending any again:"
            )
            for held in report.jobs_held:
                self.stdout.write(f"  {held}")
