"""policeplan import KIND PATH... : bring data in, with a progress bar, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from policeplan.performance.models import ImportKind, ImportStatus
from policeplan.performance.services import data_import_create, data_import_run


class Command(BaseCommand):
    help = (
        "Import data files (CSV, folders of CSVs, zip archives, or GeoJSON boundaries). Kinds: "
        + "; ".join(f"{k.value}: {k.label}" for k in ImportKind)
        + ". Run ons-lookup first: other data is matched to its areas."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(
        self, *args: Any, kind: str, paths: list[Path], no_progress: bool, **options: Any
    ) -> None:
        data_import = data_import_create(user=None, kind=kind, paths=[p.resolve() for p in paths])
        bar = tqdm(
            total=100, unit="%", disable=no_progress, leave=False, bar_format="{l_bar}{bar}| {desc}"
        )

        def progress(fraction: float, stage: str) -> None:
            bar.n = int(fraction * 100)
            bar.set_description_str(stage[:60])
            bar.refresh()

        try:
            data_import = data_import_run(data_import_id=data_import.pk, progress=progress)
        finally:
            bar.close()
        for f in data_import.files.all():
            if f.skipped_reason:
                self.stdout.write(f"{f.file_name}: skipped, {f.skipped_reason}")
                continue
            self.stdout.write(
                f"{f.file_name}: {f.rows_read:,} rows read, {f.rows_accepted:,} accepted, "
                f"{f.rows_rejected:,} rejected, {f.rows_no_location:,} with no location"
                + (f"; months {f.months[0]} to {f.months[-1]}" if f.months else "")
            )
            for problem in f.problems:
                lines = ", ".join(str(n) for n in problem["lines"][:10])
                more = "…" if problem["count"] > len(problem["lines"][:10]) else ""
                action = "rejected" if problem["rejected"] else "kept"
                plural = "s" if len(problem["lines"]) > 1 else ""
                where = f"field ‘{problem['field']}’; line{plural} {lines}{more}"
                self.stdout.write(f"    {problem['count']:,} {problem['kind']} ({action}; {where})")
        if data_import.status != ImportStatus.SUCCEEDED:
            raise CommandError(
                f"Import #{data_import.pk} failed and changed nothing. {data_import.error}"
            )
        self.stdout.write(self.style.SUCCESS(f"Import #{data_import.pk} succeeded."))
