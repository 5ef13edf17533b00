"""A consultation run on another platform, imported from its export to be analysed here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from policeplan.consultations import services
from policeplan.consultations.models import Answer, Consultation, Response
from policeplan.plans.models import PlanVersion


def _version():
    return PlanVersion.objects.get(state="consultation")


def test_the_real_polis_export_imports_from_the_command_line_and_can_be_analysed(
    demo, users, shared_data, capsys
):
    from policeplan.analysis import services as analysis

    path = shared_data / "text/polis-london-youth-policing/comments.csv"
    call_command(
        "analyse",
        "import",
        str(path),
        "--as",
        users["policy_officer"].email,
        "--title",
        "Young Londoners on policing (Polis)",
        "--id-column",
        "comment-id",
        "--text-column",
        "comment-body",
        "--column",
        "moderated",
    )
    consultation = Consultation.objects.get(title="Young Londoners on policing (Polis)")
    import csv

    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if any(v.strip() for v in r.values())]
    assert consultation.responses.count() == len(rows)
    assert consultation.published_at is None  # staff decide whether to publish
    one = Response.objects.get(consultation=consultation, external_id="35")
    assert one.channel == "imported" and one.answers.get(
        question__kind="free_text"
    ).text.startswith("Eliminate bias")
    assert one.answers.get(question__kind="single").text == "1"
    assert "Imported" in capsys.readouterr().out
    question = consultation.sections.get().questions.get(kind="free_text")
    frame = analysis.codeframe_suggest(
        user=users["analyst"], consultation=consultation, question=question, count=5
    )
    assert frame.themes.count() == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,text\n1,Fine\n1,Again\n", "people.csv, line 3, column 'id': id '1' is also on line 2"),
        ("id,text\n1,Fine\n,Again\n", "people.csv, line 3, column 'id': the id is empty"),
        ("ref,text\n1,Fine\n", "people.csv: no column 'id'. The columns are: ref, text"),
        (
            "id,text,borough\n1,Fine,Barnet\n2,Hmm,Londinium\n",
            "people.csv, line 3, column 'borough': 'Londinium' is not a borough here",
        ),
    ],
)
def test_bad_rows_are_refused_naming_file_line_and_column_and_nothing_is_written(
    demo, users, tmp_path, content, message
):
    path = tmp_path / "people.csv"
    path.write_text(content, encoding="utf-8")
    before = (Consultation.objects.count(), Response.objects.count(), Answer.objects.count())
    with pytest.raises(ValidationError) as error:
        services.consultation_import(
            user=users["policy_officer"],
            path=path,
            title="Elsewhere",
            plan_version=_version(),
            id_column="id",
            text_columns=["text"],
            borough_column="borough" if "borough" in content else "",
        )
    assert message in error.value.messages[0]
    after = (Consultation.objects.count(), Response.objects.count(), Answer.objects.count())
    assert after == before


def test_the_import_page_takes_an_excel_export(client, demo, users, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Response ID", "What would make you feel safer?", "Borough", "Quote?"])
    sheet.append(["R1", "Street lights on the canal path", "Hackney", "Yes"])
    sheet.append(["R2", "More PCSOs at the station", "E09000003", "No"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    client.force_login(users["policy_officer"])
    with path.open("rb") as upload:
        done = client.post(
            "/staff/consultations/import/",
            {
                "upload": upload,
                "title": "Community safety survey",
                "plan_version": _version().pk,
                "id_column": "Response ID",
                "text_columns": "What would make you feel safer?",
                "borough_column": "Borough",
                "consent_column": "Quote?",
            },
        )
    consultation = Consultation.objects.get(title="Community safety survey")
    assert done.status_code == 302 and done["Location"].endswith(f"/{consultation.pk}/")
    r1 = Response.objects.get(consultation=consultation, external_id="R1")
    assert r1.borough_code == "E09000012" and r1.publish_consent == "anonymous"
    assert Response.objects.get(external_id="R2").publish_consent == "no"
    # A wrong column name comes back as an error on the page, and nothing is imported.
    with path.open("rb") as upload:
        refused = client.post(
            "/staff/consultations/import/",
            {
                "upload": upload,
                "title": "Again",
                "plan_version": _version().pk,
                "id_column": "ID",
                "text_columns": "What would make you feel safer?",
            },
        )
    assert refused.status_code == 200 and "no column &#39;ID&#39;" in refused.text
    assert "Response ID" in refused.text
    assert not Consultation.objects.filter(title="Again").exists()


def test_only_staff_who_run_consultations_may_import(demo, users, tmp_path):
    from django.core.exceptions import PermissionDenied

    path = tmp_path / "x.csv"
    path.write_text("id,text\n1,Fine\n", encoding="utf-8")
    with pytest.raises(PermissionDenied):
        services.consultation_import(
            user=users["analyst"],
            path=path,
            title="X",
            plan_version=_version(),
            id_column="id",
            text_columns=["text"],
        )
    with pytest.raises(CommandError, match="No active staff member"):
        call_command(
            "analyse",
            "import",
            str(path),
            "--as",
            "nobody@example.org",
            "--title",
            "X",
            "--id-column",
            "id",
            "--text-column",
            "text",
        )


def test_imported_responses_get_a_reference_and_keep_the_id_from_the_file(
    client, demo, users, tmp_path
):
    import csv
    import io

    path = tmp_path / "people.csv"
    path.write_text("id,text\nR1,Brighter street lights\nR2,More PCSOs\n", encoding="utf-8")
    consultation = services.consultation_import(
        user=users["policy_officer"],
        path=path,
        title="Elsewhere",
        plan_version=_version(),
        id_column="id",
        text_columns=["text"],
    )
    r1 = Response.objects.get(consultation=consultation, external_id="R1")
    references = set(consultation.responses.values_list("reference", flat=True))
    assert len(references) == 2 and all(r and r.startswith("PCP-") for r in references)
    client.force_login(users["analyst"])
    page = client.get(f"/staff/consultations/{consultation.pk}/responses/{r1.pk}/").text
    assert f"Response {r1.reference}</h1>" in page and "Response None" not in page
    assert "Id in the imported file" in page and ">\n      R1\n" in page
    listing = client.get(f"/staff/consultations/{consultation.pk}/responses/").text
    assert f">{r1.reference}</a>" in listing and ">None</a>" not in listing
    exported = client.get(f"/staff/consultations/{consultation.pk}/responses/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert {(r["Reference"], r["Id in the imported file"]) for r in rows} == {
        (x.reference, x.external_id) for x in consultation.responses.all()
    }


def test_responses_imported_before_references_get_one_from_the_migration(demo, users, tmp_path):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "policeplan.consultations.migrations.0004_imported_responses_get_references"
    )
    path = tmp_path / "people.csv"
    path.write_text("id,text\nR1,Brighter street lights\nR2,More PCSOs\n", encoding="utf-8")
    consultation = services.consultation_import(
        user=users["policy_officer"],
        path=path,
        title="Elsewhere",
        plan_version=_version(),
        id_column="id",
        text_columns=["text"],
    )
    others = dict(
        Response.objects.exclude(consultation=consultation).values_list("pk", "reference")
    )
    consultation.responses.update(reference=None)  # as an import before this change left them
    migration.give_references(apps, None)
    references = list(consultation.responses.values_list("reference", flat=True))
    assert len(set(references)) == 2 and all(r and r.startswith("PCP-") for r in references)
    after = dict(Response.objects.exclude(consultation=consultation).values_list("pk", "reference"))
    assert after == others
