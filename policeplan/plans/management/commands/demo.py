from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from policeplan.core.models import Office, User
from policeplan.plans.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo office (MOPAC), its Police and Crime Plan and one staff account per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has an office or accounts.",
        )
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help="A folder laid out like ../shared/data: import its real files for the measures.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Office.objects.exists() or User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data; the demo was not loaded.")
                return
            raise CommandError("The database already has data. Use a new database for the demo.")
        final = load_demo()
        self._load_consultations()
        self._load_scrutiny()
        if options["data"]:
            self._import_real_data(options["data"])
        else:
            self._load_demonstration_data()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo: {final.plan.title}, {final.number} versions.")
        )
        self.stdout.write(
            f"Demo staff accounts (password '{DEMO_PASSWORD}', for demonstration only):"
        )
        for user in User.objects.order_by("email"):
            self.stdout.write(f"  {user.email:<38} {user.get_role_display()}")

    def _load_consultations(self) -> None:
        from policeplan.analysis import demo as analysis
        from policeplan.consultations.demo import load

        consultations = load()
        for consultation in consultations:
            self.stdout.write(f"Demo consultation: {consultation.title}")
        analysis.load(consultation=consultations[0])
        self.stdout.write("Demo analysis: themes, review, blind sample, you said, we did")

    def _load_scrutiny(self) -> None:
        from policeplan.scrutiny.demo import load

        committee = load()
        self.stdout.write(f"Demo scrutiny: the {committee.name}, two meetings, minutes, actions")

    def _load_demonstration_data(self) -> None:
        """Synthetic figures for the demo's measures, labelled as such on every page."""
        from policeplan.performance import demodata

        for data_import in demodata.load():
            status = data_import.get_status_display().lower()
            self.stdout.write(f"Demonstration data: {data_import.get_kind_display()}, {status}")
        Office.objects.update(demo_data=True)

    def _import_real_data(self, root: Path) -> None:
        """Import, in order, the real files the demo plan's measures are computed from."""
        from django.core.management import call_command

        steps = [
            ("ons-lookup", ["ons/lookups"]),
            ("population", ["ons/population-borough/population_clean.csv"]),
            ("tile-grid", ["geography/tile-grid/grid.csv"]),
            ("boundaries", ["geography/boundaries/london-boroughs_1179.geojson"]),
            ("pas", ["mopac-pas/PAS_buroughs.csv"]),
            ("pas", ["mopac-pas/PAS_Total.csv"]),
            (
                "mps-crime",
                [
                    "mps-recorded-crime/borough/mps_borough_historical.csv",
                    "mps-recorded-crime/borough/mps_borough_recent.csv",
                ],
            ),
            ("police-uk", ["police-uk/metropolitan/stop-and-search"]),
        ]
        for kind, paths in steps:
            present = [root / p for p in paths if (root / p).exists()]
            if not present:
                self.stdout.write(f"Skipped {kind}: {', '.join(paths)} not found in {root}")
                continue
            call_command(
                "import", kind, *[str(p) for p in present], "--no-progress", stdout=self.stdout
            )
