"""`policeplan db_worker`: django-tasks-db's command, running policeplan.core.worker.Worker.

Same options as django-tasks-db's (see --help). Give each worker a stable `--worker-id` so a
restarted worker takes back the job it was running when it stopped.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands import db_worker

from policeplan.core.worker import Worker


class Command(db_worker.Command):
    help = "Work the background-job queue, outlasting database restarts and retrying jobs"

    def handle(self, *args: Any, **options: Any) -> None:
        # The library's handle() builds the Worker named in its module: run it with ours.
        original = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
