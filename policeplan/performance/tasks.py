"""Background work for performance: uploaded or downloaded imports, recomputing the
measures a crosswalk change touches, and the monthly download from data.police.uk."""

from __future__ import annotations

import datetime

from policeplan.core.jobs import Every, job


@job(time_limit=60 * 60)  # a year of street-level crime for every force
def run_data_import(data_import_id: int) -> None:
    from policeplan.performance.services import data_import_run

    data_import_run(data_import_id=data_import_id)


@job(time_limit=30 * 60)
def recompute_concepts(concepts: list[str]) -> None:
    from policeplan.performance.measures import measures_recompute_for_concepts

    measures_recompute_for_concepts(concepts=set(concepts))


@job(time_limit=2 * 60 * 60)
def download_police_uk_latest() -> None:
    """The latest month from data.police.uk, imported at once (the import recomputes the
    measures it touches). Scheduled monthly when SCHEDULED_DOWNLOADS is on."""
    from django.core.management import call_command

    call_command("download", "police-uk", "--import")


SCHEDULE = [
    Every(
        name="performance.police-uk-download",
        job=download_police_uk_latest,
        period="monthly",
        day=3,  # data.police.uk publishes a month's files in the month after next
        at=datetime.time(3, 0),
        enabled="SCHEDULED_DOWNLOADS",
    ),
]
