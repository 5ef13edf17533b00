"""The public-form rate limit holds across web processes: with 20 a minute, three processes
hammering it for one client let exactly 20 through, counted in the database by default and in
Redis when REDIS_URL is set."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.security.pgserver import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20
PROCESSES = 3
TRIES = 15  # each: 45 in all, more than twice the limit

HAMMER = """
import os, pathlib, time
from django.core.cache import caches
from django.test import RequestFactory
from policeplan.core import ratelimit

request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
caches["shared"].get("warm-up")  # connected before the start
print("ready", flush=True)
go = pathlib.Path(os.environ["HAMMER_GO"])
while not go.exists():
    time.sleep(0.005)
scope = os.environ["HAMMER_SCOPE"]
allowed = sum(ratelimit.allow(request, scope) for _ in range(int(os.environ["HAMMER_TRIES"])))
print("allowed", allowed, flush=True)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _hammer(tmp_path: Path, **env_extra: str) -> list[int]:
    go = tmp_path / "go"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=_database_url(),
        SUBMISSION_RATE_LIMIT=str(LIMIT),
        HAMMER_GO=str(go),
        HAMMER_SCOPE=f"respond-{uuid.uuid4().hex}",
        HAMMER_TRIES=str(TRIES),
        **env_extra,
    )
    outputs = [tmp_path / f"process-{n}.out" for n in range(PROCESSES)]
    processes = []
    for output in outputs:
        with output.open("w") as out:
            processes.append(
                subprocess.Popen(
                    [str(ROOT / ".venv" / "bin" / "policeplan"), "shell", "-v", "0", "-c", HAMMER],
                    env=env,
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        wait_until(
            lambda: all("ready" in o.read_text() for o in outputs), 120, "the processes to start"
        )
        if time.time() % 60 > 45:  # all within one minute's window
            time.sleep(61 - time.time() % 60)
        go.touch()
        for process in processes:
            process.wait(timeout=120)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    allowed = []
    for output in outputs:
        text = output.read_text()
        assert "allowed" in text, text
        allowed.append(int(text.split("allowed")[1].split()[0]))
    return allowed


def test_three_processes_let_exactly_the_limit_through_counted_in_the_database(tmp_path):
    allowed = _hammer(tmp_path)
    assert sum(allowed) == LIMIT, allowed


def test_three_processes_let_exactly_the_limit_through_counted_in_redis(tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
    allowed = _hammer(tmp_path, REDIS_URL=redis_url)
    assert sum(allowed) == LIMIT, allowed


def test_the_counts_keep_no_client_or_email_address(rf):
    from policeplan.core import ratelimit
    from policeplan.core.models import SharedCacheEntry

    ratelimit.allow(rf.post("/", REMOTE_ADDR="203.0.113.77"), "respond")
    ratelimit.allow_email("Someone.Private@example.org", "register", 3)
    from django.core.cache import caches

    shared = caches["shared"]
    if type(shared).__name__ == "RedisCache":  # the test run with REDIS_URL
        client = shared._cache.get_client()
        keys = " ".join(k.decode() for k in client.keys("*"))
    else:
        keys = " ".join(SharedCacheEntry.objects.values_list("cache_key", flat=True))
    assert keys.count("ratelimit:") == 2
    assert "203.0.113" not in keys and "private" not in keys.lower()
