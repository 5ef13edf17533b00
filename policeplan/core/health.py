"""Is this process alive, and can it serve? For load balancers and orchestrators.

`/healthz` answers 200 while the process can answer at all (it touches nothing else), so a
supervisor restarts only a process that is stuck. `/readyz` answers 200 only when every part
a request needs is reachable: the database (with every migration applied), both caches, the
job queue and the file storage; otherwise 503 naming the parts that failed, never why in
detail (no host names, no credentials, no personal data).

Both are answered by `HealthMiddleware`, first in the chain: a probe arrives over plain HTTP
with the machine's own address as its Host, so it must not be redirected to HTTPS nor
refused by ALLOWED_HOSTS, and it must never be cached.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse

from policeplan.core.observability import HEALTH_PATHS as PATHS

logger = logging.getLogger("policeplan.health")


def _database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied")


def _caches() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    for alias in ("default", "shared"):
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        if cache.get(key) != "1":
            raise RuntimeError(f"cache {alias} did not keep a value")
        cache.delete(key)


def _queue() -> None:
    from policeplan.core import jobs

    jobs.queue_reachable()


def _storage() -> None:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ready":
                raise RuntimeError("storage did not keep a file")
    finally:
        default_storage.delete(name)


def _static() -> None:
    """The collected static files this process serves (a new VAR_DIR has none until
    `policeplan collectstatic`: every page would fail)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    staticfiles_storage.stored_name("application.css")  # type: ignore[attr-defined]


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _caches,
    "queue": _queue,
    "storage": _storage,
    "static": _static,
}


def readiness() -> dict[str, str]:
    """Each part and whether it answered ("ok" or "unavailable")."""
    found = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not ready"; the log says why, the probe not
            logger.exception("Readiness check %s failed", name)
            found[name] = "unavailable"
        else:
            found[name] = "ok"
    return found


def _json(status: int, body: dict[str, object]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/metrics":
            # Scraped at each process's own address over the private network: answered here,
            # before the host check and the redirect to HTTPS, like the probes; it has its own
            # guard (METRICS_TOKEN, or the machine itself).
            from policeplan.core.observability import metrics

            try:
                return metrics(request)
            except Http404:
                return HttpResponse("Not found", status=404, content_type="text/plain")
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = _json(405, {"status": "method not allowed"})
            response["Allow"] = "GET, HEAD"
            return response
        if request.path == "/healthz":
            return _json(200, {"status": "ok"})
        checks = readiness()
        ready = all(v == "ok" for v in checks.values())
        return _json(
            200 if ready else 503, {"status": "ready" if ready else "not ready", "checks": checks}
        )
