"""Backup and restore, as an operator runs them: the demo backed up, restored into a fresh
database and storage in other processes, and backed up again: every count, row and file
hash the same; jobs waiting at backup time queued again, but emails held (never sent twice).
And every way a backup can be incomplete or tampered with refuses, restoring nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from policeplan.core import backup

ROOT = Path(__file__).resolve().parent.parent


KEY = "a-test-secret-key-for-both-services-" + "Qz7" * 10


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        SECRET_KEY=KEY,
        VAR_DIR=str(home),
        DATABASE_URL=f"sqlite:///{home / 'db.sqlite3'}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    env.pop("REDIS_URL", None)
    return env


def _policeplan(home: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from policeplan.cli import main; main()", *args],
        env=_env(home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _rows(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if "django_tasks_database" not in line]


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="runs its own SQLite processes: once is enough"
)
def test_the_demo_backed_up_and_restored_is_the_same_to_the_last_row_and_byte(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    _policeplan(first, "migrate", "-v0")
    _policeplan(first, "demo")
    made = _policeplan(first, "backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert f"Backed up {sum(manifest['counts'].values()):,} rows" in made
    assert manifest["jobs_waiting"] > 0  # the demo's registrations' emails, PDFs
    waiting = sqlite3.connect(first / "db.sqlite3").execute(
        "SELECT task_path, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING') GROUP BY task_path"
    )
    waiting_by_task = dict(waiting.fetchall())
    emails = waiting_by_task.get("policeplan.consultations.tasks.send_consultation_email", 0)
    assert emails > 0

    told = _policeplan(second, "restore", str(tmp_path / "backup"))
    assert f"{emails:,} emails waiting at backup time were held" in told
    _policeplan(second, "backup", str(tmp_path / "again"))
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert again["counts"] == manifest["counts"]
    assert again["files"] == manifest["files"]  # every file, byte for byte (SHA-256)
    assert sum(len(v) for v in again["files"].values()) > 0
    assert _rows(tmp_path / "again" / "database.jsonl") == _rows(
        tmp_path / "backup" / "database.jsonl"
    )
    # Independently, from the restored database file: emails held, the rest queued again.
    restored = sqlite3.connect(second / "db.sqlite3")
    statuses = dict(
        restored.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'policeplan.consultations.tasks.send_consultation_email' "
            "GROUP BY status"
        ).fetchall()
    )
    assert statuses.get("READY", 0) == 0 and statuses.get("RUNNING", 0) == 0
    held = restored.execute(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE exception_class_path = ?",
        [backup.HELD],
    ).fetchone()[0]
    assert held == emails
    requeued = restored.execute(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
    ).fetchone()[0]
    assert requeued == sum(waiting_by_task.values()) - emails  # the worker takes only these


def _fake_backup(folder: Path, files: dict[str, bytes]) -> dict:
    import hashlib

    folder.mkdir()
    (folder / backup.DATABASE).write_text("")
    listed = []
    for name, data in files.items():
        path = folder / "files" / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        listed.append(
            {"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    manifest = {
        "format": backup.FORMAT,
        "database": {"sha256": hashlib.sha256(b"").hexdigest()},
        "counts": {},
        "migrations": {},
        "files": {"media": listed},
    }
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    return manifest


def test_a_backup_without_its_manifest_is_refused_as_unfinished(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / backup.DATABASE).write_text("{}")
    with pytest.raises(backup.BackupError, match=r"manifest\.json is missing"):
        backup.restore(tmp_path / "b")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda f: (f / "files/media/a.pdf").unlink(), "files/media/a.pdf is missing"),
        (lambda f: (f / "files/media/a.pdf").write_bytes(b"%PDF-changed"), "does not match"),
        (lambda f: (f / backup.DATABASE).write_text("[]"), "database.jsonl does not match"),
        (lambda f: (f / backup.DATABASE).unlink(), "database.jsonl is missing"),
    ],
)
def test_a_partial_or_changed_backup_is_refused_naming_what_is_wrong(tmp_path, change, problem):
    folder = tmp_path / "b"
    _fake_backup(folder, {"a.pdf": b"%PDF-1.7 a"})
    change(folder)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(folder)
    assert problem in str(refused.value) and "nothing was restored" in str(refused.value)


def test_a_manifest_cannot_reach_outside_the_backup(tmp_path):
    folder = tmp_path / "b"
    manifest = _fake_backup(folder, {"a.pdf": b"x"})
    (tmp_path / "secret.txt").write_text("not yours")
    manifest["files"]["media"].append({"path": "../../../secret.txt", "bytes": 9, "sha256": "0"})
    manifest["files"]["elsewhere"] = [{"path": "x", "bytes": 1, "sha256": "0"}]
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    problems = backup.verify(folder, backup.read_manifest(folder))
    assert "files/media/../../../secret.txt: outside the backup" in problems
    assert "files/elsewhere: not a part of the service" in problems


def test_a_symlink_in_the_backup_cannot_carry_a_file_outside_the_restore(tmp_path, settings):
    """Through a link, "link/../../x" stays inside the backup when resolved there, but would
    climb out of the warehouse folder it is restored into (a hostile tester's find)."""
    import hashlib

    folder = tmp_path / "b"
    manifest = _fake_backup(folder, {"a.pdf": b"x"})
    warehouse = folder / "files" / "warehouse"
    (warehouse / "real" / "a" / "b" / "c").mkdir(parents=True)
    (warehouse / "link").symlink_to(warehouse / "real" / "a" / "b" / "c")
    (warehouse / "escape").write_bytes(b"escaped")
    digest = hashlib.sha256(b"escaped").hexdigest()
    manifest["files"]["warehouse"] = [
        {"path": "link/../../../escape", "bytes": 7, "sha256": digest},
        {"path": "real/../escape", "bytes": 7, "sha256": digest},
    ]
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    settings.WAREHOUSE_ROOT = tmp_path / "restored" / "deep" / "warehouse"
    with pytest.raises(backup.BackupError, match="outside the backup"):
        backup.restore(folder)
    assert not list(tmp_path.glob("restored/**/escape"))
    assert not (tmp_path / "escape").exists()


@pytest.mark.parametrize("text", ["not json", "[]", json.dumps({"format": "other/1"})])
def test_a_manifest_that_is_not_one_is_refused(tmp_path, text):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / backup.MANIFEST).write_text(text)
    with pytest.raises(backup.BackupError, match="nothing was restored"):
        backup.restore(folder)


@pytest.mark.django_db
def test_restore_refuses_a_database_already_set_up_and_backup_a_folder_in_use(tmp_path):
    folder = tmp_path / "b"
    _fake_backup(folder, {})
    with pytest.raises(backup.BackupError, match="set up already"):
        backup.restore(folder)
    with pytest.raises(backup.BackupError, match="is not empty"):
        backup.backup(folder)


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    folder = tmp_path / "b"
    manifest = _fake_backup(folder, {})
    manifest["migrations"] = {"core": ["9999_from_the_future"]}
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="newer version"):
        backup.restore(folder)


def test_a_restore_with_another_secret_key_is_refused_unless_asked(tmp_path, settings):
    folder = tmp_path / "b"
    manifest = _fake_backup(folder, {})
    manifest["secret_key"] = "0123456789abcdef"
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(folder)
    assert "SECRET_KEY is not the one the backup was made with" in str(refused.value)
    assert settings.SECRET_KEY not in str(refused.value)
