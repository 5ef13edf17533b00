"""Background work for scrutiny: the emails to people who asked for alerts."""

from __future__ import annotations

from django.tasks import task


@task()
def send_alert_email(kind: str, object_id: int, was: str = "") -> int:
    """Returns how many sends failed (they are logged; the others still go). `was`: for a
    changed meeting, when it was to start (ISO 8601)."""
    from policeplan.scrutiny.emails import send

    return send(kind=kind, object_id=object_id, was=was)
