"""Decision references: a prefix the office uses and a number ('PCD 1031', 'DMPCD 2024-55').

Which prefixes are allowed follows the office's kind (London's MOPAC publishes Police and
Crime Decisions, PCD, and Deputy Mayor for Policing and Crime Decisions, DMPCD; a
commissioner's office elsewhere its own), unless DECISION_REFERENCE_PREFIXES names them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from policeplan.core.models import Office, OfficeKind

PREFIXES: dict[str, tuple[str, ...]] = {
    OfficeKind.LONDON: ("PCD", "DMPCD"),
    OfficeKind.PCC: ("PCC", "DN"),
}
# A number, or a year and a number: 1031, 2024-55, 2024/55.
SHAPE = re.compile(r"^(?P<prefix>[A-Z]{1,10}) ?(?P<number>\d{1,6}|\d{4}[-/]\d{1,4})$")


def prefixes(office: Office | None) -> tuple[str, ...]:
    configured = tuple(getattr(settings, "DECISION_REFERENCE_PREFIXES", ()) or ())
    if configured:
        return configured
    kind = office.kind if office is not None else OfficeKind.PCC
    return PREFIXES.get(kind, PREFIXES[OfficeKind.PCC])


def normalise(reference: str, *, allowed: tuple[str, ...]) -> str:
    """The reference as it is stored ('pcd  1031' -> 'PCD 1031'), or a ValidationError
    that says what a reference looks like."""
    text = " ".join(reference.split()).upper()
    match = SHAPE.match(text)
    example = f"{allowed[0]} 1031" + (f" or {allowed[1]} 2024-55" if len(allowed) > 1 else "")
    if match is None or match["prefix"] not in allowed:
        raise ValidationError(
            f"Enter a reference like {example}: it starts with {' or '.join(allowed)}",
            code="reference",
        )
    return f"{match['prefix']} {match['number']}"


def slug(reference: str) -> str:
    """For the decision's web address: 'DMPCD 2024/55' -> 'dmpcd-2024-55'."""
    return re.sub(r"[^a-z0-9]+", "-", reference.lower()).strip("-")
