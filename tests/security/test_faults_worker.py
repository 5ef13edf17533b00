"""The job worker outlasts a database restart, retries what failed for a passing reason and
nothing else, and runs every job exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from policeplan.core import worker as worker_module
from tests.security import faults_jobs
from tests.security.pgserver import own_postgres, wait_until

ROOT = Path(__file__).resolve().parents[2]
POLICEPLAN = str(ROOT / ".venv" / "bin" / "policeplan")


# -- retries, in this process, on the suite's database (SQLite or PostgreSQL) ---------------


@pytest.fixture
def runs_table(transactional_db, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(worker_module, "RETRY_FIRST_SECONDS", 0.0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE fault_job_runs (job integer NOT NULL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE fault_job_runs")


def _runs() -> Counter[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT job FROM fault_job_runs")
        return Counter(job for (job,) in cursor.fetchall())


def _work_the_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker")


def test_a_job_that_loses_its_connection_is_run_again_until_it_succeeds(runs_table):
    result = faults_jobs.lose_connection_first.enqueue(1, failures=2)
    _work_the_queue()
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.attempts == 3
    assert _runs() == {-1: 2, 1: 1}


def test_a_job_that_keeps_losing_its_connection_stops_after_the_last_attempt(runs_table):
    result = faults_jobs.lose_connection_first.enqueue(1, failures=99)
    _work_the_queue()
    result.refresh()
    assert result.status == "FAILED"
    assert result.attempts == worker_module.MAX_ATTEMPTS
    assert result.errors[0].exception_class_path == "django.db.utils.OperationalError"
    assert _runs() == {-1: worker_module.MAX_ATTEMPTS}


def test_a_job_that_fails_for_good_is_not_run_again(runs_table):
    result = faults_jobs.fail_for_good.enqueue(7)
    _work_the_queue()
    result.refresh()
    assert result.status == "FAILED"
    assert result.attempts == 1
    assert "the file has no header row" in result.errors[0].traceback
    assert _runs() == {7: 1}


def test_a_restarted_worker_takes_back_the_job_it_was_running(runs_table):
    from django_tasks_db.models import DBTaskResult

    result = faults_jobs.record_run.enqueue(3)
    # The worker claimed it, then was killed before it could store the outcome.
    DBTaskResult.objects.get(id=result.id).claim("test-worker")
    _work_the_queue()
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.attempts == 2
    assert _runs() == {3: 1}


def test_backoff_between_retries_grows_and_is_bounded():
    delays = [worker_module.retry_delay(attempt) for attempt in range(1, 12)]
    assert delays[:4] == [2.0, 4.0, 8.0, 16.0]
    assert max(delays) == worker_module.RETRY_MAX_SECONDS


# -- a real restart of a PostgreSQL server of the test's own --------------------------------


@pytest.fixture(scope="module")
def own_server():
    """Our own PostgreSQL, with the job queue's tables and the table the jobs write to."""
    server = own_postgres()
    try:
        _policeplan(_job_env(server.url), "migrate", "django_tasks_database", "--verbosity", "0")
        with server.connect() as db:
            db.execute("CREATE TABLE fault_job_runs (job integer NOT NULL)")
        yield server
    finally:
        server.remove()


@pytest.fixture
def queue_server(own_server):
    """Our own server with an empty queue and no runs recorded (tests run in any order)."""
    with own_server.connect() as db:
        db.execute("TRUNCATE fault_job_runs, django_tasks_database_dbtaskresult")
    return own_server


def _start_worker(env: dict[str, str], log: Path, worker_id: str) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [POLICEPLAN, "db_worker", "--interval", "0.2", "--no-startup-delay",
             "--worker-id", worker_id],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _stop_worker(worker: subprocess.Popen, log: Path) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
    print(log.read_text())  # shown when the test fails


def _policeplan(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [POLICEPLAN, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"policeplan {args[0]} failed:\n{done.stdout}{done.stderr}"


def _job_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(DATABASE_URL=url, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    env.pop("TASKS_BACKEND", None)  # the database queue, the default
    return env


def _runs_on(server) -> Counter[int]:
    with server.connect() as db:
        return Counter(job for (job,) in db.execute("SELECT job FROM fault_job_runs"))


def _statuses_on(server) -> Counter[str]:
    with server.connect() as db:
        rows = db.execute("SELECT status FROM django_tasks_database_dbtaskresult")
        return Counter(status for (status,) in rows)


def _enqueue(env: dict[str, str], jobs: range, seconds: float = 0.0) -> None:
    _policeplan(
        env, "shell", "-c",
        "from tests.security.faults_jobs import record_run\n"
        f"for job in {jobs!r}: record_run.enqueue(job, seconds={seconds})",
    )  # fmt: skip


def test_the_worker_outlasts_a_database_restart_and_runs_every_job_once(queue_server, tmp_path):
    own_server = queue_server
    env = _job_env(own_server.url)
    jobs = 24
    _enqueue(env, range(jobs), seconds=0.25)
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log, "faults-test")
    try:
        wait_until(lambda: len(_runs_on(own_server)) >= 4, 120, "the worker's first jobs")
        own_server.stop("fast")  # every session ends at once, mid-job
        wait_until(lambda: "Database unavailable" in log.read_text(), 30,
                   "the worker to notice the database has gone")  # fmt: skip
        assert worker.poll() is None, log.read_text()
        own_server.start()

        wait_until(lambda: len(_runs_on(own_server)) == jobs, 180, "every job to run")
        # Still working: a job queued after the restart runs too.
        _enqueue(env, range(1000, 1001))
        wait_until(lambda: len(_runs_on(own_server)) == jobs + 1, 60, "a job queued after")
        assert worker.poll() is None, log.read_text()
        assert _runs_on(own_server) == Counter(dict.fromkeys([*range(jobs), 1000], 1))
        assert _statuses_on(own_server) == {"SUCCESSFUL": jobs + 1}
    finally:
        _stop_worker(worker, log)


def test_a_worker_started_while_the_database_is_down_waits_for_it(queue_server, tmp_path):
    own_server = queue_server
    env = _job_env(own_server.url)
    _enqueue(env, range(2000, 2003))
    own_server.stop("fast")
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log, "faults-test-2")
    try:
        wait_until(lambda: log.read_text().count("Database unavailable") >= 2, 60,
                   "the worker to try the database again")  # fmt: skip
        assert worker.poll() is None, log.read_text()
        own_server.start()
        wait_until(lambda: {2000, 2001, 2002} <= set(_runs_on(own_server)), 120, "the jobs")
        assert worker.poll() is None, log.read_text()
        assert all(_runs_on(own_server)[job] == 1 for job in (2000, 2001, 2002))
    finally:
        _stop_worker(worker, log)


def test_reconnecting_backs_off_and_keeps_backing_off_when_the_database_fails_again(
    monkeypatch,
):
    from django.db import OperationalError, connections

    waits: list[float] = []
    monkeypatch.setattr(worker_module.time, "sleep", waits.append)
    refusals = iter([True, True, True, False, True, False])

    def ensure_connection() -> None:
        if next(refusals):
            raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", ensure_connection)
    worker = worker_module.Worker(
        queue_names=["default"], interval=1, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    worker._wait_for_database(OperationalError("server closed the connection"))
    assert waits == [0.5, 1.0, 2.0, 4.0]
    # It answered, then failed again at once (a missing table, say): no return to 0.5 s.
    worker._wait_for_database(OperationalError("no such table"))
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
