from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from policeplan.consultations.services import (
    personal_details_erase_due,
    responses_abandoned_delete,
)


class Command(BaseCommand):
    help = (
        "Erase the personal details of every consultation whose retention date has passed "
        "(run daily, for example from cron). Answers are kept for analysis. Also deletes "
        "unsent responses left for longer than a session lasts (unless saved for later)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = personal_details_erase_due()
        for consultation in done:
            self.stdout.write(f"Erased personal details for: {consultation.title}")
        if not done:
            self.stdout.write("No consultation is past its retention date.")
        abandoned = responses_abandoned_delete()
        self.stdout.write(f"Deleted {abandoned:,} unsent responses left unfinished.")
