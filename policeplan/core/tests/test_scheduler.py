"""The one schedule: each period's run of a job is queued once, however many schedulers."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connections

from policeplan.core import jobs, scheduler
from policeplan.core.models import ScheduledRun

UTC = datetime.UTC


def _at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def _entry(period: str, **kwargs) -> jobs.Every:
    from policeplan.consultations.tasks import erase_personal_details_due

    return jobs.Every(name="x", job=erase_personal_details_due, period=period, **kwargs)


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        (_at(2026, 12, 2, 1, 59), _at(2026, 12, 1, 2, 0)),  # winter: 02:00 London = 02:00 UTC
        (_at(2026, 12, 2, 2, 0), _at(2026, 12, 2, 2, 0)),
        (_at(2026, 6, 15, 0, 59), _at(2026, 6, 14, 1, 0)),  # summer: 02:00 BST = 01:00 UTC
        (_at(2026, 6, 15, 1, 0), _at(2026, 6, 15, 1, 0)),
        (_at(2026, 3, 29, 1, 30), _at(2026, 3, 29, 1, 0)),  # the night the clocks go forward
    ],
)
def test_a_daily_slot_is_at_the_london_time(now, slot):
    entry = _entry("daily", at=datetime.time(2, 0))
    assert scheduler.latest_slot(entry, now) == slot


def test_a_monthly_slot_before_its_day_is_last_month_s():
    entry = _entry("monthly", day=3, at=datetime.time(3, 0))
    assert scheduler.latest_slot(entry, _at(2027, 1, 2, 12, 0)) == _at(2026, 12, 3, 3, 0)
    assert scheduler.latest_slot(entry, _at(2027, 1, 3, 3, 0)) == _at(2027, 1, 3, 3, 0)


def test_the_schedule_is_gathered_from_the_apps_and_names_are_unique():
    names = [e.name for e in jobs.schedule()]
    assert {"consultations.retention", "scrutiny.unconfirmed-alerts"} <= set(names)
    assert "performance.police-uk-download" in names
    assert len(names) == len(set(names))


@pytest.mark.django_db
def test_each_period_is_queued_once_and_a_switched_off_job_never(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SCHEDULED_DOWNLOADS = False
    now = _at(2026, 12, 2, 9, 0)
    assert sorted(scheduler.run_due(now)) == [
        "consultations.retention",
        "scrutiny.unconfirmed-alerts",
    ]
    assert scheduler.run_due(now) == []
    assert scheduler.run_due(now + datetime.timedelta(hours=12)) == []
    assert DBTaskResult.objects.count() == 2
    assert sorted(r.task_path.rsplit(".", 1)[1] for r in DBTaskResult.objects.all()) == [
        "delete_unconfirmed_subscriptions",
        "erase_personal_details_due",
    ]
    # the next day's run; and the download once switched on
    settings.SCHEDULED_DOWNLOADS = True
    assert sorted(scheduler.run_due(now + datetime.timedelta(days=1))) == [
        "consultations.retention",
        "performance.police-uk-download",
        "scrutiny.unconfirmed-alerts",
    ]
    assert DBTaskResult.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_several_schedulers_at_once_queue_each_run_once(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = _at(2026, 12, 2, 9, 0)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def schedule(n: int) -> None:
        try:
            barrier.wait()
            scheduler.run_due(now, name=f"scheduler-{n}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=schedule, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ScheduledRun.objects.count() == 2
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_the_command_lists_the_schedule_and_queues_what_is_due(settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("scheduler", "--list")
    listed = capsys.readouterr().out
    assert "consultations.retention: daily at 02:00 London time" in listed
    assert "(off: set SCHEDULED_DOWNLOADS=true)" in listed
    call_command("scheduler", "--once")
    assert "Queued 2" in capsys.readouterr().out
    call_command("scheduler", "--once")
    assert "nothing due" in capsys.readouterr().out
