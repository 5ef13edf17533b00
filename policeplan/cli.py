"""The `policeplan` console command: Django's management commands under one name.

policeplan --help            what it can do
policeplan migrate           any Django management command
policeplan demo --if-empty   load the demo office, plan and staff accounts
"""

from __future__ import annotations

import os
import sys

PROJECT_COMMANDS = {
    "demo": "Load the demo office, its Police and Crime Plan and demo staff accounts.",
    "createstaff": "Create a staff account with a role (policy officer, analyst, ...).",
    "migrate": "Create or update the database tables.",
    "runserver": "Serve the site for development.",
    "check": "Check the configuration (add --deploy before going live).",
}


def _help() -> str:
    lines = [
        "usage: policeplan COMMAND [options]",
        "",
        "The Police and Crime Plan cycle: plan, consult, analyse, scrutinise, monitor.",
        "",
        "Commands most often used:",
    ]
    lines += [f"  {name:<14}{text}" for name, text in PROJECT_COMMANDS.items()]
    lines += [
        "",
        "Every Django management command works too: 'policeplan help' lists them all,",
        "'policeplan help COMMAND' explains one. Configuration comes from the environment",
        "(see the README's configuration table).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in {"-h", "--help"}:
        print(_help())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policeplan.settings")
    from django.core.management import execute_from_command_line

    from policeplan.config import ConfigError

    try:
        execute_from_command_line(["policeplan", *argv[1:]])
    except ConfigError as error:  # a setting that cannot be used: say which, no traceback
        print(f"policeplan: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
