from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from policeplan.core.roles import Role
from policeplan.core.services import user_create


class Command(BaseCommand):
    help = (
        "Create a staff account with a role. "
        "The password is asked for, never passed on the command line; without a terminal "
        "(a script or deployment job) it is read from the STAFF_PASSWORD environment variable."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument("--role", required=True, choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password()
        try:
            user = user_create(
                email=options["email"],
                full_name=options["name"],
                role=options["role"],
                password=password,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} ({user.get_role_display()})."))

    def _password(self) -> str:
        if not sys.stdin.isatty():
            password = os.environ.get("STAFF_PASSWORD", "")
            if not password:
                raise CommandError(
                    "There is no terminal to ask for the password: run this in a terminal, or "
                    "set STAFF_PASSWORD in the environment of a script."
                )
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The passwords do not match.")
        return password
