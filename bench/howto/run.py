"""The deployment and backup how-tos, followed word for word on this machine.

Runs each command of docs/how-to/deploy.md (2b, without containers) and
docs/how-to/backup-and-restore.md as written there (the script checks that each command it
runs appears in the how-to, character for character, so the two cannot drift apart), in a
fresh clone of this repository, with the production settings of
deploy/production.env.example filled in (PostgreSQL and Redis on this machine; HTTPS=true,
the proxy's X-Forwarded-Proto sent by this script). It loads the
demo after migrating, standing in for a service in use. Then, as the rehearsal says: restore into a new
database and folder, back the restored copy up again and compare the manifests, start a web
process on the restored copy, sign in and open pages.

    .venv/bin/python bench/howto/run.py

Prints each step with its time; writes bench/results/howto.json; exits 1 at the first step
that fails.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "how-to" / "deploy.md").read_text()
BACKUP = (ROOT / "docs" / "how-to" / "backup-and-restore.md").read_text()
PG = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
RESTORED_REDIS = os.environ.get("BENCH_RESTORED_REDIS_URL", "redis://127.0.0.1:6379/10")
DB_NAME, RESTORED_NAME = "policeplan_howto", "policeplan_restored"
ADMIN = "admin@howto.policeplan.example"
# The how-tos' commands, literal text checked against the documents, run as typed; the
# values they need reach them as environment variables, never inside the command text.
BASH = "/bin/bash"

SETUP = 'git clone "$REPOSITORY" policeplan && cd policeplan && make setup'
SETTINGS = 'set -a && . "$POLICEPLAN_ENV" && set +a'
CHECK = ".venv/bin/policeplan check --deploy --fail-level WARNING"
MIGRATE = ".venv/bin/policeplan migrate --noinput"
CREATESTAFF = (
    '.venv/bin/policeplan createstaff "$ADMIN_EMAIL" --name "Service administrator" '
    "--role administrator"
)
WEB = (
    'BIND="127.0.0.1:${PORT:-8000}" PROMETHEUS_MULTIPROC_DIR="/tmp/policeplan-metrics-${PORT:-8000}" '
    ".venv/bin/gunicorn -c deploy/gunicorn.conf.py policeplan.wsgi"
)
WORKER = '.venv/bin/policeplan worker --worker-id "$(hostname)-worker-1"'
SCHEDULER = '.venv/bin/policeplan scheduler --name "$(hostname)"'
READY = 'curl -fsS "http://127.0.0.1:${PORT:-8000}/readyz"'
TAKE_BACKUP = '.venv/bin/policeplan backup "$BACKUPS/policeplan-$(date -u +%Y%m%dT%H%M%SZ)"'
CREATEDB = "createdb policeplan_restored"
RESTORED_ENV = (
    'export DATABASE_URL="$RESTORED_DATABASE_URL" VAR_DIR="$RESTORED_DIR" '
    'REDIS_URL="$RESTORED_REDIS_URL"'
)
RESTORE = '.venv/bin/policeplan restore "$BACKUP"'
COLLECTSTATIC = ".venv/bin/policeplan collectstatic --noinput"
REHEARSE = '.venv/bin/policeplan backup "$BACKUP-rehearsed"'

steps: list[dict[str, object]] = []


def documented(doc: str, command: str) -> str:
    if command not in doc:
        sys.exit(f"FAILED: the how-to no longer says: {command}")
    return command


def shell(command: str, *, cwd: Path, env: dict[str, str], name: str) -> str:
    """One documented command, run as an operator would type it (bash, the settings loaded)."""
    started = time.perf_counter()
    result = subprocess.run(
        [BASH, "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    took = round(time.perf_counter() - started, 1)
    steps.append({"step": name, "seconds": took, "exit": result.returncode})
    print(f"{name:<55} {took:>7.1f} s  exit {result.returncode}", flush=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {name}\n$ {command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def start(command: str, *, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [BASH, "-c", command], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(command: str, *, cwd: Path, env: dict[str, str], name: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        probe = subprocess.run([BASH, "-c", command], cwd=cwd, env=env, capture_output=True)
        if probe.returncode == 0:
            break
        if time.monotonic() > deadline:
            sys.exit(f"FAILED: {name}: /readyz never answered 200")
        time.sleep(0.5)
    shell(command, cwd=cwd, env=env, name=name)


class Browser:
    """Requests as they arrive from the TLS proxy (X-Forwarded-Proto: https), with cookies."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        conn.request(method, path, body=body.encode(), headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        return response.status, text, dict(response.getheaders())

    def sign_in(self, email: str, password: str) -> None:
        from urllib.parse import urlencode

        status, page, _ = self.request("GET", "/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            sys.exit(f"FAILED: the sign-in page answered {status}")
        form = urlencode({"csrfmiddlewaretoken": token.group(1), "email": email,
                          "password": password})  # fmt: skip
        status, _, _ = self.request("POST", "/sign-in/", form)
        if status != 302:
            sys.exit(f"FAILED: signing in answered {status}, not a redirect")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="policeplan-howto-"))
    server = psycopg.connect(PG, autocommit=True)
    for name in (DB_NAME, RESTORED_NAME):
        server.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(psycopg.sql.Identifier(name))
        )
    server.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(DB_NAME)))
    redis.Redis.from_url(REDIS).flushdb()
    redis.Redis.from_url(RESTORED_REDIS).flushdb()
    port, restored_port = free_port(), free_port()
    password = secrets.token_urlsafe(18)

    # Step 1 of the deployment how-to: the production settings, every <value> filled in.
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": PG.rsplit("/", 1)[0] + "/" + DB_NAME,
        "REDIS_URL": REDIS,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port},https://127.0.0.1:{restored_port}",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "1",  # no mail server here: emails fail, as the how-to's jobs may
    }
    lines = []
    for line in (ROOT / "deploy" / "production.env.example").read_text().splitlines():
        name = line.partition("=")[0]
        if line and not line.startswith("#") and name in values:
            line = f"{name}={values[name]}"
        if "<" in line and not line.startswith("#"):
            line = f"{name}={secrets.token_urlsafe(24)}"  # the remaining passwords and tokens
        lines.append(line)
    lines += [
        f"{k}={v}" for k, v in values.items() if not any(x.startswith(k + "=") for x in lines)
    ]
    settings_file = work / "policeplan.env"
    settings_file.write_text("\n".join(lines) + "\n")
    metrics_token = next(x.partition("=")[2] for x in lines if x.startswith("METRICS_TOKEN="))

    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST", "VIRTUAL_ENV"))
    }
    for name in ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "TASKS_BACKEND", "SECRET_KEY"):
        base.pop(name, None)
    base |= {
        "REPOSITORY": str(ROOT),
        "POLICEPLAN_ENV": str(settings_file),
        "ADMIN_EMAIL": ADMIN,
        "STAFF_PASSWORD": password,
        "PORT": str(port),
        "BACKUPS": str(work / "backups"),
        "PGHOST": "127.0.0.1",
        "PGUSER": "postgres",
    }
    (work / "backups").mkdir()
    load = documented(DEPLOY, SETTINGS) + " && "
    machine = work / "policeplan"
    processes: list[subprocess.Popen] = []
    try:
        shell(documented(DEPLOY, SETUP), cwd=work, env=base, name="deploy: clone and make setup")
        shell(
            load + documented(DEPLOY, CHECK), cwd=machine, env=base, name="deploy: check --deploy"
        )
        shell(load + documented(DEPLOY, MIGRATE), cwd=machine, env=base, name="deploy: migrate")
        # A service in use: the demo's plan, consultations, responses and data (into the new
        # database, before anyone is added: the demo refuses a database in use).
        shell(load + ".venv/bin/policeplan demo", cwd=machine, env=base, name="(the demo loaded)")
        shell(
            load + documented(DEPLOY, CREATESTAFF),
            cwd=machine,
            env=base,
            name="deploy: createstaff",
        )
        for command, log in ((WEB, "web"), (WORKER, "worker"), (SCHEDULER, "scheduler")):
            processes.append(
                start(
                    load + documented(DEPLOY, command),
                    cwd=machine,
                    env=base,
                    log=work / f"{log}.log",
                )
            )
        wait_ready(
            documented(DEPLOY, READY), cwd=machine, env=base, name="deploy: /readyz answers 200"
        )
        browser = Browser(port)
        browser.sign_in(ADMIN, password)
        status, _, _ = browser.request("GET", "/staff/consultations/")
        if status != 200:
            sys.exit(f"FAILED: the staff consultations page answered {status} after signing in")
        print(f"{'deploy: signed in, staff page 200':<55}", flush=True)

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
        metrics = conn.getresponse()
        text = metrics.read().decode()
        if metrics.status != 200 or "policeplan_jobs_oldest_queued_age_seconds" not in text:
            sys.exit(f"FAILED: /metrics answered {metrics.status} to the documented token")
        print(f"{'deploy: /metrics answers with the token':<55}", flush=True)

        # The backup how-to.
        shell(
            load + documented(BACKUP, TAKE_BACKUP),
            cwd=machine,
            env=base,
            name="backup: policeplan backup",
        )
        (taken,) = (work / "backups").iterdir()
        restored = base | {
            "BACKUP": str(taken),
            "RESTORED_DATABASE_URL": PG.rsplit("/", 1)[0] + "/" + RESTORED_NAME,
            "RESTORED_DIR": str(work / "restored"),
            "RESTORED_REDIS_URL": RESTORED_REDIS,
            "PORT": str(restored_port),
        }
        shell(documented(BACKUP, CREATEDB), cwd=machine, env=restored, name="restore: createdb")
        as_restored = load + documented(BACKUP, RESTORED_ENV) + " && "
        shell(
            as_restored + documented(BACKUP, RESTORE),
            cwd=machine,
            env=restored,
            name="restore: policeplan restore",
        )
        shell(
            as_restored + documented(BACKUP, REHEARSE),
            cwd=machine,
            env=restored,
            name="rehearse: back the restored copy up",
        )
        compare = next(
            line.strip()
            for line in BACKUP.splitlines()
            if line.strip().startswith(".venv/bin/python -c 'import json, sys;")
        )
        said = shell(compare, cwd=machine, env=restored, name="rehearse: compare the manifests")
        if said.strip() != "same":
            sys.exit("FAILED: the manifests differ")
        if "policeplan collectstatic" not in BACKUP:
            sys.exit("FAILED: the how-to no longer says to collect the static files")
        shell(
            as_restored + COLLECTSTATIC, cwd=machine, env=restored, name="rehearse: collectstatic"
        )
        processes.append(
            start(as_restored + WEB, cwd=machine, env=restored, log=work / "restored-web.log")
        )
        wait_ready(READY, cwd=machine, env=restored, name="rehearse: restored /readyz answers 200")
        browser = Browser(restored_port)
        browser.sign_in(ADMIN, password)
        opened = {}
        for path in ("/staff/consultations/", "/reports/", "/staff/data/"):
            status, _, _ = browser.request("GET", path)
            opened[path] = status
            if status != 200:
                sys.exit(f"FAILED: {path} answered {status} on the restored copy")
        print(f"{'rehearse: signed in, pages open: ' + ', '.join(opened):<55}", flush=True)
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        server.close()

    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "howto.json").write_text(
        json.dumps(
            {
                "steps": steps,
                "total_seconds": round(sum(float(s["seconds"]) for s in steps), 1),  # type: ignore[arg-type]
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "work": str(work),
            },
            indent=1,
        )
    )
    print("Every step of both how-tos worked as written.")


if __name__ == "__main__":
    main()
