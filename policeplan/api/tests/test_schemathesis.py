"""Property-based checks of the API against its own OpenAPI document: whatever valid or
invalid input schemathesis generates, no operation answers with a server error, and every
answer matches the schema it documents."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from policeplan.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _plan(demo):
    """A published plan to answer about (the demo)."""


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI application, whose end-of-request signal would close
    the test's database connection (on PostgreSQL); Django's own test client avoids this the
    same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_operation_fails_on_any_input(case):
    # The pages are gzipped for browsers that ask; the checker reads the plain JSON.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
