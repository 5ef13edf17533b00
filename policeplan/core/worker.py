"""The background-job worker: django-tasks-db's, made to outlast the database and to retry.

django-tasks-db (0.13) ends the worker on any database error but SQLite's "database is
locked", and a job whose outcome cannot be written because the database went away stays
RUNNING for ever. This worker, run as `policeplan db_worker`:

- waits for the database with back-off when it goes away, then carries on;
- keeps a job's known outcome until it is stored, so a finished job never runs again;
- puts a job that failed for a transient reason (database or connection lost) back on the
  queue with back-off, at most MAX_ATTEMPTS runs in all; any other failure is final;
- stops a job that runs past its kind's time limit (`@job(time_limit=...)`): a final
  failure, recorded as such;
- takes back, when it starts or reconnects, the jobs its own worker id left running (a
  supervisor that restarts a worker under the same `--worker-id` loses no job).
"""

from __future__ import annotations

import logging
import signal
import smtplib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from policeplan.core import jobs
from policeplan.core.faults import DATABASE_UNREACHABLE, raised_from

logger = logging.getLogger("policeplan.worker")

DATABASE_LOST = DATABASE_UNREACHABLE  # the worker waits for the database on these
# A job failing with one of these (or raised from one) is worth another go later.
# A mail server or its name not answering for a moment is one too.
TRANSIENT = (
    *DATABASE_UNREACHABLE,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)
MAX_ATTEMPTS = 5
RETRY_FIRST_SECONDS = 2.0
RETRY_MAX_SECONDS = 300.0
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 30.0


class JobTimedOut(Exception):
    """The job ran past its kind's time limit and was stopped."""


@contextmanager
def time_limit(seconds: int, path: str) -> Iterator[None]:
    """Raise JobTimedOut in the job after `seconds` (the worker runs jobs in its main
    thread; elsewhere, as in a test's thread, the limit is not enforced)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise JobTimedOut(f"{path} ran past its time limit of {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class WorkerLost(Exception):
    """The worker stopped (killed, or its machine went down) while running the job."""


def is_transient(exc: BaseException) -> bool:
    """True when the failure, or anything it was raised from, is a lost connection."""
    return raised_from(exc, TRANSIENT)


def retry_delay(attempt: int) -> float:
    """Seconds before the next run after `attempt` runs: 2, 4, 8, ... at most 5 minutes."""
    return min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** (attempt - 1))


class Worker(db_worker.Worker):
    _reconnect_wait = RECONNECT_FIRST_SECONDS
    _recovered_at = -RECONNECT_MAX_SECONDS  # never, as far as the back-off is concerned

    def run(self) -> None:
        while self.running:
            try:
                self._take_back_own_jobs()
                super().run()
                return
            except DATABASE_LOST as exc:
                self.startup_delay = False
                self._wait_for_database(exc)

    def _wait_for_database(self, exc: BaseException) -> None:
        """Drop the broken connection and try again with back-off until the database answers.

        The back-off carries on growing when the database fails again soon after it answered
        (a missing table, say), and starts afresh for an outage after a quiet spell.
        """
        if time.monotonic() - self._recovered_at > RECONNECT_MAX_SECONDS:
            self._reconnect_wait = RECONNECT_FIRST_SECONDS
        while True:
            wait = self._reconnect_wait
            logger.warning("Database unavailable (%s); trying again in %.1f s", exc, wait)
            connections.close_all()
            time.sleep(wait)
            self._reconnect_wait = min(RECONNECT_MAX_SECONDS, wait * 2)
            try:
                connections["default"].ensure_connection()
            except DATABASE_LOST as again:
                exc = again
            else:
                logger.warning("Database available again; carrying on")
                self._recovered_at = time.monotonic()
                return

    def _until_stored(self, write: Callable[..., None], *args: Any) -> None:
        """Write a job's outcome, waiting for the database as long as it takes."""
        while True:
            try:
                write(*args)
                return
            except DATABASE_LOST as exc:
                self._wait_for_database(exc)

    def _take_back_own_jobs(self) -> None:
        """Jobs this worker id claimed but whose outcome it never stored: run them again."""
        running = DBTaskResult.objects.running().filter(backend_name=self.backend_name)
        for result in running:
            if not result.worker_ids or result.worker_ids[-1] != self.worker_id:
                continue
            attempts = len(result.worker_ids)
            if attempts >= MAX_ATTEMPTS:
                result.set_failed(WorkerLost(f"the worker stopped during each of {attempts} runs"))
            else:
                logger.warning("Job %s was left running by this worker: queued again", result.id)
                _requeue(result, delay=0)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            self._run_and_store(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _run_and_store(self, db_task_result: DBTaskResult) -> None:
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            with time_limit(jobs.time_limit_for(task.module_path), task.module_path):
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
        except BaseException as exc:
            attempts = len(db_task_result.worker_ids)
            if isinstance(exc, Exception) and is_transient(exc) and attempts < MAX_ATTEMPTS:
                delay = retry_delay(attempts)
                logger.warning(
                    "Job %s failed for a transient reason (%s); run %d of %d again in %.0f s",
                    db_task_result.id,
                    exc,
                    attempts + 1,
                    MAX_ATTEMPTS,
                    delay,
                )
                self._until_stored(_requeue, db_task_result, delay)
                return
            self._finish(db_task_result, db_task_result.set_failed, exc)
            return
        try:
            self._until_stored(db_task_result.set_successful, value)
        except Exception as exc:  # the return value cannot be stored (not JSON, say)
            self._finish(db_task_result, db_task_result.set_failed, exc)
            return
        self._signal_finished(db_task_result)

    def _finish(self, db_task_result: DBTaskResult, write: Callable[..., None], *args: Any) -> None:
        self._until_stored(write, *args)
        self._signal_finished(db_task_result)

    @staticmethod
    def _signal_finished(db_task_result: DBTaskResult) -> None:
        try:
            task_result = db_task_result.task_result
            sender = type(db_task_result.task.get_backend())
        except (ImportError, SuspiciousOperation):
            logger.exception("Job %s finished, but its task cannot be loaded", db_task_result.id)
            return
        task_finished.send(sender=sender, task_result=task_result)


def _requeue(db_task_result: DBTaskResult, delay: float) -> None:
    db_task_result.status = TaskResultStatus.READY
    db_task_result.run_after = timezone.now() + timedelta(seconds=delay)
    db_task_result.save(update_fields=["status", "run_after"])
