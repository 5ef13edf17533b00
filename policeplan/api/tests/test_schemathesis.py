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


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_operation_fails_on_any_input(case):
    case.call_and_validate()
