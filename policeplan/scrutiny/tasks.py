"""Background work for scrutiny: the emails to people who asked for alerts."""

from __future__ import annotations

import datetime

from policeplan.core.jobs import Every, job


@job(time_limit=10 * 60, external=True)  # one email to every subscriber
def send_alert_email(kind: str, object_id: int, was: str = "") -> int:
    """Returns how many sends failed (they are logged; the others still go). `was`: for a
    changed meeting, when it was to start (ISO 8601)."""
    from policeplan.scrutiny.emails import send

    return send(kind=kind, object_id=object_id, was=was)


@job(time_limit=10 * 60)
def delete_unconfirmed_subscriptions() -> int:
    """Requests for alerts never confirmed within 7 days, with their email addresses (what
    `policeplan scrutiny_retention` does)."""
    from policeplan.scrutiny.services import subscriptions_unconfirmed_delete

    return subscriptions_unconfirmed_delete()


SCHEDULE = [
    Every(
        name="scrutiny.unconfirmed-alerts",
        job=delete_unconfirmed_subscriptions,
        period="daily",
        at=datetime.time(2, 15),
    ),
]
