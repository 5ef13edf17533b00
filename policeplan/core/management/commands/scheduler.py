"""policeplan scheduler: queue scheduled jobs when they fall due (see core.scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from policeplan.core import jobs, scheduler


class Command(BaseCommand):
    help = (
        "Queue each scheduled job (retention erasure, unconfirmed alerts, the monthly police "
        "download when SCHEDULED_DOWNLOADS is on) once per period, for `policeplan worker` to run. "
        "Run one or more, kept running by your supervisor; --once queues what is due and stops; "
        "--list shows the schedule."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Queue what is due, then stop.")
        parser.add_argument("--list", action="store_true", help="Show the schedule and stop.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between looks.")
        parser.add_argument("--name", default="", help="This scheduler's name (host name).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for entry in jobs.schedule():
                when = entry.at.strftime("%H:%M")
                period = "daily" if entry.period == "daily" else f"monthly on day {entry.day}"
                state = "" if scheduler.enabled(entry) else f" (off: set {entry.enabled}=true)"
                self.stdout.write(f"{entry.name}: {period} at {when} London time{state}")
            return
        if options["once"]:
            queued = scheduler.run_due(name=options["name"])
            self.stdout.write(f"Queued {len(queued)}: {', '.join(queued) or 'nothing due'}")
            return
        scheduler.run_forever(options["interval"], name=options["name"])
