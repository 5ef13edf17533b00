"""Benchmark: complete questionnaires submitted concurrently, on PostgreSQL, some retried.

Loads the demo into a fresh PostgreSQL database, turns the open demo consultation into a
one-page questionnaire (every kind of question, publishing consent and equality questions)
and serves it with gunicorn on 127.0.0.1. Client processes, each with several threads,
then act as respondents for a fixed time: load the questionnaire (which carries the CSRF
cookie and the submission's signed token), answer it and send it. Some clients send the
same submission again, as a retry after a timeout would, and some send it twice at once,
as a double click on two connections would. Every acknowledged reference is then looked up
in the database: each must be stored exactly once, and nothing may be lost.

Prints responses per second and p50/p99 latency of the submission; writes
bench/results/submissions.json. Only loopback traffic; every loop is bounded in time.

    .venv/bin/python bench/submissions/run.py [--seconds 60] [--clients 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PG = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "policeplan_bench_submissions"
SLUG = "refresh-the-plan"
PREPARE = """
from policeplan.consultations.models import Consultation, Question
c = Consultation.objects.get(slug="{slug}")
c.one_page = True
c.save()
import json
print(json.dumps([[q.pk, q.kind, q.options] for q in Question.objects.filter(section__consultation=c)]))
"""
COUNT = """
import json
from django.db.models import Count
from policeplan.consultations.models import Response
rows = Response.objects.filter(consultation__slug="{slug}", status="submitted")
refs = dict(rows.values_list("reference").annotate(n=Count("id")).values_list("reference", "n"))
print(json.dumps(refs))
"""


def cpu_seconds(root_pid: int) -> float:
    """User and system CPU time of a process and its children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [root_pid]
    children = Path(f"/proc/{root_pid}/task/{root_pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(
        [str(shutil.which("psql")), PG.replace("postgres://", "postgresql://", 1), "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


def answers(questions: list, rng: random.Random) -> dict[str, object]:
    data: dict[str, object] = {}
    for pk, kind, options in questions:
        if kind == "respondent_type":
            data[f"q{pk}"] = "individual"
        elif kind == "borough":
            data[f"q{pk}"] = rng.choice(["E09000003", "E09000008", "E09000030", "E09000022"])
        elif kind == "postcode_district":
            data[f"q{pk}"] = rng.choice(["EN5", "CR0", "E3", "SW9"])
        elif kind == "priority_scale":
            for i in range(1, 5):
                data[f"q{pk}_{i}"] = rng.choice(["agree", "strongly_agree", "disagree"])
        elif kind == "priority_ranking":
            for i, rank in enumerate(rng.sample(range(1, 5), 4), start=1):
                data[f"q{pk}_{i}"] = str(rank)
        elif kind == "free_text":
            data[f"q{pk}"] = rng.choice(
                ["More officers on foot near schools.", "Answer 101 calls faster.", "Fix lighting."]
            )
        elif kind == "multiple":
            data[f"q{pk}"] = rng.sample(options, 2)
        elif kind == "agree_scale":
            data[f"q{pk}"] = "agree"
    data.update({"about-consent": "anonymous", "equality-age": "25_34", "equality-sex": "female"})
    return data


def respondent(port: int, stop: float, questions: list, seed: int, retry_share: float) -> dict:
    """One client thread: a new respondent each loop (a new connection and cookie jar)."""
    rng = random.Random(seed)
    latencies: list[float] = []
    references: list[str] = []
    retries = mismatched = errors = 0
    path = f"/consultations/{SLUG}/respond/"
    while time.perf_counter() < stop:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path)
            page = conn.getresponse()
            html = page.read().decode()
            cookie = page.getheader("Set-Cookie", "").split(";")[0]
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            body = urllib.parse.urlencode(
                {**answers(questions, rng), "csrfmiddlewaretoken": csrf, "token": token},
                doseq=True,
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}{path}",
            }

            def send(body: str = body, headers: dict = headers) -> str | None:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    c.request("POST", path, body=body, headers=headers)
                    r = c.getresponse()
                    text = r.read().decode()
                    if r.status != 200:
                        return None
                    found = re.search(r'class="app-code">(PCP-[A-Z0-9-]+)<', text)
                    return found.group(1) if found else None
                finally:
                    c.close()

            started = time.perf_counter()
            reference = send()
            latencies.append(time.perf_counter() - started)
            if reference is None:
                errors += 1
                continue
            references.append(reference)
            roll = rng.random()
            if roll < retry_share / 2:  # a retry after a timeout: the same submission again
                retries += 1
                if send() != reference:
                    mismatched += 1
            elif roll < retry_share:  # a double click landing on two connections at once
                retries += 2
                twins: list[str | None] = []

                def twin(twins: list[str | None] = twins, send=send) -> None:
                    twins.append(send())

                threads = [threading.Thread(target=twin) for _ in range(2)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                mismatched += sum(1 for t in twins if t != reference)
        except (OSError, AttributeError):
            errors += 1
        finally:
            conn.close()
    return {
        "latencies": latencies,
        "references": references,
        "retries": retries,
        "mismatched": mismatched,
        "errors": errors,
    }


def client_process(args: tuple) -> dict:
    port, stop_in, questions, seed, threads, retry_share = args
    stop = time.perf_counter() + stop_in
    results: list[dict] = []
    workers = [
        threading.Thread(
            target=lambda s=seed * 100 + i: results.append(
                respondent(port, stop, questions, s, retry_share)
            )
        )
        for i in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    merged: dict = {"latencies": [], "references": [], "retries": 0, "mismatched": 0, "errors": 0}
    for r in results:
        for key in merged:
            merged[key] += r[key]
    return merged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    url = PG.rsplit("/", 1)[0] + "/" + DB_NAME
    work = Path(tempfile.mkdtemp(prefix="policeplan-bench-submissions-"))
    env = {
        **os.environ,
        "VAR_DIR": str(work / "var"),
        "DATABASE_URL": url,
        # Every client comes from 127.0.0.1: lift the per-address limit for the benchmark.
        "SUBMISSION_RATE_LIMIT": "100000000",
        # Confirmation emails would queue background jobs; the bench has no worker.
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    }
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo"]):
        subprocess.run(
            [str(VENV / "policeplan"), *command], env=env, check=True, capture_output=True
        )

    def shell(code: str) -> str:
        out = subprocess.run(
            [str(VENV / "policeplan"), "shell", "-c", code],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip().splitlines()[-1]

    questions = json.loads(shell(PREPARE.format(slug=SLUG)))
    before = json.loads(shell(COUNT.format(slug=SLUG)))
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "policeplan.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", f"/consultations/{SLUG}/respond/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        # Warm-up: a few seconds of the same load, not counted (and not checked either way).
        threads = max(1, args.clients // args.processes)
        with multiprocessing.Pool(args.processes) as pool:
            pool.map(
                client_process,
                [(port, 3.0, questions, 10_000 + i, threads, 0.0) for i in range(args.processes)],
            )
            warm = json.loads(shell(COUNT.format(slug=SLUG)))
            server_cpu = cpu_seconds(server.pid)
            began = time.perf_counter()
            results = pool.map(
                client_process,
                [
                    (port, args.seconds, questions, i, threads, args.retry_share)
                    for i in range(args.processes)
                ],
            )
            elapsed = time.perf_counter() - began
            server_cpu = cpu_seconds(server.pid) - server_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)

    latencies = sorted(x for r in results for x in r["latencies"])
    acknowledged = [ref for r in results for ref in r["references"]]
    stored = json.loads(shell(COUNT.format(slug=SLUG)))
    new = {ref: n for ref, n in stored.items() if ref not in warm}
    lost = [ref for ref in acknowledged if ref not in stored]
    duplicated = [ref for ref, n in stored.items() if n != 1]
    unexpected = set(new) - set(acknowledged)
    figures = {
        "benchmark": "submissions",
        "database": "PostgreSQL",
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "responses": len(acknowledged),
        "responses_per_second": round(len(acknowledged) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
        "retries_sent": sum(r["retries"] for r in results),
        "retries_with_another_reference": sum(r["mismatched"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "stored_without_acknowledgement": len(unexpected),
        "stored_before_the_run": len(before),
        # CPU the web server spent per response (loading the form, sending it, retries):
        # the clients run on the same cores, so this bounds what the server alone could do.
        "server_cpu_ms_per_response": round(server_cpu * 1000 / max(1, len(acknowledged)), 1),
        "goal": "≥ 200 responses/s, p99 ≤ 250 ms, 0 lost, 0 duplicated",
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "gunicorn_workers": args.workers,
    }
    figures["goal_met"] = (
        figures["responses_per_second"] >= 200
        and (figures["p99_ms"] or 1e9) <= 250
        and not lost
        and not duplicated
        and figures["retries_with_another_reference"] == 0
    )
    for key, value in figures.items():
        print(f"{key:>32}: {value}")
    out = ROOT / "bench" / "results" / "submissions.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"written {out.relative_to(ROOT)}")
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    if lost or duplicated:
        sys.exit(1)


if __name__ == "__main__":
    main()
