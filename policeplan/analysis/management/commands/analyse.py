"""The theme engine from the command line, for analysts and scripted evaluation.

    policeplan analyse suggest FILE --text-column COL [--id-column COL] --out themes.csv
    policeplan analyse assign FILE --text-column COL --id-column COL \\
        --examples LABELLED.csv --out assignments.csv

    policeplan analyse import FILE --as EMAIL --title TITLE --id-column COL \\
        --text-column COL [--text-column COL ...] [--borough-column COL] \\
        [--type-column COL] [--consent-column COL] [--column COL ...] [--plan-version ID]

FILE is a CSV or Excel export from any survey tool (Citizen Space, Qualtrics, ...).
LABELLED.csv has columns id,text,theme, one row per theme an example carries; its themes are
the codeframe. The output of `assign` has id,theme,confidence, one row per assigned theme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from policeplan.textanalysis import files
from policeplan.textanalysis.engine import Example, engine_named


class Command(BaseCommand):
    help = "Suggest themes for free-text answers in a file, or assign themes learnt from examples."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        suggest = sub.add_parser("suggest", help="suggest candidate themes")
        assign = sub.add_parser("assign", help="assign themes learnt from labelled examples")
        for p in (suggest, assign):
            p.add_argument("file", type=Path)
            p.add_argument("--text-column", required=True)
            p.add_argument("--out", type=Path, required=True)
            p.add_argument("--engine", default="tfidf")
        suggest.add_argument("--id-column")
        suggest.add_argument("--themes", type=int, default=8, help="how many to suggest")
        assign.add_argument("--id-column", required=True)
        assign.add_argument("--examples", type=Path, required=True)
        imp = sub.add_parser("import", help="import another tool's export as a consultation")
        imp.add_argument("file", type=Path)
        imp.add_argument("--as", dest="email", required=True, help="the staff member importing")
        imp.add_argument("--title", required=True)
        imp.add_argument("--id-column", required=True)
        imp.add_argument("--text-column", action="append", required=True, dest="text_columns")
        imp.add_argument("--borough-column", default="")
        imp.add_argument("--type-column", default="")
        imp.add_argument("--consent-column", default="", help="yes where quoting is allowed")
        imp.add_argument("--column", action="append", default=[], dest="other_columns")
        imp.add_argument("--plan-version", type=int, help="id of the plan version it is about")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "suggest":
                self._suggest(**options)
            elif options["action"] == "import":
                self._import(**options)
            else:
                self._assign(**options)
        except (files.FileProblem, ValueError) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

    def _import(self, *, file: Path, email: str, plan_version: int | None, **options: Any) -> None:
        from policeplan.consultations.services import consultation_import
        from policeplan.core.models import User
        from policeplan.plans.selectors import versions_consultable

        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active staff member with the email {email}")
        versions = versions_consultable()
        version = (
            versions.filter(pk=plan_version).first()
            if plan_version
            else versions.order_by("-published_at").first()
        )
        if version is None:
            raise CommandError("No published plan version to link the consultation to")
        consultation = consultation_import(
            user=user,
            path=file,
            plan_version=version,
            **{
                k: options[k]
                for k in (
                    "title",
                    "id_column",
                    "text_columns",
                    "borough_column",
                    "type_column",
                    "consent_column",
                    "other_columns",
                )
            },
        )
        self.stdout.write(
            f"Imported {consultation.responses.count():,} responses as '{consultation.title}' "
            f"(unpublished; staff page /staff/consultations/{consultation.pk}/)"
        )

    def _answers(
        self, path: Path, text_column: str, id_column: str | None
    ) -> tuple[list[str], list[str]]:
        table = files.read_table(path)
        files.column(table, text_column)
        if id_column:
            files.column(table, id_column)
        ids, texts = [], []
        seen: dict[str, str] = {}
        for row in table.rows:
            ident = row[id_column].strip() if id_column else row["_line"]
            if not ident:
                raise files.FileProblem(f"{path}, line {row['_line']}: the {id_column} is empty")
            if ident in seen:
                raise files.FileProblem(
                    f"{path}, line {row['_line']}: {id_column} '{ident}' is also on line "
                    f"{seen[ident]}"
                )
            seen[ident] = row["_line"]
            ids.append(ident)
            texts.append(row.get(text_column, "").strip())
        return ids, texts

    def _suggest(
        self,
        *,
        file: Path,
        text_column: str,
        id_column: str | None,
        out: Path,
        themes: int,
        engine: str,
        **_: Any,
    ) -> None:
        ids, texts = self._answers(file, text_column, id_column)
        suggested = engine_named(engine).suggest(texts, count=themes)
        written = files.write_csv(
            out,
            ["label", "description", "example_ids", "share"],
            (
                [
                    t.label,
                    t.description,
                    " ".join(ids[i] for i in t.example_indexes),
                    f"{t.share:.4f}",
                ]
                for t in suggested
            ),
        )
        self.stdout.write(
            f"{written} themes suggested from {len(texts):,} answers, written to {out}"
        )

    def _assign(
        self,
        *,
        file: Path,
        text_column: str,
        id_column: str,
        examples: Path,
        out: Path,
        engine: str,
        **_: Any,
    ) -> None:
        labelled = files.read_table(examples)
        for name in ("id", "text", "theme"):
            files.column(labelled, name)
        by_id: dict[str, Example] = {}
        for row in labelled.rows:
            if not row["theme"].strip() or not row["text"].strip():
                raise files.FileProblem(
                    f"{examples}, line {row['_line']}: text and theme are both needed"
                )
            example = by_id.setdefault(row["id"], Example(row["text"].strip()))
            example.themes.add(row["theme"].strip())
        ids, texts = self._answers(file, text_column, id_column)
        model = engine_named(engine)
        model.fit(list(by_id.values()))
        assigned = model.assign(texts)
        written = files.write_csv(
            out,
            ["id", "theme", "confidence"],
            (
                [ident, a.theme, f"{a.confidence:.3f}"]
                for ident, row in zip(ids, assigned, strict=True)
                for a in row
            ),
        )
        coded = sum(1 for row in assigned if row)
        self.stdout.write(
            f"{written} assignments for {len(texts):,} answers ({coded:,} given at least one "
            f"theme), learnt from {len(by_id):,} examples; written to {out}"
        )
