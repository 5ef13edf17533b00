"""Benchmark: a measure page under load, against a minimal page of the same server.

Starts the demo (its real published figures) under gunicorn on 127.0.0.1, then, in the same run,
16 concurrent clients request a measure page for a fixed time, and then the cookies page
(the minimal page). The clients are wrk's (Debian's package) when it is installed, else
Python threads. Prints requests per second, p50 and p99 for each and the ratio; writes
bench/results/dashboard.json. Only loopback traffic; every loop is bounded in time.

    .venv/bin/python bench/dashboard/run.py [--seconds 10] [--clients 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
    }


def wrk(port: int, path: str, clients: int, seconds: float) -> dict:
    """The same measurement with wrk (Debian's package), a C load generator: its latencies
    are the server's, not also a Python client's threads waiting for their turn."""
    out = subprocess.run(
        [
            str(shutil.which("wrk")),
            "--latency",
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            # A new connection per request, as many different visitors make: with keep-alive,
            # gunicorn's threaded worker leaves some connections waiting out its 2 s timeout.
            "--header",
            "Connection: close",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout

    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return round(float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 1)

    if " 99%" not in out and "99.000%" not in out:
        raise SystemExit(f"wrk gave no latency distribution:\n{out}")
    percentile = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "path": path,
        "client": "wrk",
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(map(int, sockets.groups())) if sockets else 0),
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": ms(percentile["50"]),
        "p99_ms": ms(percentile["99"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="load from Python threads even when wrk is installed",
    )
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    if not use_wrk:
        print("wrk is not installed (apt-get install wrk): loading from Python threads, whose")
        print("latencies include the client's own waiting; figures are not comparable with wrk's")
    work = Path(tempfile.mkdtemp(prefix="policeplan-bench-dashboard-"))
    env = {
        **os.environ,
        "VAR_DIR": str(work / "var"),
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
    }
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo"]):
        subprocess.run(
            [str(VENV / "policeplan"), *command], env=env, check=True, capture_output=True
        )
    lineage = (
        subprocess.run(
            [
                str(VENV / "policeplan"),
                "shell",
                "-c",
                "from policeplan.plans.models import Measure; print(Measure.objects.filter(outcome__priority__version__number=2, "
                "title='Violence with injury offences').first().lineage)",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "policeplan.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        measure_path = f"/performance/measures/{lineage}/?area=E09000003&period=quarter"
        for _ in range(100):  # wait for the server, then warm both pages (charts are cached)
            try:
                load(port, "/cookies/", 1, 0.2)
                break
            except OSError:
                time.sleep(0.1)
        # Each worker's first measure page starts the chart renderer (seconds): warm until
        # the page comes back quickly many times in a row, so no cold start is measured.
        warm_until = time.perf_counter() + 120
        fast = 0
        while fast < 40 and time.perf_counter() < warm_until:
            took = load(port, measure_path, 4, 0.5)["p99_ms"] or 1e9
            fast = fast + 1 if took < 500 else 0
        load(port, "/cookies/", 4, 1)
        run = wrk if use_wrk else load
        measure = run(port, measure_path, args.clients, args.seconds)
        minimal = run(port, "/cookies/", args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    ratio = (
        measure["requests_per_second"] / minimal["requests_per_second"]
        if minimal["requests_per_second"]
        else 0
    )
    results = {
        "benchmark": "dashboard",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "server": "gunicorn, 2 workers x 4 threads, SQLite",
        "clients": args.clients,
        "load_generator": "wrk (2 threads)" if use_wrk else "Python threads",
        "seconds": args.seconds,
        "measure_page": measure,
        "minimal_page": minimal,
        "ratio_measure_to_minimal": round(ratio, 2),
        "goal": "measure page >= 50% of the minimal page's requests per second; p99 <= 100 ms",
        "goal_met": ratio >= 0.5 and (measure["p99_ms"] or 1e9) <= 100,
    }
    for name in ("measure_page", "minimal_page"):
        r = results[name]
        print(
            f"{name:13} {r['requests_per_second']:8.1f} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  errors {r['errors']}"
        )
    print(
        f"ratio {results['ratio_measure_to_minimal']} (goal >= 0.5); goal met: {results['goal_met']}"
    )
    out = ROOT / "bench" / "results" / "dashboard.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
