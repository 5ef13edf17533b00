from __future__ import annotations

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

    def handle(self, *args: Any, **options: Any) -> None:
        if Office.objects.exists() or User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data; the demo was not loaded.")
                return
            raise CommandError("The database already has data. Use a new database for the demo.")
        final = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo: {final.plan.title}, {final.number} versions.")
        )
        self.stdout.write(
            f"Demo staff accounts (password '{DEMO_PASSWORD}', for demonstration only):"
        )
        for user in User.objects.order_by("email"):
            self.stdout.write(f"  {user.email:<38} {user.get_role_display()}")
