from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from policeplan.core import selectors
from policeplan.core.roles import Perm, can


def office(request: HttpRequest) -> dict[str, Any]:
    """The office (named in the header) and the viewer's abilities, on every page."""
    current = getattr(request, "_policeplan_office", None)
    if current is None:
        current = selectors.office_current()
        request._policeplan_office = current  # type: ignore[attr-defined]
    user = getattr(request, "user", None)
    return {
        "office": current,
        "service_name": current.name if current else "Police and Crime Plan",
        "is_staff_user": can(user, Perm.STAFF_AREA),
        "can_view_audit": can(user, Perm.VIEW_AUDIT),
        "can_import_data": can(user, Perm.IMPORT_DATA),
        "Perm": Perm,
        "can": can,
    }
