"""What the law requires a Police and Crime Plan to contain, and whether a version does.

Police Reform and Social Responsibility Act 2011, section 7(1): a plan specifies the body's
police and crime objectives; the policing the chief officer is to provide; the resources the
body is to provide to the chief officer; how the chief officer will report to the body; how
the chief officer's performance will be measured; and the crime and disorder reduction grants
the body is to make, with their conditions.

`check(snapshot)` works on the plain snapshot a selector builds (no database access here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Requirement:
    key: str
    title: str
    reference: str
    section: str  # the staff section where it is fixed
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems


def check(snapshot: dict[str, Any]) -> list[Requirement]:
    priorities = snapshot["priorities"]
    outcomes = [o for p in priorities for o in p["outcomes"]]

    objectives: list[str] = []
    if not priorities:
        objectives.append("Add at least one priority (a police and crime objective)")
    objectives += [
        f"Add an outcome to the priority ‘{p['title']}’" for p in priorities if not p["outcomes"]
    ]

    policing = []
    if not any(
        c["statutory_element"] == "policing" and c["body"].strip() for c in snapshot["chapters"]
    ):
        policing.append("Add a chapter that sets out the policing the chief officer is to provide")

    resources = []
    if not snapshot["resources"]:
        resources.append("Add at least one budget line for the resources provided")

    reporting = []
    if not snapshot["reporting"]:
        reporting.append("Add at least one reporting arrangement")

    performance = []
    if not outcomes:
        performance.append("Add outcomes with measures")
    performance += [
        f"Add a measure to the outcome ‘{o['title']}’" for o in outcomes if not o["measures"]
    ]

    grants = []
    if not snapshot["grants"] and not snapshot["grants_statement"].strip():
        grants.append("Add the grants the plan makes, or a statement that it makes none")

    return [
        Requirement(
            "objectives", "Police and crime objectives", "s.7(1)(a)", "priorities", objectives
        ),
        Requirement(
            "policing",
            "The policing the chief officer is to provide",
            "s.7(1)(b)",
            "chapters",
            policing,
        ),
        Requirement(
            "resources",
            "Resources provided to the chief officer",
            "s.7(1)(c)",
            "resources",
            resources,
        ),
        Requirement(
            "reporting",
            "How the chief officer reports to the body",
            "s.7(1)(d)",
            "reporting",
            reporting,
        ),
        Requirement(
            "performance",
            "How the chief officer's performance is measured",
            "s.7(1)(e)",
            "priorities",
            performance,
        ),
        Requirement(
            "grants",
            "Crime and disorder reduction grants and their conditions",
            "s.7(1)(f)",
            "grants",
            grants,
        ),
    ]


def missing(snapshot: dict[str, Any]) -> list[str]:
    """Every problem that stops a version being published as final, in order."""
    return [problem for req in check(snapshot) for problem in req.problems]
