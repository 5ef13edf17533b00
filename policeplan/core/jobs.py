"""The one way background work is declared, queued and scheduled; core knows no app.

Each app declares its own jobs in `<app>/tasks.py` with `@job(...)` (Django's tasks
framework underneath, with a time limit per kind of job) and queues them with `enqueue`,
which waits for the current transaction to commit, so a rolled-back write never leaves a
job behind. Jobs take ids, never objects, and call services. The raw tasks API is banned
elsewhere by a ruff rule (pyproject.toml, flake8-tidy-imports).

The backend is the database queue by default (worked by `policeplan worker`, which retries
a job that failed for a transient reason with back-off: core.worker), RQ on Redis when
REDIS_URL is set (the same command and rules: core.rq), or any backend set with TASKS_BACKEND.

Scheduled work is declared beside the jobs, as `SCHEDULE = [Every(...)]` in an app's
`tasks.py`, and queued by `policeplan scheduler` (one schedule for the whole service; any
number of schedulers may run, each slot is queued once: core.scheduler).
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.apps import apps
from django.tasks import Task, task_backends

DEFAULT_TIME_LIMIT = 10 * 60  # seconds
TIME_LIMITS: dict[str, int] = {}  # a job's module path -> its time limit in seconds
EXTERNAL: set[str] = set()  # module paths of jobs whose effect is outside the database


def job(
    *, time_limit: int = DEFAULT_TIME_LIMIT, external: bool = False
) -> Callable[[Callable[..., Any]], Task]:
    """Declare a background job. `time_limit`: seconds a run may take before the worker
    stops it (a job stuck on a network call must not hold a worker for ever). `external`:
    its effect is outside the database (an email): a restored backup holds it rather than
    run it again (core.backup)."""

    def declare(function: Callable[..., Any]) -> Task:
        # Django's own Task, whichever backend is the default (`task()` would make the
        # default backend's class: django-tasks-rq's is the backport's, which the database
        # queue refuses); every backend here takes Django's.
        declared: Task = Task(func=function)
        TIME_LIMITS[declared.module_path] = time_limit
        if external:
            EXTERNAL.add(declared.module_path)
        return declared

    return declare


def time_limit_for(module_path: str) -> int:
    return TIME_LIMITS.get(module_path, DEFAULT_TIME_LIMIT)


def enqueue(app_task: Task, *args: Any) -> None:
    """Queue a job once the current transaction commits (never for a rolled-back write)."""
    from django.db import transaction

    transaction.on_commit(lambda: app_task.enqueue(*args))


def enqueue_now(app_task: Task, *args: Any) -> Any:
    """Queue a job at once, inside the current transaction (the scheduler's use: the slot it
    claims and the job it queues commit together)."""
    return app_task.enqueue(*args)


def queue_kind() -> Literal["database", "rq", "other"]:
    """Which queue holds the jobs: the database's, Redis' (RQ) or another backend's."""
    # The backend itself, not django.tasks.default_task_backend (a proxy, whose type says
    # nothing of the backend behind it).
    from django_tasks_rq.backend import RQBackend

    backend = type(task_backends["default"])
    if issubclass(backend, RQBackend):
        return "rq"
    if backend.__module__.startswith("django_tasks_db"):
        return "database"
    return "other"


def queue_reachable() -> None:
    """Raise unless the job queue answers (for `/readyz`)."""
    kind = queue_kind()
    if kind == "rq":
        import django_rq

        django_rq.get_connection("default").ping()
    elif kind == "database":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.ready().filter(queue_name="").exists()  # the table answers


@dataclass(frozen=True)
class Every:
    """A job the schedule queues once in each period: daily at a London time, or monthly on
    a day at that time. `enabled`: a setting's name that must be true for it to run."""

    name: str
    job: Task
    period: Literal["daily", "monthly"]
    at: datetime.time = datetime.time(2, 0)
    day: int = 1  # of the month, for monthly
    enabled: str = ""


def _declared(name: str) -> list[Any]:
    """The list called `name` in each app's `tasks.py` (apps without one add nothing)."""
    found: list[Any] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("policeplan."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
            continue
        found.extend(getattr(module, name, []))
    return found


def schedule() -> list[Every]:
    """Every app's scheduled jobs: the `SCHEDULE` list in its `tasks.py`, if it has one."""
    found: list[Every] = _declared("SCHEDULE")
    names = [e.name for e in found]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise ValueError(f"Scheduled jobs share a name: {', '.join(sorted(duplicated))}")
    return found


def after_restore() -> int:
    """Run every app's `AFTER_RESTORE` functions (in its `tasks.py`): for a backup whose
    waiting jobs were in Redis, not in it, each queues again what its rows say is still to
    be done. Returns how many jobs they queued."""
    return sum(int(function()) for function in _declared("AFTER_RESTORE"))
