import pytest
from django.core.management import call_command

from policeplan.core import jobs
from policeplan.performance import tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_imports_wait_in_the_database_queue_until_a_worker_runs_them(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from policeplan.performance.models import DataImport, ImportStatus
    from policeplan.performance.services import data_import_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    missing = tmp_path / "nothing-here.csv"
    data_import = data_import_create(user=None, kind="pas", paths=[missing])
    jobs.enqueue_now(tasks.run_data_import, data_import.pk)
    assert DBTaskResult.objects.count() == 1
    assert DataImport.objects.get(pk=data_import.pk).status == ImportStatus.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay")

    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.FAILED  # the worker ran it: the file is missing
    assert data_import.error == "nothing-here.csv: no such file or folder"


def test_a_job_past_its_time_limit_is_stopped_and_recorded_as_failed(settings):
    from django_tasks_db.models import DBTaskResult

    from tests.security import faults_jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = faults_jobs.overrun.enqueue(30)
    started = __import__("time").monotonic()
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert __import__("time").monotonic() - started < 20  # stopped, not left to run 30 s
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert row.exception_class_path == "policeplan.core.worker.JobTimedOut"
    assert "time limit of 1 s" in row.traceback


def test_every_app_declares_its_jobs_with_a_time_limit():
    from policeplan.analysis import tasks as analysis
    from policeplan.consultations import tasks as consultations
    from policeplan.performance import tasks as performance

    for declared in (
        analysis.run_analysis,
        consultations.send_consultation_email,
        performance.run_data_import,
    ):
        assert declared.module_path in jobs.TIME_LIMITS
    assert jobs.time_limit_for(performance.run_data_import.module_path) == 3600


def test_a_job_queued_before_the_upgrade_under_its_old_name_still_runs(settings):
    """Migration core 0005 points jobs queued as policeplan.core.jobs.* at their apps."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from policeplan.consultations import tasks

    result = tasks.erase_personal_details_due.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        task_path="policeplan.core.jobs.erase_personal_details_due"
    )
    moved = importlib.import_module("policeplan.core.migrations.0005_jobs_moved_to_their_apps")
    state = MigrationExecutor(connection).loader.project_state()
    moved.forwards(state.apps, None)
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
