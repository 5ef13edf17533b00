"""policeplan data counts ... : counts by month, area and category for analysts."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from policeplan.performance import geography
from policeplan.performance.services import warehouse
from policeplan.safecells import SafeWriter
from policeplan.warehouse import counts as warehouse_counts

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
DATASETS = {
    "street": "street",
    "outcomes": "outcomes",
    "stop-and-search": "stop_search",
    "mps-crime": "mps_crime",
}
# What each dataset is called, and the import that brings it in.
MISSING = {
    "street": ("street-level crime records", "police-uk FOLDER_OF_MONTHLY_FILES"),
    "outcomes": ("outcome records", "police-uk FOLDER_OF_MONTHLY_FILES"),
    "stop-and-search": ("stop and search records", "police-uk FOLDER_OF_MONTHLY_FILES"),
    "mps-crime": ("MPS recorded crime figures", "mps-crime FILE.csv"),
}


class Command(BaseCommand):
    help = "Query the imported data. 'policeplan data counts --help' for the options."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        counts = sub.add_parser("counts", help="Counts by month, area and category.")
        counts.add_argument("--dataset", required=True, choices=sorted(DATASETS))
        counts.add_argument("--level", required=True, choices=warehouse_counts.LEVELS)
        counts.add_argument(
            "--category",
            action="append",
            default=[],
            help="Crime type, outcome or MPS category; repeat for several.",
        )
        counts.add_argument("--from", dest="start", help="First month, YYYY-MM.")
        counts.add_argument("--to", dest="end", help="Last month, YYYY-MM.")
        counts.add_argument(
            "--scheme", default="current", choices=["current", "old"], help="MPS category scheme."
        )
        counts.add_argument("--format", default="csv", choices=["csv", "json"])

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("start", "end"):
            if options[name] and not MONTH.fullmatch(options[name]):
                flag = "--from" if name == "start" else "--to"
                raise CommandError(f"{flag} must be a month like 2024-03, not ‘{options[name]}’")
        wh = warehouse()
        if not wh.has(DATASETS[options["dataset"]]):
            what, command = MISSING[options["dataset"]]
            raise CommandError(
                f"No {what} have been imported, so there is nothing to count. Import them "
                f"first: policeplan import {command} (see docs/how-to/import-data.md)."
            )
        import duckdb  # only to recognise its errors; already loaded by the warehouse

        con = wh.connect()
        try:
            rows = warehouse_counts.counts(
                con,
                wh,
                dataset=DATASETS[options["dataset"]],
                level=options["level"],
                categories=options["category"],
                start=options["start"],
                end=options["end"],
                force_names=geography.force_names(),
                scheme=options["scheme"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        except duckdb.Error as error:
            raise CommandError(
                f"The imported {MISSING[options['dataset']][0]} could not be read ({error}). "
                "Importing them again replaces them."
            ) from error
        finally:
            con.close()
        if not rows:
            self.stderr.write("No records match those options.")
        fields = ["month", "area_code", "area_name", "category", "count"]
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([dict(zip(fields, row, strict=True)) for row in rows], indent=1)
            )
            return
        writer = SafeWriter(self.stdout if self.stdout else sys.stdout, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(rows)
