"""`make run` (scripts/serve) brings the background-job worker back when it dies, and Ctrl+C
stops everything it started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from tests.security.pgserver import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
STARTED = re.compile(r"Background-job worker (\d+) started")


def _workers(log: Path) -> list[int]:
    return [int(pid) for pid in STARTED.findall(log.read_text())]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_replaced_and_ctrl_c_stops_everything(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        PORT=str(free_port()),
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        first = wait_until(lambda: _workers(log), 60, "the first worker")[0]
        # The shell logs the child's pid as it forks; the child becomes the worker when it execs.
        wait_until(lambda: "policeplan worker" in _cmdline(first), 60, "the first worker to start")
        os.kill(first, signal.SIGKILL)

        second = wait_until(lambda: _workers(log)[1:], 60, "a worker to replace it")[0]
        assert second != first
        wait_until(
            lambda: "policeplan worker" in _cmdline(second), 60, "the second worker to start"
        )
        assert "--worker-id serve-" in _cmdline(second)  # the same id: takes back its job
        assert f"Background-job worker {first} stopped (exit 137)" in log.read_text()

        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl+C in the terminal sends
        serve.wait(timeout=60)
        wait_until(lambda: not _group_alive(serve.pid), 30, "every process to stop")
    finally:
        if _group_alive(serve.pid):
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(timeout=30)
