"""Import the recommendations spreadsheet of one report (`scrutiny.recommendations_sheet`)
that was exported and edited: all or nothing.

Every row is checked first (the file by `core.spreadsheet`, then the report's rules: a number
appears once; a published report's recommendations keep their words and it takes no new
ones; each part of the plan named in 'Concerns' is one the report may concern; a response
has its decision and reasons, is written only once the report is published, is never removed
by a file, and a published response's 'By when' moves only with a reason), and every problem
is given at once with its line and column. Only a file without any is written, in one
transaction, through the services the staff pages use (`recommendation_save`,
`response_save`), so their rules and permissions hold here too. Rows that change nothing
write nothing: importing a file just exported changes nothing. A recommendation left out of
the file is left alone (a file never deletes).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from policeplan.core.roles import Perm, can
from policeplan.core.services import audit_record
from policeplan.core.spreadsheet import Problems, Row, shown, write_rows
from policeplan.scrutiny.models import OfficeResponse, Recommendation, RecommendationLink, Report
from policeplan.scrutiny.recommendations_sheet import (
    DECISION_LABELS,
    Labels,
    canonical,
    labels_for,
    sheet_for,
)
from policeplan.scrutiny.services.action_import import same
from policeplan.scrutiny.services.recommendations import (
    ensure_drafts,
    recommendation_save,
    response_save,
)

COLUMN_OF = {
    "number": "Number",
    "text": "Recommendation",
    "links": "Concerns",
    "decision": "Response",
    "reasons": "Reasons",
    "will_do": "What the office will do",
    "target_on": "By when",
    "change_reason": "Why the date changed",
}
RESPONSE_KEYS = ("decision", "reasons", "will_do", "target_on")


@dataclass
class RecommendationsImported:
    created: int = 0
    changed: int = 0
    responses: int = 0

    @property
    def nothing(self) -> bool:
        return not (self.created or self.changed or self.responses)


@dataclass
class _Change:
    line: int
    recommendation: Recommendation | None  # None: a new one
    data: dict[str, Any] | None  # for recommendation_save, if anything changed
    response: dict[str, Any] | None  # for response_save, if anything changed
    change_reason: str = ""


class _Refused(Exception):
    """This row has a problem (already added): check the next one."""


class _Checker:
    def __init__(self, user: Any, report: Report, problems: Problems, *, respond: bool) -> None:
        self.report = report
        self.problems = problems
        self.respond = respond
        self.runs = can(user, Perm.RUN_SCRUTINY)
        self.existing = {
            r.number: r
            for r in Recommendation.objects.filter(report=report)
            .select_related("response")
            .prefetch_related(Prefetch("links", queryset=RecommendationLink.objects.order_by("id")))
        }
        self.labels: Labels = labels_for(report=report, recommendations=self.existing.values())
        self.seen: dict[int, int] = {}

    def refuse(self, row: Row, message: str, column: str) -> _Refused:
        self.problems.add(message, line=row.line, column=column)
        return _Refused()

    def check(self, row: Row) -> _Change | None:
        try:
            return self._check(row)
        except _Refused:
            return None

    def _check(self, row: Row) -> _Change:
        v = row.values
        number = v["number"]
        if number in self.seen:
            raise self.refuse(
                row, f"recommendation {number} is also on line {self.seen[number]}", "Number"
            )
        self.seen[number] = row.line
        recommendation = self.existing.get(number)
        links = self._links(row)
        data = self._recommendation(row, recommendation, links)
        response, reason = self._response(row, recommendation) if self.respond else (None, "")
        return _Change(row.line, recommendation, data, response, reason)

    def _names(self, line: str) -> list[str]:
        """The names on one line of 'Concerns', which may hold several separated by
        semicolons, while a name may hold a semicolon itself: from the left, the longest run
        of parts that is a name, else one part (which the caller then refuses by name)."""
        parts = line.split(";")
        if len(parts) > 50:  # no plan has 50 names a line: don't search the runs of them all
            return [part.strip() for part in parts if part.strip()]
        names: list[str] = []
        start = 0
        while start < len(parts):
            end = next(
                (
                    end
                    for end in range(len(parts), start, -1)
                    if canonical(";".join(parts[start:end])) in self.labels.by
                ),
                start + 1,
            )
            name = ";".join(parts[start:end]).strip()
            if name:
                names.append(name)
            start = end
        return names

    def _links(self, row: Row) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        names = [name for line in row.values["concerns"] for name in self._names(line)]
        for label in names:
            keys = self.labels.by.get(canonical(label), [])
            if not keys:
                raise self.refuse(
                    row,
                    f"‘{shown(label)}’ is not a part of the plan this report may concern: name "
                    "it as the recommendation’s page does, like ‘Measure: Residential burglary "
                    "rate’, one a line",
                    "Concerns",
                )
            if len(keys) > 1:
                raise self.refuse(
                    row,
                    f"the plan has {len(keys)} parts named ‘{shown(label)}’: choose between "
                    "them on the recommendation’s page",
                    "Concerns",
                )
            found.append(keys[0])
        return sorted(set(found))

    def _recommendation(
        self, row: Row, recommendation: Recommendation | None, links: list[tuple[str, str]]
    ) -> dict[str, Any] | None:
        v = row.values
        if recommendation is None:
            if self.report.is_published:
                raise self.refuse(
                    row,
                    f"the report is published and has no recommendation {v['number']}: a "
                    "published report takes no new recommendations",
                    "Number",
                )
            return {"number": v["number"], "text": v["text"], "links": links}
        before = sorted((link.element, str(link.lineage)) for link in recommendation.links.all())
        words = same(recommendation.text, v["text"])
        if words and before == links:
            return None
        if self.report.is_published:
            if not words:
                raise self.refuse(
                    row,
                    "the report is published, so its recommendations’ words cannot change: put "
                    "them back",
                    "Recommendation",
                )
            if not self.runs:
                raise self.refuse(
                    row,
                    "the report is published: only those who run scrutiny for the office "
                    "change what its recommendations concern",
                    "Concerns",
                )
        text = recommendation.text if words else v["text"]
        return {"number": recommendation.number, "text": text, "links": links}

    def _response(
        self, row: Row, recommendation: Recommendation | None
    ) -> tuple[dict[str, Any] | None, str]:
        v = row.values
        wanted = {key: v[key] for key in RESPONSE_KEYS}
        response: OfficeResponse | None = (
            getattr(recommendation, "response", None) if recommendation else None
        )
        if response is None and not any(wanted.values()):
            return None, ""
        if not wanted["decision"]:
            if response is not None:
                raise self.refuse(
                    row,
                    "a response cannot be removed by a spreadsheet: put back "
                    f"‘{DECISION_LABELS[response.decision]}’",
                    "Response",
                )
            raise self.refuse(
                row,
                f"choose the office’s response: {', '.join(map(str, DECISION_LABELS.values()))}",
                "Response",
            )
        if not wanted["reasons"]:
            raise self.refuse(row, "enter the reasons for the response", "Reasons")
        if not self.report.is_published:
            raise self.refuse(
                row,
                "the office responds once the body has published its report: leave the "
                "response empty for now",
                "Response",
            )
        if response is not None and all(same(getattr(response, k), wanted[k]) for k in wanted):
            return None, ""
        reason = v["change_reason"]
        moved = response is not None and response.target_on != wanted["target_on"]
        if moved and response is not None and response.is_published and not reason:
            raise self.refuse(
                row,
                "the response is published, so its ‘By when’ moves only with a reason: say why "
                "it changed",
                "Why the date changed",
            )
        return wanted, reason


def _apply(user: Any, report: Report, change: _Change, result: RecommendationsImported) -> None:
    recommendation = change.recommendation
    if change.data is not None:
        recommendation = recommendation_save(
            user=user, report=report, data=change.data, recommendation=recommendation
        )
        if change.recommendation is None:
            result.created += 1
        else:
            result.changed += 1
    if change.response is not None and recommendation is not None:
        response_save(
            user=user,
            recommendation=recommendation,
            data=change.response,
            change_reason=change.change_reason,
        )
        result.responses += 1


def recommendations_import(
    *, user: Any, report: Report, data: bytes, name: str
) -> RecommendationsImported:
    """Take the edited recommendations spreadsheet of `report`: all of it, or nothing with
    every problem named (`core.spreadsheet.Refused`, a ValidationError on the field 'file').
    Those who run scrutiny send the response columns too; the body's members do not."""
    ensure_drafts(user, report.committee_id)
    respond = can(user, Perm.RUN_SCRUTINY)
    problems = Problems(name)
    rows = sheet_for(can_respond=respond).read(data, name=name, problems=problems)
    checker = _Checker(user, report, problems, respond=respond)
    changes = [c for row in rows if (c := checker.check(row)) is not None]
    problems.raise_if_any()
    result = RecommendationsImported()
    with transaction.atomic():
        write_rows(
            problems,
            ((c.line, partial(_apply, user, report, c, result)) for c in changes),
            column_of=COLUMN_OF,
        )
        if not result.nothing:
            audit_record(
                actor=user,
                action="recommendations.import",
                obj=report,
                changes={
                    "file": problems.name,
                    "created": result.created,
                    "changed": result.changed,
                    "responses": result.responses,
                },
            )
    return result
