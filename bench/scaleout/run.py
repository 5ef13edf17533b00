"""Benchmark: the service scaled out on one machine, surviving the loss of a web process and a
worker in the middle of the submissions load.

Starts, each as its own process group in its own working directory and VAR_DIR, sharing one
PostgreSQL database, one Redis database and one file store:

- two web processes (gunicorn, 2 workers each) and a small load balancer on 127.0.0.1 in
  this script (round robin; a backend that refuses the connection is skipped, as a real
  balancer's health check would take it out);
- two job workers (`policeplan db_worker`), each under its own worker id, restarted under the
  same id 2 s after it dies, as a supervisor would (`scripts/serve` does the same);
- the file store is a directory shared by every process (MEDIA_ROOT): no S3-compatible store
  can run on this machine (moto, which the tests use, only answers inside one process).

Respondents (the submissions benchmark's, with an email address, so each response queues a
confirmation email) send questionnaires through the balancer. A third of the way in, one web
process and one worker are killed (SIGKILL, no warning). When the load ends and the queue is
empty, it counts: acknowledged responses all stored, none duplicated, every confirmation job
done once and every email sent once, and requests answered 500 or more after the first
second (connections cut by the kill are counted apart: no answer is not a 500).

    .venv/bin/python bench/scaleout/run.py [--seconds 30] [--clients 8]

Writes bench/results/scaleout.json; exits 1 when a count is wrong.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path


def _submissions() -> object:
    """The submissions benchmark's respondents and helpers, reused."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "submissions" / "run.py"
    spec = importlib.util.spec_from_file_location("bench_submissions", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_s = _submissions()
COUNT, PREPARE, SLUG = _s.COUNT, _s.PREPARE, _s.SLUG  # type: ignore[attr-defined]
answers, free_port, psql = _s.answers, _s.free_port, _s.psql  # type: ignore[attr-defined]

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PG = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
DB_NAME = "policeplan_bench_scaleout"
JOBS = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(task_path__endswith="send_consultation_email")
print(json.dumps({
    "waiting": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
    "statuses": dict(Counter(rows.values_list("status", flat=True))),
    "per_response": dict(Counter(str(r.args_kwargs["args"][1]) for r in rows)),
}))
"""
JOBS_RQ = """
import json
from collections import Counter
import django_rq
from rq.registry import (FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry,
                         StartedJobRegistry)
from policeplan.core.rq import Job
queue = django_rq.get_queue("default", job_class=Job)
statuses, per_response = Counter(), Counter()
for registry, status in ((FinishedJobRegistry(queue=queue), "SUCCESSFUL"),
                         (FailedJobRegistry(queue=queue), "FAILED")):
    for job in Job.fetch_many(registry.get_job_ids(), connection=queue.connection,
                              serializer=queue.serializer):
        if job is not None and job.func_name.endswith("send_consultation_email"):
            statuses[status] += 1
            per_response[str(job.args[1])] += 1
print(json.dumps({
    "waiting": len(queue) + StartedJobRegistry(queue=queue).count
    + ScheduledJobRegistry(queue=queue).count,
    "statuses": dict(statuses),
    "per_response": dict(per_response),
}))
"""
REFS = """
import json
from policeplan.consultations.models import Response
print(json.dumps(dict(Response.objects.filter(consultation__slug="{slug}", status="submitted")
      .values_list("reference", "pk"))))
"""


class Balancer(threading.Thread):
    """Round robin over the backends; one that refuses the connection is skipped."""

    def __init__(self, port: int, backends: list[int]) -> None:
        super().__init__(daemon=True)
        self.port, self.backends, self.turn = port, backends, 0
        self.server = socket.create_server(("127.0.0.1", port))

    def run(self) -> None:
        while True:
            client, _ = self.server.accept()
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    def relay(self, client: socket.socket) -> None:
        upstream = None
        for _ in range(len(self.backends)):
            self.turn = (self.turn + 1) % len(self.backends)
            try:
                upstream = socket.create_connection(
                    ("127.0.0.1", self.backends[self.turn]), timeout=2
                )
                break
            except OSError:
                continue
        if upstream is None:
            client.close()
            return
        upstream.settimeout(None)

        def pipe(a: socket.socket, b: socket.socket) -> None:
            try:
                while data := a.recv(65536):
                    b.sendall(data)
            except OSError:
                return
            finally:
                for s in (a, b):
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)

        other = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
        other.start()
        pipe(client, upstream)
        other.join()
        client.close()
        upstream.close()


def respondent(port: int, stop: float, questions: list, seed: int, t0: float) -> dict:
    rng = random.Random(seed)
    statuses: list[tuple[float, int]] = []
    references: list[str] = []
    cut = 0
    path = f"/consultations/{SLUG}/respond/"

    def ask(method: str, body: str | None = None, headers: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            text = answer.read().decode()
            statuses.append((time.perf_counter() - t0, answer.status))
            return answer.status, text + "\n" + (answer.getheader("Set-Cookie") or "")
        finally:
            conn.close()

    while time.perf_counter() < stop:
        try:
            status, html = ask("GET")
            if status != 200:
                continue
            cookie = html.rsplit("\n", 1)[1].split(";")[0]
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            data = {**answers(questions, rng), "csrfmiddlewaretoken": csrf, "token": token}
            data["about-email"] = f"r{seed}-{len(references)}@example.org"
            body = urllib.parse.urlencode(data, doseq=True)
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}{path}",
            }
            for _attempt in range(3):  # a cut connection: the respondent sends it again
                try:
                    status, text = ask("POST", body, headers)
                except OSError:
                    cut += 1
                    continue
                found = re.search(r'class="app-code">(PCP-[A-Z0-9-]+)<', text)
                if status == 200 and found:
                    references.append(found.group(1))
                break
        except OSError:
            cut += 1
        except AttributeError:  # a page without the form
            continue
    return {"statuses": statuses, "references": references, "cut": cut}


def start(command: list[str], env: dict, home: Path, log: Path) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        command,
        env={**env, "VAR_DIR": str(home)},
        cwd=home,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    # However the script ends (a failed count, an exception), nothing it started outlives it:
    # a worker left running would take the next run's jobs.
    atexit.register(kill, process)
    return process


def kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--queue",
        choices=["database", "rq"],
        default="database",
        help="the job queue: PostgreSQL's (the default) or RQ on the shared Redis",
    )
    args = parser.parse_args()
    jobs_query = JOBS_RQ if args.queue == "rq" else JOBS

    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    work = Path(tempfile.mkdtemp(prefix="policeplan-bench-scaleout-"))
    store = work / "object-store"  # stands in for the S3-compatible store: see the docstring
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))},
        "DATABASE_URL": PG.rsplit("/", 1)[0] + "/" + DB_NAME,
        "REDIS_URL": REDIS,
        # The database queue by default (REDIS_URL alone would choose RQ), or RQ.
        "TASKS_BACKEND": (
            "policeplan.core.rq.RQBackend"
            if args.queue == "rq"
            else "django_tasks_db.DatabaseBackend"
        ),
        "SECRET_KEY": secrets.token_urlsafe(50),  # one for every process
        "MEDIA_ROOT": str(store),
        "STATIC_ROOT": str(ROOT / "var" / "static"),
        "SUBMISSION_RATE_LIMIT": "100000000",  # every client is 127.0.0.1
        "PYTHONUNBUFFERED": "1",
    }

    def policeplan(*command: str) -> str:
        out = subprocess.run(
            [str(VENV / "policeplan"), *command],
            env={**env, "VAR_DIR": str(work / "setup")},
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""

    policeplan("migrate", "-v0")
    policeplan("demo")
    questions = json.loads(policeplan("shell", "-c", PREPARE.format(slug=SLUG)))
    policeplan(
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult; DBTaskResult.objects.all().delete()",
    )  # the demo's own jobs: not this count
    redis.Redis.from_url(REDIS).flushdb()  # (with RQ, they wait in Redis)
    before = set(json.loads(policeplan("shell", "-c", COUNT.format(slug=SLUG))))

    ports = [free_port(), free_port()]
    webs = [
        start(
            [
                str(VENV / "gunicorn"),
                "policeplan.wsgi",
                "--bind",
                f"127.0.0.1:{p}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            env,
            work / f"web{n}",
            work / f"web{n}.log",
        )
        for n, p in enumerate(ports, start=1)
    ]

    def worker(n: int) -> subprocess.Popen:
        return start(
            (
                [str(VENV / "policeplan"), "worker", "--worker-id", f"bench-worker-{n}"]
                if args.queue == "rq"
                else [
                    str(VENV / "policeplan"),
                    "db_worker",
                    "--interval",
                    "0.2",
                    "--worker-id",
                    f"bench-worker-{n}",
                ]
            ),
            env,
            work / f"worker{n}",
            work / f"worker{n}.log",
        )

    workers = [worker(1), worker(2)]
    balancer = Balancer(free_port(), ports)
    balancer.start()
    for _ in range(150):
        try:
            for p in ports:
                conn = http.client.HTTPConnection("127.0.0.1", p, timeout=5)
                conn.request("GET", "/readyz")
                assert conn.getresponse().status == 200
            break
        except (OSError, AssertionError):
            time.sleep(0.2)

    t0 = time.perf_counter()
    stop = t0 + args.seconds
    results: list[dict] = []
    clients = [
        threading.Thread(
            target=lambda s=i: results.append(respondent(balancer.port, stop, questions, s, t0))
        )
        for i in range(args.clients)
    ]
    for c in clients:
        c.start()
    time.sleep(args.seconds / 3)
    killed_at = round(time.perf_counter() - t0, 1)
    kill(webs[0])  # web1 and worker1 die without warning
    kill(workers[0])
    time.sleep(2)
    workers[0] = worker(1)  # the supervisor starts it again under the same id
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - t0

    drained = False
    for _ in range(300):
        jobs = json.loads(policeplan("shell", "-c", jobs_query))
        if jobs["waiting"] == 0:
            drained = True
            break
        time.sleep(1)
    for p in [webs[1], *workers]:
        kill(p)

    acknowledged = [ref for r in results for ref in r["references"]]
    stored = json.loads(policeplan("shell", "-c", COUNT.format(slug=SLUG)))
    new = {ref: n for ref, n in stored.items() if ref not in before}
    pks = json.loads(policeplan("shell", "-c", REFS.format(slug=SLUG)))
    # The console email backend writes each email followed by a line of 79 dashes: count
    # the emails that quote each reference.
    emails: Counter[str] = Counter()
    for n in (1, 2):
        text = (work / f"worker{n}.log").read_text(errors="replace")
        for message in text.split("-" * 79):
            if "Subject:" in message and (found := re.search(r"PCP-[A-Z0-9-]{9}", message)):
                emails[found.group(0)] += 1
    statuses = [s for r in results for s in r["statuses"]]
    figures = {
        "benchmark": "scaleout",
        "processes": "2 web (gunicorn, 2 workers each) + 2 job workers, behind a balancer",
        "queue": args.queue,
        "file_store": "a shared directory standing in for an S3-compatible store",
        "seconds": round(elapsed, 1),
        "killed_at_second": killed_at,
        "requests": len(statuses),
        "acknowledged": len(acknowledged),
        "stored": len(new),
        "acknowledged_not_stored": len([r for r in acknowledged if r not in stored]),
        "duplicated": len([r for r, n in new.items() if n != 1]),
        "stored_without_acknowledgement": len(set(new) - set(acknowledged)),
        "connections_cut_by_the_kill": sum(r["cut"] for r in results),
        "answers_5xx_after_first_second": len([1 for t, s in statuses if s >= 500 and t > 1.0]),
        "queue_drained": drained,
        "email_jobs": jobs["statuses"],
        "email_jobs_not_once": len(
            [pk for ref, pk in pks.items() if ref in new and jobs["per_response"].get(str(pk)) != 1]
        ),
        "emails_per_acknowledged_response": dict(Counter(emails[r] for r in acknowledged)),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }
    ok = (
        figures["acknowledged_not_stored"] == 0
        and figures["duplicated"] == 0
        and figures["answers_5xx_after_first_second"] == 0
        and drained
        and figures["email_jobs_not_once"] == 0
        and set(jobs["statuses"]) == {"SUCCESSFUL"}
        and all(emails[r] == 1 for r in acknowledged)
    )
    figures["counts_right"] = ok
    for key, value in figures.items():
        print(f"{key:>32}: {value}")
    out = ROOT / "bench" / "results" / f"scaleout{'-rq' if args.queue == 'rq' else ''}.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"written {out.relative_to(ROOT)}; logs in {work}")
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
