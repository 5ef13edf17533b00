from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from policeplan.scrutiny.services import subscriptions_unconfirmed_delete


class Command(BaseCommand):
    help = (
        "Delete requests for scrutiny alerts never confirmed within 7 days, with their email "
        "addresses (run daily, for example from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = subscriptions_unconfirmed_delete()
        self.stdout.write(f"Deleted {deleted:,} unconfirmed requests for alerts.")
