"""The one place background work is defined and enqueued.

Jobs take ids, never objects, and call services. They run on Django's tasks framework: the
database queue (worked by `policeplan db_worker`) by default, or any backend set with
TASKS_BACKEND. Apps that declare their own tasks (`<app>/tasks.py`, as DESIGN.md asks) queue
them through `enqueue` below; nothing else calls the tasks API's enqueue directly.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def run_data_import(data_import_id: int) -> None:
    from policeplan.performance.services import data_import_run

    data_import_run(data_import_id=data_import_id)


def enqueue_data_import(data_import_id: int) -> None:
    run_data_import.enqueue(data_import_id)


@task()
def recompute_concepts(concepts: list[str]) -> None:
    from policeplan.performance.measures import measures_recompute_for_concepts

    measures_recompute_for_concepts(concepts=set(concepts))


def enqueue_concepts_recompute(concepts: set[str]) -> None:
    """Recompute the measures counting these concepts once the crosswalk change commits."""
    from django.db import transaction

    wanted = sorted(concepts)
    transaction.on_commit(lambda: recompute_concepts.enqueue(wanted))


@task()
def send_consultation_email(kind: str, object_id: int) -> None:
    from policeplan.consultations.emails import send

    send(kind=kind, object_id=object_id)


def enqueue_consultation_email(kind: str, object_id: int) -> None:
    """Queue the email once the current transaction commits (never for a rolled-back write)."""
    from django.db import transaction

    transaction.on_commit(lambda: send_consultation_email.enqueue(kind, object_id))


@task()
def erase_personal_details_due() -> None:
    from policeplan.consultations.services import personal_details_erase_due

    personal_details_erase_due()


@task()
def run_analysis(run_id: int) -> None:
    from policeplan.analysis.services import analysis_run_execute

    analysis_run_execute(run_id=run_id)


def enqueue_analysis_run(run_id: int) -> None:
    """Queue the engine's run once the transaction that created it commits."""
    from django.db import transaction

    transaction.on_commit(lambda: run_analysis.enqueue(run_id))


@task()
def prepare_results_pdf(consultation_id: int) -> None:
    from policeplan.analysis.documents import results_pdf_prepare

    results_pdf_prepare(consultation_id=consultation_id)


def enqueue_results_pdf(consultation_id: int) -> None:
    """Prepare the published summary's PDF once the write that changed it commits."""
    from django.db import transaction

    transaction.on_commit(lambda: prepare_results_pdf.enqueue(consultation_id))


def enqueue(app_task: Any, *args: Any) -> None:
    """Queue a task an app declares in its own `tasks.py` once the current transaction
    commits (never for a rolled-back write). Tasks take ids, never objects."""
    from django.db import transaction

    transaction.on_commit(lambda: app_task.enqueue(*args))


def queue_reachable() -> None:
    """Raise unless the job queue answers (for `/readyz`)."""
    from django.tasks import default_task_backend

    backend = default_task_backend
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.ready().filter(queue_name="").exists()  # the table answers
