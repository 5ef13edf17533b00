"""`policeplan worker`: work the background-job queue, whichever it is.

The database queue (the default): `policeplan db_worker` (core.worker). RQ on Redis (when
REDIS_URL is set, or TASKS_BACKEND names django-tasks-rq's backend): django-rq's `rqworker` on
the `default` queue, with policeplan.core.rq's job and queue classes (time limits, retries of
transient failures) and RQ's scheduler, which puts retried jobs back when their wait is over.

Give each worker a stable `--worker-id`, so a restarted database-queue worker takes back the
job it was running when it stopped (RQ: the start of its name, with the process id after).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from policeplan.core import jobs, rq


class Command(BaseCommand):
    help = "Work the background-job queue (the database queue, or RQ when REDIS_URL is set)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--worker-id", default=None, help="A name unique to this worker.")
        parser.add_argument(
            "--burst", action="store_true", help="Stop once the queue is empty (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        if jobs.queue_kind() == "rq":
            # RQ keeps a worker's name registered for minutes after it dies, and refuses a
            # new worker under a live name: a restarted worker gets a name of its own (RQ
            # needs none to be stable; its registry puts an abandoned job back itself).
            name = f"{worker_id}-{os.getpid()}" if worker_id else None
            call_command(
                "rqworker",
                "default",
                name=name,
                burst=options["burst"],
                with_scheduler=True,
                job_class=rq.JOB_CLASS,
                queue_class=rq.QUEUE_CLASS,
                serializer=rq.SERIALIZER,
            )
            return
        worker_options: dict[str, Any] = {"interval": 1, "batch": options["burst"]}
        if worker_id:
            worker_options["worker_id"] = worker_id
        call_command("db_worker", **worker_options)
