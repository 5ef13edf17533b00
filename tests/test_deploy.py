"""The documented production settings pass Django's deployment checks, and a missing secret
stops the command line with the variable's name, not a traceback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "deploy" / "production.env.example"


def _documented_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith(("DJANGO", "PYTEST"))
    }
    for line in EXAMPLE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        env[name] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    env["VAR_DIR"] = str(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _policeplan(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from policeplan.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = _policeplan(
        "check", "--deploy", "--fail-level", "WARNING", env=_documented_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_without_a_secret_stops_with_its_name_and_no_traceback(tmp_path):
    env = _documented_env(tmp_path)
    del env["SECRET_KEY"]
    result = _policeplan("check", env=env)
    assert result.returncode == 2
    assert "SECRET_KEY must be set when HTTPS=true" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "secret-key").exists()


def test_the_compose_file_runs_every_part_on_shared_services_not_a_shared_disk():
    yaml = __import__("pytest").importorskip("yaml")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web1", "web2", "worker", "scheduler", "db", "redis", "objects"} <= set(services)
    app = ("web1", "web2", "worker", "scheduler")
    for name in app:
        env = services[name]["environment"]
        assert env["REDIS_URL"] and env["S3_BUCKET"] and env["S3_ENDPOINT_URL"]
        assert not services[name].get("volumes"), f"{name} mounts a disk another could share"
    assert services["worker"]["command"][:2] == ["policeplan", "worker"]
    assert "--appendonly" in services["redis"]["command"]  # queued jobs survive a restart
