"""RQ on Redis as the job queue (REDIS_URL set): the same rules as the database queue's.

These run in the test run with REDIS_URL (scripts/run-tests), on their own Redis database,
with `policeplan worker --burst`: a real RQ worker, forking a work horse for each job.
"""

import os
import time
import zlib
from collections import Counter

import pytest
import redis
from django.core.management import call_command
from django.db import connection, connections, transaction

from policeplan.config import Config
from policeplan.core import jobs
from policeplan.core import worker as worker_module
from tests.security import faults_jobs

pytestmark = pytest.mark.django_db(transaction=True)

# The test run's own Redis database for queues (the caches use another).
QUEUE_URL = os.environ.get("TEST_RQ_URL", "redis://127.0.0.1:6379/6")


def test_redis_url_chooses_rq_and_an_explicit_backend_wins():
    assert Config(redis_url="").resolved_tasks_backend() == "django_tasks_db.DatabaseBackend"
    assert Config(redis_url="redis://r:6379/0").resolved_tasks_backend() == (
        "policeplan.core.rq.RQBackend"
    )
    chosen = Config(redis_url="redis://r:6379/0", tasks_backend="django_tasks_db.DatabaseBackend")
    assert chosen.resolved_tasks_backend() == "django_tasks_db.DatabaseBackend"


@pytest.fixture
def rq_queue(settings, monkeypatch):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: run in scripts/run-tests' run with REDIS_URL")
    server = redis.Redis.from_url(QUEUE_URL)
    server.flushdb()
    settings.TASKS = {"default": {"BACKEND": "policeplan.core.rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {**settings.RQ_QUEUES["default"], "URL": QUEUE_URL}}
    # Retries come back at once here, not after seconds of back-off.
    monkeypatch.setattr(worker_module, "RETRY_FIRST_SECONDS", 0.0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE fault_job_runs (job integer NOT NULL)")
    yield server
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE fault_job_runs")
    server.flushdb()


def _runs() -> Counter[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT job FROM fault_job_runs")
        return Counter(job for (job,) in cursor.fetchall())


def _work_the_queue() -> None:
    # Each job runs in a forked process: it must open its own database connection.
    connections.close_all()
    call_command("worker", "--burst", "--worker-id", "test-rq-worker")


def test_a_job_queued_in_redis_is_run_once_by_the_worker(rq_queue):
    result = faults_jobs.record_run.enqueue(1)
    assert rq_queue.llen("rq:queue:default") == 1  # in Redis, not in the database
    _work_the_queue()
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert _runs() == {1: 1}
    assert rq_queue.llen("rq:queue:default") == 0


def test_a_job_that_loses_its_connection_is_run_again_until_it_succeeds(rq_queue):
    result = faults_jobs.lose_connection_first.enqueue(2, failures=2)
    _work_the_queue()
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert _runs() == {-2: 2, 2: 1}  # two failed runs, then one that succeeded


def test_a_job_that_keeps_losing_its_connection_stops_after_the_last_attempt(rq_queue):
    result = faults_jobs.lose_connection_first.enqueue(3, failures=99)
    _work_the_queue()
    result.refresh()
    assert result.status == "FAILED"
    assert _runs() == {-3: worker_module.MAX_ATTEMPTS}


def test_a_job_that_fails_for_a_lasting_reason_is_not_run_again(rq_queue):
    result = faults_jobs.fail_for_good.enqueue(4)
    _work_the_queue()
    result.refresh()
    assert result.status == "FAILED"
    assert _runs() == {4: 1}
    assert "no header row" in result.errors[-1].traceback


def test_a_job_past_its_time_limit_is_stopped_and_recorded_as_failed(rq_queue):
    result = faults_jobs.overrun.enqueue(30)
    assert rq_queue.hget(f"rq:job:{result.id}", "timeout") == b"1"  # its kind's limit
    started = time.monotonic()
    _work_the_queue()
    assert time.monotonic() - started < 20  # stopped, not left to run 30 s
    result.refresh()
    assert result.status == "FAILED"
    assert "JobTimeoutException" in result.errors[-1].traceback


def test_a_job_queued_in_a_rolled_back_transaction_never_reaches_redis(rq_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(faults_jobs.record_run, 5)
        raise RuntimeError("the write failed")
    assert rq_queue.llen("rq:queue:default") == 0
    with transaction.atomic():
        jobs.enqueue(faults_jobs.record_run, 6)
    assert rq_queue.llen("rq:queue:default") == 1


def test_readiness_asks_redis_when_it_holds_the_queue(rq_queue, settings, client):
    assert client.get("/readyz").status_code == 200
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "queue" in response.content.decode()
    assert "127.0.0.1:1" not in response.content.decode()  # no address in a public answer


def test_metrics_count_the_queue_in_redis(rq_queue, client):
    faults_jobs.overrun.enqueue(5)
    faults_jobs.overrun.enqueue(5)
    faults_jobs.record_run.enqueue(7)  # not declared with @job: labelled "other"
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'policeplan_jobs_queued{task="overrun"} 2.0' in text
    assert 'policeplan_jobs_queued{task="other"} 1.0' in text
    age = next(
        line
        for line in text.splitlines()
        if line.startswith("policeplan_jobs_oldest_queued_age_seconds ")
    )
    assert 0 <= float(age.split()[1]) < 60

    _work_the_queue()
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "policeplan_jobs_queued{" not in text
    assert 'policeplan_jobs_failed_total{task="overrun"} 2.0' in text  # past its time limit
    assert "policeplan_jobs_oldest_queued_age_seconds 0.0" in text


def test_a_job_in_redis_is_never_unpickled(rq_queue, client, tmp_path):
    """Whoever can write to Redis must not run code in the worker or in /metrics: jobs are
    JSON, so a pickled payload is refused as data, never loaded."""
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (marker.write_text, ("pwned",))

    result = faults_jobs.record_run.enqueue(8)
    key = f"rq:job:{result.id}"
    assert zlib.decompress(rq_queue.hget(key, "data")).startswith(b'["tests.')  # JSON
    rq_queue.hset(key, "data", pickle.dumps(("os.system", None, [Payload()], {})))
    client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    _work_the_queue()
    assert not marker.exists()
    assert _runs() == {}
