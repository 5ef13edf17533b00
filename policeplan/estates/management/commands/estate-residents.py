"""policeplan estate-residents: where the force's residents live, for 'residents near an open
front counter' - the ONS population-weighted centroid of each LSOA, with its residents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from policeplan.core.uploads import safe_display_name
from policeplan.estates import coverage, services


class Command(BaseCommand):
    help = (
        "Load the ONS 'LSOA population weighted centroids' CSV and the ONS LSOA population "
        "estimates (the same LSOA edition, 2011 or 2021) for the force's boroughs; replaces "
        "the points used by /front-counters/residents-nearby/. All or nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--centroids", required=True, type=Path, help="ONS PWC CSV")
        parser.add_argument("--populations", required=True, type=Path, help="ONS LSOA estimates")
        parser.add_argument("--year", required=True, type=int, help="the estimates' mid-year")

    def handle(self, *args: Any, **options: Any) -> None:
        centroids_path: Path = options["centroids"]
        populations_path: Path = options["populations"]
        if not 1990 <= options["year"] <= 2100:
            raise CommandError("--year: the mid-year of the estimates, like 2020")
        try:
            centroids = coverage.read_centroids(centroids_path)
            data = populations_path.read_bytes()
        except coverage.CentroidError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                f"{safe_display_name(str(error.filename or populations_path), limit=120)}: "
                "cannot be read"
            ) from None
        try:
            made = services.resident_points_import(
                user=None,
                centroids=centroids,
                populations=data,
                populations_name=populations_path.name,
                year=options["year"],
                source=f"ONS population-weighted centroids ({centroids_path.name}) and "
                f"mid-{options['year']} LSOA estimates ({populations_path.name})",
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Loaded {made:,} LSOAs' residents for the force's boroughs")
