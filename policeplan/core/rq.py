"""The Redis queue for background jobs: RQ, through the Django tasks framework's RQ backend.

Chosen when REDIS_URL is set (settings: TASKS_BACKEND resolves to django-tasks-rq's
RQBackend), worked by `policeplan worker`, which runs django-rq's `rqworker` with the classes
below. They give RQ the same rules as the database queue's worker (core.worker):

- a job has its kind's time limit (`@job(time_limit=...)`): RQ's job timeout, past which the
  worker stops it and records a failure;
- a job that failed for a transient reason (a lost database or network connection) goes back
  on the queue with back-off, at most MAX_ATTEMPTS runs in all; any other failure is final.

Redis holds the queued jobs: in production it must keep them on disk (appendonly yes; the
compose file does). A backup of the database does not hold them (core.backup).
"""

from __future__ import annotations

from typing import Any

import django_rq
from django_rq.queues import DjangoRQ
from django_tasks_rq.backend import Job as TasksJob
from django_tasks_rq.backend import RQBackend as TasksRQBackend
from rq.exceptions import NoSuchJobError
from rq.job import Retry

from policeplan.core import jobs, worker

BACKEND = "policeplan.core.rq.RQBackend"
QUEUE_CLASS = "policeplan.core.rq.Queue"
JOB_CLASS = "policeplan.core.rq.Job"
SERIALIZER = "rq.serializers.JSONSerializer"  # never pickle: see settings.RQ_QUEUES


def retry_intervals() -> list[int]:
    """Seconds before each further run: doubling from RETRY_FIRST_SECONDS, capped."""
    intervals = []
    wait = worker.RETRY_FIRST_SECONDS
    for _ in range(worker.MAX_ATTEMPTS - 1):
        intervals.append(int(min(wait, worker.RETRY_MAX_SECONDS)))
        wait *= 2
    return intervals


class Queue(DjangoRQ):
    """Every job gets its kind's time limit and the transient-failure retries."""

    def create_job(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        path = func if isinstance(func, str) else getattr(func, "module_path", "")
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = jobs.time_limit_for(path)
        if kwargs.get("retry") is None:
            kwargs["retry"] = Retry(max=worker.MAX_ATTEMPTS - 1, interval=retry_intervals())
        return super().create_job(func, *args, **kwargs)


class Job(TasksJob):
    """A job whose failure is not transient is not run again, whatever retries it has left."""

    def _execute(self) -> Any:
        try:
            return super()._execute()
        except Exception as error:
            if not worker.is_transient(error):
                self.retries_left = 0
            raise


class RQBackend(TasksRQBackend):
    """django-tasks-rq's backend, reading results with the queue's serializer (it fetched
    them with RQ's default, pickle, which a JSON queue's jobs are not)."""

    def _get_job(self, result_id: str) -> Any:
        queue = django_rq.get_queue("default", job_class=Job)
        try:
            return Job.fetch(result_id, connection=queue.connection, serializer=queue.serializer)
        except NoSuchJobError:
            return None
