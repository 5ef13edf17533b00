"""scripts/audit-dependencies: a vulnerability fails the build; an unreachable database is said
plainly and does not; a partial audit is not passed off as a clean one."""

from __future__ import annotations

import importlib.util
from importlib.machinery import SourceFileLoader
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit-dependencies"
_loader = SourceFileLoader("audit_dependencies", str(SCRIPT))
audit = importlib.util.module_from_spec(importlib.util.spec_from_loader(_loader.name, _loader))
_loader.exec_module(audit)

CLEAN = {"name": "django", "version": "6.1", "vulns": []}
NOT_FOUND = {"name": "anyio", "skip_reason": "Dependency not found on PyPI: anyio (4.16.0)"}


def test_a_known_vulnerability_fails_naming_package_advisory_and_fix():
    vulnerable = {
        "name": "jinja2",
        "version": "3.1.2",
        "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": []}],
    }
    status, message = audit.judge({"dependencies": [CLEAN, vulnerable]}, "")
    assert status == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in message
    assert "1 known vulnerabilities in 1 of 2 packages audited" in message


def test_no_vulnerability_passes_and_says_how_many_were_audited():
    assert audit.judge({"dependencies": [CLEAN, CLEAN]}, "") == (
        0,
        "pip-audit: 2 locked packages audited, no known vulnerabilities",
    )


def test_a_database_that_answers_for_no_package_is_unreachable_not_clean():
    # What happens here: the index answers, its vulnerability API does not know any package.
    status, message = audit.judge({"dependencies": [NOT_FOUND, NOT_FOUND]}, "")
    assert status == 0
    assert message.startswith(audit.UNREACHABLE)
    assert "no known vulnerabilities" not in message


def test_a_database_that_cannot_be_reached_is_said_plainly_and_does_not_fail():
    errors = "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev')"
    status, message = audit.judge(None, errors)
    assert status == 0
    assert message.startswith(
        "pip-audit: vulnerability database unreachable, dependency audit NOT run"
    )


def test_any_other_failure_of_pip_audit_fails_the_build():
    status, message = audit.judge(None, "pip-audit: error: invalid requirement 'x=='")
    assert status == 1 and "invalid requirement" in message


def test_packages_it_could_not_look_up_fail_a_partial_audit():
    status, message = audit.judge({"dependencies": [CLEAN, NOT_FOUND]}, "")
    assert status == 1
    assert "anyio: not audited" in message
