"""Jobs moved from policeplan.core.jobs into their apps' tasks.py: jobs queued (or running)
before an upgrade name the old place, so they are pointed at the new one and still run."""

from django.db import migrations

MOVED = {
    "policeplan.core.jobs.run_data_import": "policeplan.performance.tasks.run_data_import",
    "policeplan.core.jobs.recompute_concepts": "policeplan.performance.tasks.recompute_concepts",
    "policeplan.core.jobs.send_consultation_email": (
        "policeplan.consultations.tasks.send_consultation_email"
    ),
    "policeplan.core.jobs.erase_personal_details_due": (
        "policeplan.consultations.tasks.erase_personal_details_due"
    ),
    "policeplan.core.jobs.run_analysis": "policeplan.analysis.tasks.run_analysis",
    "policeplan.core.jobs.prepare_results_pdf": "policeplan.analysis.tasks.prepare_results_pdf",
}


def forwards(apps, schema_editor):
    result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVED.items():
        result.objects.filter(task_path=old).update(task_path=new)


def backwards(apps, schema_editor):
    result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in MOVED.items():
        result.objects.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_office_demo_data_help_text"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
