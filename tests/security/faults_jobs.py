"""Jobs for the fault tests: each records its run in the database, in one transaction."""

from __future__ import annotations

import time

from django.db import OperationalError, connection, transaction
from django.tasks import task


@task()
def record_run(job: int, seconds: float = 0.0) -> None:
    """Record one run of `job`, holding the transaction open for `seconds` (a restart hits it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO fault_job_runs (job) VALUES (%s)", [job])
        time.sleep(seconds)


@task()
def lose_connection_first(job: int, failures: int) -> None:
    """Fails as a lost connection does on its first `failures` runs (each noted as -job)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fault_job_runs WHERE job = %s", [-job])
        (failed,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO fault_job_runs (job) VALUES (%s)", [-job if failed < failures else job]
        )
    if failed < failures:
        raise OperationalError("server closed the connection unexpectedly")


@task()
def fail_for_good(job: int) -> None:
    """Fails for a reason no retry mends."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO fault_job_runs (job) VALUES (%s)", [job])
    raise ValueError(f"job {job}: the file has no header row")


from policeplan.core.jobs import job  # noqa: E402  (beside the raw tasks above, on purpose)


@job(time_limit=1)
def overrun(seconds: float) -> None:
    """Takes longer than its one-second limit allows."""
    time.sleep(seconds)
