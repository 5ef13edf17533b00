"""Fixtures shared by every test: fast password hashing, one user per role, the demo plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeplan.core.roles import Role


def pytest_configure(config):
    """On PostgreSQL, the test databases' commits do not wait for the disk (a crash loses
    only a test run): the tests that commit (the browser tests' live server, the fault and
    concurrency tests) load the demo row by row, one commit each."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the production hasher (tested in core/tests/test_auth.py); tests that only need
    # accounts use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.WAREHOUSE_ROOT = tmp_path / "warehouse"


@pytest.fixture(autouse=True)
def _pages_see_changes_at_once(settings):
    # Tests change data and read the page straight after: no second of grace.
    settings.PAGE_STAMP_SECONDS = 0


@pytest.fixture(autouse=True)
def _redis_starts_empty(settings):
    # With REDIS_URL (the test run's own Redis database), counts and pages would outlive the
    # test that made them, as the database's are rolled back: empty it before each test.
    from django.core.cache import caches

    for alias, cache in settings.CACHES.items():
        if cache["BACKEND"].endswith("RedisCache"):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    # Background jobs run in the request in tests; the database queue is tested on its own.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def users(db):
    from policeplan.core.tests.factories import UserFactory

    return {role: UserFactory(role=role, email=f"{role}@example.org") for role in Role.values}


@pytest.fixture
def officer(users):
    return users[Role.POLICY_OFFICER]


@pytest.fixture
def demo(db):
    """The demo office, staff and plan, loaded exactly as `policeplan demo` loads them."""
    from policeplan.plans.demo.loader import load_demo

    return load_demo()


SHARED = Path(__file__).resolve().parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder beside the repository (as in CI); never copied into it."""
    if not SHARED.is_dir():
        pytest.skip(
            f"the real data folder {SHARED} is not here (CI puts ../shared beside the repository)"
        )
    return SHARED
