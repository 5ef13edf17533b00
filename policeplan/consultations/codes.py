"""The codes people are given: a response's reference (PCP-7KQ2-M9XD), the code to come
back to a saved response (K7PQ-2M9X) and the code that withdraws a response sent without an
email address (3JQK-9MXP-T4WZ). Random, in letters and digits that cannot be misread."""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread


def new_code(groups: int = 2) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(groups))


def new_reference() -> str:
    return f"PCP-{new_code()}"


def normalise_code(code: str, prefix: str = "") -> str:
    """Codes typed with spaces, in lower case or without the dash still match."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    if prefix and len(raw) == 8 + len(prefix) and raw.startswith(prefix):
        raw = raw[len(prefix) :]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def withdrawal_code_hash(code: str) -> str:
    """The keyed hash kept of a withdrawal code (the code itself is never stored)."""
    return salted_hmac(
        "policeplan.withdrawal-code", normalise_code(code), algorithm="sha256"
    ).hexdigest()
