"""Import a consultation run on another platform (a CSV or Excel export from Citizen Space,
Qualtrics or any survey tool), so its free-text answers can be analysed here.

The analyst names the columns: one holding each response's id, one or more holding free
text (each becomes a free-text question), and optionally the borough, the respondent type
and other demographic columns (each becomes a single-choice question). The file is read and
checked before a transaction opens; the writes are one transaction. A bad row stops it with
an error naming the file, the line and the column, and nothing is written. Cells are stored
as they were typed: a formula is text here, neutralised in every export.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.consultations.codes import new_reference
from policeplan.consultations.models import (
    Answer,
    Channel,
    Consultation,
    PublishConsent,
    Question,
    QuestionKind,
    RespondentType,
    Response,
    ResponseStatus,
)
from policeplan.consultations.services.build import (
    consultation_save,
    question_save,
    section_save,
)
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.textanalysis import files

MAX_CHOICES = 40
PRIVACY = (
    "These responses were collected with another survey tool, under the privacy notice "
    "published there. Only the columns chosen at import are held here."
)


def _borough_lookup() -> dict[str, str]:
    from policeplan.performance.selectors import borough_names

    names = borough_names()
    lookup = {code.lower(): code for code in names}
    lookup.update({name.lower(): code for code, name in names.items()})
    return lookup


def _respondent_type(value: str) -> str:
    value = value.strip().lower()
    if not value:
        return ""
    if "organi" in value or "behalf" in value or "group" in value:
        return RespondentType.ORGANISATION
    return RespondentType.INDIVIDUAL


def _new_references(count: int) -> list[str]:
    """A reference for each imported response, as every other channel gives (staff pages,
    exports and the analysis name a response by it), none already in use."""
    made: set[str] = set()
    while len(made) < count:
        wanted = list({new_reference() for _ in range(count - len(made))} - made)
        taken: set[str] = set()
        for start in range(0, len(wanted), 2000):  # within every database's parameter limit
            chunk = wanted[start : start + 2000]
            found = Response.objects.filter(reference__in=chunk)
            taken.update(r for r in found.values_list("reference", flat=True) if r)
        made.update(set(wanted) - taken)
    return list(made)


def consultation_import(
    *,
    user: Any,
    path: Path,
    title: str,
    plan_version: Any,
    id_column: str,
    text_columns: list[str],
    borough_column: str = "",
    type_column: str = "",
    other_columns: list[str] | None = None,
    consent_column: str = "",
    name: str = "",
) -> Consultation:
    """Create a closed, unpublished consultation holding the file's responses."""
    ensure(user, Perm.RUN_CONSULTATIONS)
    label = name or path.name
    try:
        table = files.read_table(path)
        for column in [id_column, *text_columns, borough_column, type_column, consent_column]:
            if column:
                files.column(table, column)
        for column in other_columns or []:
            files.column(table, column)
    except files.FileProblem as error:
        raise ValidationError(str(error).replace(str(path), label)) from None
    if not text_columns:
        raise ValidationError("Choose at least one column of free text")
    if not table.rows:
        raise ValidationError(f"{label}: no rows under the header")

    boroughs = _borough_lookup()
    seen: dict[str, str] = {}
    rows = []
    for row in table.rows:
        line = row["_line"]

        def problem(column: str, message: str, line: str = line) -> ValidationError:
            return ValidationError(f"{label}, line {line}, column '{column}': {message}")

        ident = row.get(id_column, "").strip()
        if not ident:
            raise problem(id_column, "the id is empty")
        if len(ident) > 100:
            raise problem(id_column, "the id is longer than 100 characters")
        if ident in seen:
            raise problem(id_column, f"id '{ident}' is also on line {seen[ident]}")
        seen[ident] = line
        borough = ""
        if borough_column and (value := row.get(borough_column, "").strip()):
            borough = boroughs.get(value.lower(), "")
            if not borough:
                raise problem(
                    borough_column,
                    f"'{value}' is not a borough here: give a borough's name or code, or leave "
                    "it empty",
                )
        consent = PublishConsent.NO
        if consent_column:
            value = row.get(consent_column, "").strip().lower()
            consent = PublishConsent.ANONYMOUS if value in {"yes", "y", "true", "1"} else consent
        rows.append((row, ident, borough, consent))

    choices: dict[str, list[str]] = {}
    for column in other_columns or []:
        values = sorted({r[column].strip() for r, *_ in rows if r.get(column, "").strip()})
        if len(values) > MAX_CHOICES:
            raise ValidationError(
                f"{label}, column '{column}': {len(values)} different values, more than "
                f"{MAX_CHOICES}; import it as a column of free text instead"
            )
        if len(values) < 2:
            values = [*values, "Not given"][:2] if values else ["Not given", "Other"]
        choices[column] = values
    return _import_save(
        user=user,
        label=label,
        title=title,
        plan_version=plan_version,
        rows=rows,
        text_columns=text_columns,
        type_column=type_column,
        choices=choices,
    )


@transaction.atomic
def _import_save(
    *,
    user: Any,
    label: str,
    title: str,
    plan_version: Any,
    rows: list[tuple[dict[str, str], str, str, PublishConsent]],
    text_columns: list[str],
    type_column: str,
    choices: dict[str, list[str]],
) -> Consultation:
    now = timezone.now()
    consultation = consultation_save(
        user=user,
        data={
            "title": title,
            "plan_version": plan_version,
            "summary": f"Imported from {label}: {len(rows):,} responses.",
            "opens_at": now - datetime.timedelta(days=1),
            "closes_at": now - datetime.timedelta(minutes=1),
            "privacy_notice": PRIVACY,
            "retain_until": (now + datetime.timedelta(days=365)).date(),
        },
    )
    section = section_save(
        user=user, consultation=consultation, data={"title": "Imported questions"}
    )
    questions: dict[str, Question] = {}
    for column in text_columns:
        longest = max((len(r.get(column, "")) for r, *_ in rows), default=0)
        questions[column] = question_save(
            user=user,
            section=section,
            data={
                "kind": QuestionKind.FREE_TEXT,
                "text": column[:300],
                "max_length": max(1000, longest),
            },
        )
    for column, values in choices.items():
        questions[column] = question_save(
            user=user,
            section=section,
            data={"kind": QuestionKind.SINGLE, "text": column[:300], "options": values},
        )
    references = _new_references(len(rows))
    responses = Response.objects.bulk_create(
        [
            Response(
                consultation=consultation,
                token=uuid.uuid4(),
                reference=reference,
                status=ResponseStatus.SUBMITTED,
                channel=Channel.IMPORTED,
                external_id=ident,
                borough_code=borough,
                respondent_type=_respondent_type(row.get(type_column, "")) if type_column else "",
                publish_consent=consent,
                started_at=now,
                submitted_at=now,
                added_by=user,
            )
            for (row, ident, borough, consent), reference in zip(rows, references, strict=True)
        ],
        batch_size=2000,
    )
    answers = []
    for response, (row, *_) in zip(responses, rows, strict=True):
        for column, question in questions.items():
            value = row.get(column, "").strip()
            if value:
                answers.append(
                    Answer(response=response, question=question, value=value, text=value)
                )
    Answer.objects.bulk_create(answers, batch_size=2000)
    audit_record(
        actor=user,
        action="consultation.import",
        obj=consultation,
        changes={"imported": [None, {"file": label, "responses": len(rows)}]},
    )
    return consultation
