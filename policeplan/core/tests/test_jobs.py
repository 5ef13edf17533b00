import pytest
from django.core.management import call_command

from policeplan.core import jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_imports_wait_in_the_database_queue_until_a_worker_runs_them(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from policeplan.performance.models import DataImport, ImportStatus
    from policeplan.performance.services import data_import_create

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    missing = tmp_path / "nothing-here.csv"
    data_import = data_import_create(user=None, kind="pas", paths=[missing])
    jobs.enqueue_data_import(data_import.pk)
    assert DBTaskResult.objects.count() == 1
    assert DataImport.objects.get(pk=data_import.pk).status == ImportStatus.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay")

    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.FAILED  # the worker ran it: the file is missing
    assert data_import.error == "nothing-here.csv: no such file or folder"
