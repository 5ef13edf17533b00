"""The recommendations spreadsheet of one report: one declaration of its columns for the staff
export and for the import that reads the edited file back (`services.recommendation_import`).

A row is the report's recommendation with that number (a new number is a new recommendation,
while the report is a draft). 'Concerns' names the parts of the plan it concerns, one a line,
as the staff form labels them ("Measure: Residential burglary rate"). The response columns
hold the office's response; they are in the file only for those who run scrutiny (a draft
response is theirs alone), and 'Why the date changed' is needed when a published response's
'By when' moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from policeplan.core import spreadsheet as sheet
from policeplan.scrutiny import selectors_recommendations as recs
from policeplan.scrutiny.models import PlanElement, Recommendation, Report, ResponseDecision

DECISION_LABELS = dict(ResponseDecision.choices)
ELEMENT_LABELS = dict(PlanElement.choices)


def _decision(value: Any) -> str:
    return str(DECISION_LABELS.get(value, value or ""))


def _lines(value: Any) -> str:
    return "\n".join(value or [])


def _concerns(cell: str) -> list[str]:
    """The lines of a 'Concerns' cell, spaces tidied (a line may also hold several names
    separated by semicolons, as people type them in one line: the import tells them apart,
    as a name may hold a semicolon itself)."""
    lines = [" ".join(line.split()) for line in cell.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) > 100:
        raise sheet.CellError("name at most 100 parts of the plan")
    return lines


RECOMMENDATION_COLUMNS = (
    sheet.Column("Number", "number", sheet.integer(required=True, maximum=999)),
    sheet.Column("Recommendation", "text", sheet.text(required=True)),
    sheet.Column("Concerns", "concerns", _concerns, write=_lines),
)
RESPONSE_COLUMNS = (
    sheet.Column(
        "Response",
        "decision",
        sheet.choice(ResponseDecision.choices, required=False),
        write=_decision,
    ),
    sheet.Column("Reasons", "reasons", sheet.text()),
    sheet.Column("What the office will do", "will_do", sheet.text()),
    sheet.Column("By when", "target_on", sheet.date()),
    sheet.Column("Why the date changed", "change_reason", sheet.text()),
)

# Those who run scrutiny: the recommendations and the office's responses.
OFFICE = sheet.Sheet(columns=RECOMMENDATION_COLUMNS + RESPONSE_COLUMNS, max_rows=999)
# The body's members: their recommendations only.
MEMBERS = sheet.Sheet(columns=RECOMMENDATION_COLUMNS, max_rows=999)


def sheet_for(*, can_respond: bool) -> sheet.Sheet:
    return OFFICE if can_respond else MEMBERS


def element_label(element: str, item: Any) -> str:
    """How the form and the file name a part of the plan: 'Measure: Residential burglary rate'."""
    title = item.text[:120] if element == "commitment" else item.title
    return f"{ELEMENT_LABELS[element]}: {title}"


def canonical(label: str) -> str:
    return " ".join(label.casefold().split())


@dataclass(frozen=True)
class Labels:
    """The parts of the plan a report's recommendations may name, both ways."""

    of: dict[tuple[str, str], str]  # (element, lineage) -> label
    by: dict[str, list[tuple[str, str]]]  # canonical label -> every (element, lineage) so named


def labels_for(*, report: Report, recommendations: Iterable[Recommendation]) -> Labels:
    """What the report's recommendations may concern (as the staff form offers it), and what
    they already do (a part of an older version keeps its name, so a row left alone keeps its
    links)."""
    from policeplan.plans import selectors as plans

    of: dict[tuple[str, str], str] = {}
    for element, lineage, label in recs.recommendation_elements(report=report):
        of[(element, lineage)] = label
    linked = {(link.element, str(link.lineage)) for r in recommendations for link in r.links.all()}
    missing = {lineage for _, lineage in linked - of.keys()}
    for lineage, item in plans.public_elements(lineages=missing).items():
        of.setdefault((item.element, lineage), element_label(item.element, item))
    by: dict[str, list[tuple[str, str]]] = {}
    for key, label in of.items():
        by.setdefault(canonical(label), []).append(key)
    return Labels(of=of, by=by)


def record(recommendation: Recommendation, labels: Labels) -> dict[str, Any]:
    """A recommendation as its row holds it (links and response prefetched)."""
    response = getattr(recommendation, "response", None)
    return {
        "number": recommendation.number,
        "text": recommendation.text,
        "concerns": [
            labels.of.get((link.element, str(link.lineage)), "")
            for link in recommendation.links.all()
        ],
        "decision": response.decision if response else "",
        "reasons": response.reasons if response else "",
        "will_do": response.will_do if response else "",
        "target_on": response.target_on if response else None,
        "change_reason": "",
    }
