"""The body's name and kind follow the office's kind (`core.models.Office`): London's office is
scrutinised by the London Assembly's Police and Crime Committee, every other by its area's
Police and Crime Panel."""

from __future__ import annotations

from typing import Any

from policeplan.core.models import Office, OfficeKind
from policeplan.scrutiny.models import BodyKind


def body_defaults(office: Office | None) -> dict[str, Any]:
    """What a new scrutiny body is called, for the office this installation serves."""
    if office is not None and office.kind == OfficeKind.LONDON:
        return {
            "name": "Police and Crime Committee",
            "slug": "police-and-crime-committee",
            "kind": BodyKind.COMMITTEE,
        }
    area = f"{office.force_area} " if office is not None else ""
    return {
        "name": f"{area}Police and Crime Panel",
        "slug": "police-and-crime-panel",
        "kind": BodyKind.PANEL,
    }
