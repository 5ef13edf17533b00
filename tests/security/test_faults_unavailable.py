"""While the database cannot be reached, every page says so honestly: 503, Retry-After and the
GOV.UK "service unavailable" wording, never a 500 or a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.db import InterfaceError, connections
from django.test import Client

from policeplan.core import selectors
from policeplan.core.roles import Role
from tests.security.pgserver import free_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = ["/", "/consultations/", "/performance/", "/cookies/", "/sign-in/"]
STAFF = ["/staff/", "/staff/consultations/", "/staff/audit/", "/staff/data/caveats/"]


def _assert_unavailable(response) -> None:
    page = response.content.decode()
    assert response.status_code == 503, page[:500]
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "<title>Sorry, the service is unavailable – Police and Crime Plan</title>" in page
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in page
    assert "You will be able to use the service later." in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.fixture
def refuse_connections(monkeypatch):
    """From now on the database refuses every connection, as a stopped server does."""

    def cut() -> None:
        database = connections["default"]
        database.close()

        def refused(*args, **kwargs):
            raise database.Database.OperationalError("connection refused: is the server running?")

        monkeypatch.setattr(database, "get_new_connection", refused)

    return cut


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_answer_503_while_the_database_is_down(path, demo, refuse_connections):
    client = Client(raise_request_exception=False)
    refuse_connections()
    _assert_unavailable(client.get(path))


@pytest.mark.parametrize("path", STAFF)
def test_staff_pages_answer_503_while_the_database_is_down(path, demo, refuse_connections):
    from policeplan.core.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.filter(role=Role.ADMINISTRATOR).first())
    assert client.get(path).status_code == 200
    refuse_connections()
    _assert_unavailable(client.get(path))


def test_the_api_answers_503_in_json_while_the_database_is_down(demo, refuse_connections):
    client = Client(raise_request_exception=False)
    refuse_connections()
    response = client.get("/api/v1/plan")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "Sorry, the service is unavailable. Try again later."}


def test_a_form_sent_while_the_database_is_down_answers_503(demo, refuse_connections):
    client = Client(raise_request_exception=False, enforce_csrf_checks=False)
    refuse_connections()
    _assert_unavailable(client.post("/sign-in/", {"email": "a@b.example", "password": "x"}))


def test_a_connection_lost_while_drawing_the_page_answers_503(demo, monkeypatch):
    def lost() -> None:
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(selectors, "office_current", lost)  # read on every page, mid-render
    _assert_unavailable(Client(raise_request_exception=False).get("/consultations/"))


def test_any_other_failure_is_still_a_500(demo, monkeypatch):
    def broken() -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(selectors, "office_current", broken)
    response = Client(raise_request_exception=False).get("/consultations/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_server_pointed_at_a_closed_port_answers_503():
    """The real thing: PostgreSQL configured on a port where nothing listens."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/policeplan",
        ALLOWED_HOSTS="testserver",
    )
    script = (
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "for path in ['/', '/sign-in/', '/consultations/']:\n"
        "    r = client.get(path)\n"
        "    print(path, r.status_code, r.get('Retry-After'), b'service is unavailable' in r.content)\n"
    )
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "policeplan"), "shell", "-v", "0", "-c", script],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.splitlines() == [
        "/ 503 30 True",
        "/sign-in/ 503 30 True",
        "/consultations/ 503 30 True",
    ], done.stdout + done.stderr
