"""Reads for the core context."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from policeplan.core.models import AuditEvent, Office


def office_current() -> Office | None:
    """The office this installation serves, or None before one is set up."""
    return Office.objects.order_by("pk").first()


def office_stamp() -> tuple[int, Any] | None:
    """The office's id and when it last changed (for caching pages that name it)."""
    return Office.objects.order_by("pk").values_list("pk", "modified_at").first()


def audit_events(*, object_type: str = "", object_id: str = "", actor: str = "") -> QuerySet:
    """Audit events, newest first, optionally for one object or actor email."""
    events = AuditEvent.objects.select_related("actor")
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    return events
