from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from policeplan.core.models import Office, User
from policeplan.performance.models import ImportStatus
from policeplan.plans.demo.loader import DEMO_PASSWORD, EXTRACT, load_demo
from policeplan.plans.selectors import measures_reported_elsewhere


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
            help="A folder laid out like ../shared/data: import its real files for the measures "
            "(by default, the extract of real published files that comes with the demo).",
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
        self._load_figures(options["data"])
        self._load_reports()
        self._load_estate()
        self._load_local_priorities()
        # The consultations' responses are made up, and so are the figures of the measures
        # with no public data: the site says so (the measures, each on its own pages).
        Office.objects.update(demo_data=True)
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

    def _load_reports(self) -> None:
        from policeplan.reports.demo import load

        for report in load():
            self.stdout.write(
                f"Demo report: {report}, published (its PDF is made in the background)"
            )

    def _load_local_priorities(self) -> None:
        from policeplan.plans.localpriorities.demo import load

        if made := load():
            self.stdout.write(
                f"Demo local priorities: {made} borough-years (last year and this), each with "
                "its evidence pack frozen"
            )

    def _load_estate(self) -> None:
        from policeplan.estates.demo import load

        made = load()
        if made:
            self.stdout.write(
                f"Demo estate: {made['buildings']} police buildings with their opening hours, "
                f"a pledge, disposals, and {made['points']:,} resident points (each borough's "
                "population spread evenly: the demo has no LSOA centroids)"
            )

    def _load_figures(self, data: Path | None) -> None:
        """Real published files for every measure with public data (the extract committed
        with the demo, or the folder given), made-up figures for the others."""
        from policeplan.performance import demodata

        def skipped(kind: str, paths: list[str]) -> None:
            if data is not None:  # the extract has no ONS lookup, by design: no news
                self.stdout.write(f"Skipped {kind}: {', '.join(paths)} not found in {data}")

        root = data if data is not None else EXTRACT
        source = (
            f"Real published files in {data}"
            if data is not None
            else "The demo's extract of real published files (policeplan/plans/demo/data; "
            "sources and licences in its PROVENANCE.md)"
        )
        for data_import in demodata.load(root=root, source=source, skipped=skipped):
            if data_import.status != ImportStatus.SUCCEEDED:
                raise CommandError(
                    f"Importing {data_import.get_kind_display()} failed: {data_import.error}"
                )
            for f in data_import.files.all():
                self.stdout.write(
                    f"Real data: {f.file_name}: {f.rows_read:,} rows read, "
                    f"{f.rows_accepted:,} accepted"
                )
        self.stdout.write(
            "Made-up figures (marked as made up wherever they are shown) for the measures "
            "with no public data: " + ", ".join(m["title"] for m in measures_reported_elsewhere())
        )
