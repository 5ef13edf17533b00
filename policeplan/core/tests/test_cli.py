import subprocess
import sys

import pytest
from django.core.management import call_command

from policeplan.cli import main


def test_help_lists_the_project_commands(capsys):
    main(["policeplan", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: policeplan COMMAND")
    for command in ["demo", "createstaff", "migrate", "runserver"]:
        assert command in out


def test_the_installed_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "policeplan.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Police and Crime Plan cycle" in result.stdout


@pytest.mark.django_db
def test_demo_loads_once_and_is_skipped_when_asked_on_a_used_database(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "Loaded the demo" in out and "policy@demo.policeplan.example" in out
    call_command("demo", "--if-empty")
    assert "the demo was not loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_createstaff_without_a_terminal_says_so_or_reads_the_environment(monkeypatch):
    """A deployment script has no terminal to type a password into: a clear error, not an
    EOFError traceback, and STAFF_PASSWORD is read instead when it is set."""
    from django.core.management.base import CommandError

    from policeplan.core.models import User

    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="no terminal to ask for the password"):
        call_command("createstaff", "a@office.example", name="A Person", role="analyst")
    assert not User.objects.filter(email="a@office.example").exists()
    monkeypatch.setenv("STAFF_PASSWORD", "A-long-enough-passphrase-2026")
    call_command("createstaff", "a@office.example", name="A Person", role="analyst")
    assert User.objects.get(email="a@office.example").check_password(
        "A-long-enough-passphrase-2026"
    )
