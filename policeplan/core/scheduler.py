"""The one schedule: every app's `SCHEDULE` (core.jobs.Every), queued when due.

`policeplan scheduler` runs on as many machines as you like: each period's run of a job is
claimed by inserting (name, slot) into `ScheduledRun`, unique together, in the same
transaction as queueing the job, so it is queued exactly once, and a scheduler that was down
when a run fell due queues it when it comes back (the latest missed run only: a retention
job that missed three nights runs once, which does the same work).
"""

from __future__ import annotations

import datetime
import logging
import socket
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from policeplan.core import jobs
from policeplan.core.models import ScheduledRun

LONDON = ZoneInfo("Europe/London")
logger = logging.getLogger("policeplan.scheduler")


def latest_slot(entry: jobs.Every, now: datetime.datetime) -> datetime.datetime:
    """The start of the latest period that has begun by `now` (London wall-clock times)."""
    local = now.astimezone(LONDON)
    if entry.period == "daily":
        slot = datetime.datetime.combine(local.date(), entry.at, tzinfo=LONDON)
        if slot > local:
            slot -= datetime.timedelta(days=1)
            slot = datetime.datetime.combine(slot.date(), entry.at, tzinfo=LONDON)
        return slot
    day = min(entry.day, 28)
    slot = datetime.datetime.combine(local.date().replace(day=day), entry.at, tzinfo=LONDON)
    if slot > local:
        previous = (local.date().replace(day=1) - datetime.timedelta(days=1)).replace(day=day)
        slot = datetime.datetime.combine(previous, entry.at, tzinfo=LONDON)
    return slot


def enabled(entry: jobs.Every) -> bool:
    return not entry.enabled or bool(getattr(settings, entry.enabled, False))


def run_due(now: datetime.datetime | None = None, *, name: str = "") -> list[str]:
    """Queue every scheduled job whose latest period has not been queued yet; the names of
    those queued by this call."""
    now = now or timezone.now()
    who = name or socket.gethostname()
    queued = []
    for entry in jobs.schedule():
        if not enabled(entry):
            continue
        slot = latest_slot(entry, now).astimezone(datetime.UTC)
        if ScheduledRun.objects.filter(name=entry.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.name, slot=slot, scheduler=who[:100])
                # in the claim's transaction: with the database queue, both or neither
                jobs.enqueue_now(entry.job)
        except IntegrityError:  # another scheduler claimed it first
            continue
        logger.info("Queued %s for %s", entry.name, slot.isoformat())
        queued.append(entry.name)
    return queued


def run_forever(interval: float = 60.0, *, name: str = "") -> None:  # pragma: no cover
    while True:
        try:
            run_due(name=name)
        except Exception:  # the database is away: try again next time
            logger.exception("The scheduler could not queue its jobs; trying again")
        time.sleep(interval)
