"""Background work for consultations: emails to respondents and registrants, and the daily
erasure of personal details past their retention date."""

from __future__ import annotations

import datetime

from policeplan.core.jobs import Every, job


@job(time_limit=2 * 60, external=True)
def send_consultation_email(kind: str, object_id: int) -> None:
    from policeplan.consultations.emails import send

    send(kind=kind, object_id=object_id)


@job(time_limit=30 * 60)
def erase_personal_details_due() -> None:
    """Erase personal details past their retention date, and unsent responses abandoned for
    longer than a session lasts (what `policeplan consultations_retention` does)."""
    from policeplan.consultations.services import (
        personal_details_erase_due,
        responses_abandoned_delete,
    )

    personal_details_erase_due()
    responses_abandoned_delete()


SCHEDULE = [
    Every(
        name="consultations.retention",
        job=erase_personal_details_due,
        period="daily",
        at=datetime.time(2, 0),
    ),
]
