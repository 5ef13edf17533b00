"""Responses imported before imports gave references showed as "Response None": give each
one a reference, as the import now does. Nothing else changes; reversing leaves them."""

from django.db import migrations


def give_references(apps, schema_editor):
    from policeplan.consultations.codes import new_reference

    Response = apps.get_model("consultations", "Response")
    used = set(
        Response.objects.exclude(reference=None).values_list("reference", flat=True).iterator()
    )
    for response in Response.objects.filter(reference=None, channel="imported").only("pk"):
        reference = new_reference()
        while reference in used:
            reference = new_reference()
        used.add(reference)
        Response.objects.filter(pk=response.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_response_document_name")]

    operations = [migrations.RunPython(give_references, migrations.RunPython.noop)]
