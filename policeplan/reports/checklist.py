"""What must be in a report before it may be published, checked on the contents it would
publish (the snapshot), each missing item named: like the plan's s.7 task list.

Every report: approved commentary on every figure it shows, and the plan it reports on
published. The annual report, in addition, what the law asks it to contain:
- s.12 Police Reform and Social Responsibility Act 2011: how the body exercised its functions
  in the year, and the progress made in the year in meeting the plan's objectives;
- the Elected Local Policing Bodies (Specified Information) Order 2011, as amended in 2021: a
  statement on the force's contribution to the national policing priorities (the Strategic
  Policing Requirement and the national crime and policing measures), the latest inspection
  (HMICFRS PEEL) findings and what is being done about them, and how complaints are handled.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode

from policeplan.core.markdown import render_markdown
from policeplan.reports.assemble import measures_of
from policeplan.reports.kinds import ReportKind


@dataclass(frozen=True)
class Requirement:
    title: str
    done: bool
    missing: str  # what is missing, in words ('' when done)
    href: str = ""  # where to put it right
    law: str = ""  # the provision that asks for it
    waiting: bool = False  # written, waiting for a policy officer's approval


# The annual report's statutory texts: (field, title, provision, what is missing).
STATUTORY_TEXTS = (
    (
        "functions",
        "How the office exercised its functions in the year",
        "s.12(2)(a) Police Reform and Social Responsibility Act 2011",
        "Write how the office exercised its functions in the year.",
    ),
    (
        "national_priorities",
        "The force's contribution to national policing priorities",
        "Specified Information Order 2011, as amended in 2021",
        "Write a statement on the force's contribution to the national priorities for "
        "policing (the Strategic Policing Requirement and the national crime and policing "
        "measures).",
    ),
    (
        "inspection",
        "The latest inspection (PEEL) findings",
        "Specified Information Order 2011, as amended in 2021",
        "Summarise the latest HMICFRS PEEL inspection of the force and what is being done "
        "about its findings.",
    ),
    (
        "complaints",
        "How complaints are handled",
        "Specified Information Order 2011, as amended in 2021",
        "Write how the office handled complaints against the police and its own "
        "complaints-handling functions.",
    ),
)


def has_text(markdown: str) -> bool:
    """Whether Markdown shows any words once rendered: a zero-width space, '&nbsp;', an empty
    list or a lone heading mark is not a statement."""
    shown = html.unescape(strip_tags(str(render_markdown(markdown))))
    return any(
        unicodedata.category(c)[0] in "LN"  # a letter or a number
        for c in shown
    )


def _commentary_href(item: dict[str, Any], report: Any) -> str:
    """The commentary's page, which comes back to this report's task list when done."""
    return (
        reverse(
            "performance:commentary-edit",
            kwargs={"lineage": item["lineage"], "kind": item["kind"], "key": item["period_key"]},
        )
        + "?"
        + urlencode({"report": report.pk})
    )


def requirements(*, report: Any, snapshot: dict[str, Any]) -> list[Requirement]:
    """Every requirement of this report, done or not, in the order to work through them."""
    edit = reverse("reports:staff-edit", kwargs={"pk": report.pk})
    out = []
    version = report.plan_version
    out.append(
        Requirement(
            title="The plan it reports on is published",
            done=version.published_at is not None,
            missing=f"{version} is not published: a report can only be on a published plan.",
        )
    )
    measures = measures_of(snapshot)
    if report.kind == ReportKind.ANNUAL:
        with_figures = [m for m in measures if m["period_key"]]
        out.append(
            Requirement(
                title="Progress against the plan's objectives",
                done=bool(with_figures),
                missing="No measure of the plan has a figure for a period ending by the end "
                "of the year, so the report cannot show progress against the plan's "
                "objectives: import the year's data first.",
                href=reverse("performance:catalogue"),
                law="s.12(2)(b) Police Reform and Social Responsibility Act 2011",
            )
        )
        for name, title, law, missing in STATUTORY_TEXTS:
            out.append(
                Requirement(
                    title=title,
                    done=has_text(getattr(report, name)),
                    missing=missing,
                    href=f"{edit}#{name.replace('_', '-')}",
                    law=law,
                )
            )
    for m in measures:
        if not m["period_key"]:
            continue  # no figure: nothing to comment on (the report says why)
        state = m["commentary_state"]
        out.append(
            Requirement(
                title=f"Commentary on ‘{m['title']}’ for {m['period']}",
                done=state == "approved",
                missing="Commentary is a draft waiting for a policy officer's approval."
                if state == "draft"
                else "Commentary has not been written.",
                href=_commentary_href(m, report),
                waiting=state == "draft",
            )
        )
    return out


def missing(*, report: Any, snapshot: dict[str, Any]) -> list[Requirement]:
    return [r for r in requirements(report=report, snapshot=snapshot) if not r.done]


def commentary_list_href(kind: str, key: str) -> str:
    return reverse("performance:commentary") + "?" + urlencode({"period": f"{kind}/{key}"})
