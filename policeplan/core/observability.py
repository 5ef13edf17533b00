"""What an operator sees: a request id on every request and log line, JSON logs, and
Prometheus metrics (prometheus-client) at `/metrics`.

- The request id is the incoming `X-Request-ID` when it is a plain token (a load balancer's
  or a proxy's), else a new one; it is sent back in the response and put on every log
  record made while the request is served (`request_id`), so one request's lines can be
  found across processes.
- Metrics: requests by route name, method and status, and their latency, from this
  process (with several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to a directory they
  share so `/metrics` adds them up); the job queue (depth, age of the oldest job waiting,
  jobs running, failed and done by task, and how long they ran, which covers imports and
  recomputations wherever the workers run) and uploaded imports' durations are read from
  the database when scraped, so any web process reports every worker's work.
- `/metrics` answers only with `Authorization: Bearer $METRICS_TOKEN`, or, without a token
  configured, only to the machine itself (127.0.0.1 or ::1) asking directly, not through a
  proxy (which adds X-Forwarded-For); anyone else gets 404. Set a token in production.
"""

from __future__ import annotations

import contextvars
import datetime
import hmac
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

HEALTH_PATHS = {"/healthz", "/readyz"}
REQUEST_ID = contextvars.ContextVar("request_id", default="-")
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")

REQUESTS = Counter(
    "policeplan_http_requests",
    "HTTP requests answered, by route name, method and status",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "policeplan_http_request_duration_seconds",
    "Time to answer a request, by route name",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_id_for(header: str | None) -> str:
    """The incoming id when it is a plain token, else a new one (so a crafted header cannot
    forge or break log lines)."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class ObservabilityMiddleware:
    """First in the chain: gives the request its id, then counts and times it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.headers.get("X-Request-ID"))
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            match = getattr(request, "resolver_match", None)
            route = (match.view_name if match else "") or (
                request.path.strip("/") if request.path in HEALTH_PATHS else "unmatched"
            )
            method = request.method if request.method in METHODS else "other"
            REQUESTS.labels(route, method, str(status)).inc()
            LATENCY.labels(route).observe(time.perf_counter() - started)
            REQUEST_ID.reset(token)


class DatabaseCollector(Collector):
    """The job queue (the database's or Redis') and imports, read when scraped."""

    def collect(self) -> Iterator[Any]:
        from django.db.models import Count, F, Sum

        from policeplan.performance.models import DataImport, ImportStatus

        now = timezone.now()
        queued = GaugeMetricFamily(
            "policeplan_jobs_queued", "Jobs waiting to run, by task", labels=["task"]
        )
        running = GaugeMetricFamily(
            "policeplan_jobs_running", "Jobs running now, by task", labels=["task"]
        )
        failed = CounterMetricFamily(
            "policeplan_jobs_failed", "Jobs that failed for good, by task", labels=["task"]
        )
        done = CounterMetricFamily(
            "policeplan_jobs_succeeded", "Jobs that finished, by task", labels=["task"]
        )
        duration = SummaryMetricFamily(
            "policeplan_job_duration_seconds",
            "How long finished jobs ran (imports, recomputations, PDFs, emails), by task",
            labels=["task"],
        )
        from policeplan.core import jobs

        if jobs.queue_kind() == "rq":
            oldest = _fill_from_rq(queued, running, failed, done, duration)
        else:
            oldest = _fill_from_database(queued, running, failed, done, duration)
        age = GaugeMetricFamily(
            "policeplan_jobs_oldest_queued_age_seconds",
            "Age of the oldest job waiting to run (0 when none waits)",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        imports = (
            DataImport.objects.filter(
                status__in=[ImportStatus.SUCCEEDED, ImportStatus.FAILED],
                started_at__isnull=False,
                finished_at__isnull=False,
            )
            .values("status")
            .annotate(n=Count("id"), took=Sum(F("finished_at") - F("started_at")))
            .order_by("status")
        )
        import_duration = SummaryMetricFamily(
            "policeplan_data_import_duration_seconds",
            "How long uploaded and scheduled data imports took, by outcome",
            labels=["outcome"],
        )
        for run in imports:
            took = run["took"].total_seconds() if run["took"] is not None else 0.0
            import_duration.add_metric([run["status"]], run["n"], took)
        yield from (queued, running, failed, done, duration, age, import_duration)


def _fill_from_database(queued: Any, running: Any, failed: Any, done: Any, duration: Any) -> Any:
    """The database queue's jobs, by task and status; returns the oldest queued time."""
    from django.db.models import Count, F, Min, Sum
    from django_tasks_db.models import DBTaskResult

    by_status = (
        DBTaskResult.objects.values("task_path", "status")
        .annotate(n=Count("id"))
        .order_by("task_path", "status")
    )
    families: dict[str, GaugeMetricFamily | CounterMetricFamily] = {
        "READY": queued,
        "RUNNING": running,
        "FAILED": failed,
        "SUCCESSFUL": done,
    }
    for row in by_status:
        family = families.get(row["status"])
        if family is not None:
            family.add_metric([_task_name(row["task_path"])], row["n"])
    finished = (
        DBTaskResult.objects.filter(started_at__isnull=False, finished_at__isnull=False)
        .values("task_path")
        .annotate(n=Count("id"), took=Sum(F("finished_at") - F("started_at")))
        .order_by("task_path")
    )
    for job in finished:
        took = job["took"].total_seconds() if job["took"] is not None else 0.0
        duration.add_metric([_task_name(job["task_path"])], job["n"], took)
    return DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]


def _fill_from_rq(queued: Any, running: Any, failed: Any, done: Any, duration: Any) -> Any:
    """RQ's jobs on the default queue, by task: waiting, running and failed (RQ keeps
    failed jobs for a year, finished ones for minutes only, so successes and durations are
    not counted from it: no counter may go down); returns the oldest queued time."""
    import django_rq
    from rq.exceptions import DeserializationError
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    from policeplan.core import jobs
    from policeplan.core.rq import Job

    queue = django_rq.get_queue("default", job_class=Job)
    declared = set(jobs.TIME_LIMITS)

    def count(family: Any, ids: list[str]) -> list[Any]:
        found = [
            j
            for j in Job.fetch_many(ids, connection=queue.connection, serializer=queue.serializer)
            if j is not None
        ]
        by_task: dict[str, int] = {}
        for j in found:
            # A label only for a declared job: anything else in Redis is "other".
            try:
                path = j.func_name
            except DeserializationError:  # not JSON: never loaded any other way
                path = ""
            name = _task_name(path) if path in declared else "other"
            by_task[name] = by_task.get(name, 0) + 1
        for name, n in sorted(by_task.items()):
            family.add_metric([name], n)
        return found

    waiting = count(queued, queue.get_job_ids())
    count(running, StartedJobRegistry(queue=queue).get_job_ids())
    count(failed, FailedJobRegistry(queue=queue).get_job_ids())
    times = [j.enqueued_at for j in waiting if j.enqueued_at]
    if not times:
        return None
    oldest = min(times)
    return oldest if oldest.tzinfo else oldest.replace(tzinfo=datetime.UTC)


def _task_name(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    # Without a token, only the machine itself, and not a request relayed by a proxy on it
    # (a reverse proxy on the same machine connects from 127.0.0.1 too, and adds these).
    relayed = any(
        h in request.META for h in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
    )
    return not relayed and request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}


def metrics(request: HttpRequest) -> HttpResponse:
    if request.method not in {"GET", "HEAD"} or not _allowed(request):
        raise Http404("Not found")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every worker process on this machine
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    shared = CollectorRegistry()
    shared.register(DatabaseCollector())
    body = generate_latest(processes) + generate_latest(shared)
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
