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
    _demo_reports_are_published_complete_on_the_stored_figures()
    _demo_estate_covers_every_borough_and_breaks_the_pledge_once()
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


def _demo_estate_covers_every_borough_and_breaks_the_pledge_once():
    """Every one of the Met's 32 boroughs has its counters and resident points; the 24-hour
    pledge was broken in Sutton in the summer of 2025 and nowhere else; one closure is past
    (2023) and one planned; the disposals include one withheld."""
    import datetime

    from policeplan.estates import selectors
    from policeplan.estates.models import Disposal, HoursSchedule

    areas = selectors.boroughs()
    assert len(areas) == 32
    every = list(selectors.buildings())
    assert {b.borough_id for b in every} == {a.pk for a in areas}
    assert all(b.located for b in every)
    (pledge,) = selectors.pledges()
    spells = selectors.pledge_history(pledge)
    assert [(s.starts_on, [a.name for a in s.failing]) for s in spells] == [
        (datetime.date(2017, 11, 1), []),
        (datetime.date(2025, 6, 1), ["Sutton"]),
        (datetime.date(2025, 10, 1), []),
    ]
    closures = HoursSchedule.objects.filter(hours="closed")
    today = datetime.date.today()
    assert closures.filter(starts_on__gt=today).count() == 1
    assert closures.filter(starts_on__year=2023).count() == 1
    assert Disposal.objects.filter(exempt=True).count() == 1
    for area in areas:
        found = selectors.access_coverage(day=today, borough=area, every=every)
        assert found.result is not None and found.result.total > 0
        assert found.methods == ["Borough population spread evenly over the borough (demo only)"]


def _demo_reports_are_published_complete_on_the_stored_figures():
    """The demo publishes the annual report for 2023-24, the latest complete quarter and the
    latest month (the extract's figures end in March 2026), each with approved commentary on
    every figure it shows, and each figure the one stored for its period."""
    from policeplan.performance.models import MeasureValue
    from policeplan.reports import assemble, checklist
    from policeplan.reports.models import Report

    found = {(r.kind, r.period_key): r for r in Report.objects.all()}
    assert set(found) == {
        ("annual", "2023-24"),
        ("quarterly", "2025-26-Q4"),
        ("monthly", "2026-03"),
    }
    for report in found.values():
        assert report.published_at is not None and report.snapshot
        assert checklist.missing(report=report, snapshot=report.snapshot) == []
        shown = [m for m in assemble.measures_of(report.snapshot) if m["value"] is not None]
        assert len(shown) >= 10
        for m in shown:
            assert m["period_key"] and m["commentary"]
            stored = MeasureValue.objects.get(
                measure_lineage=m["lineage"],
                area_id=m["area_id"],
                period_kind=m["kind"],
                period_key=m["period_key"],
            )
            assert m["value"] == stored.value
            assert stored.period_end <= report.period_end
