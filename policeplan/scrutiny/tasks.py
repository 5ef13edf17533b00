"""Background work for scrutiny: the emails to people who asked for alerts."""

from __future__ import annotations

from django.tasks import task


@task()
def send_alert_email(kind: str, object_id: int) -> int:
    """Returns how many sends failed (they are logged; the others still go)."""
    from policeplan.scrutiny.emails import send

    return send(kind=kind, object_id=object_id)
