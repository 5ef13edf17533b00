"""The demo's reports, published on the demo's real figures: the annual report for 2023-24,
a quarterly update for the latest complete quarter and the committee's pack for the latest
month. Their commentary is written from each figure by a demo analyst and approved by the
demo policy officer, and says it is for the demonstration; the annual report's statutory
texts say what a real report would contain rather than making facts up."""

from __future__ import annotations

from typing import Any

from policeplan.core.models import User
from policeplan.core.roles import Role
from policeplan.performance import commentary
from policeplan.performance import selectors as performance
from policeplan.plans import selectors as plans
from policeplan.reports import assemble, services
from policeplan.reports.kinds import ReportKind
from policeplan.warehouse import periods

DEMO_NOTE = "*Demonstration text: a real report would say this in the office's own words.*"

ANNUAL_TEXTS = {
    "foreword": f"This annual report sets out how the plan went in 2023-24.\n\n{DEMO_NOTE}",
    "functions": "How the office set the police budget, held the Commissioner to account at "
    "its accountability meetings, commissioned services for victims and responded to the "
    f"committee's recommendations in the year.\n\n{DEMO_NOTE}",
    "national_priorities": "How the force contributed to the Strategic Policing Requirement "
    "and to the national crime and policing measures (serious violence, drugs supply, "
    f"neighbourhood crime, cyber crime, victim satisfaction, homicide).\n\n{DEMO_NOTE}",
    "inspection": "What the latest HMICFRS PEEL inspection of the force found, graded area "
    f"by area, and what the office is doing about each cause of concern.\n\n{DEMO_NOTE}",
    "complaints": "How the office monitored complaints against the police, the reviews it "
    f"carried out and how long they took.\n\n{DEMO_NOTE}",
}


def _commentary_text(m: dict[str, Any]) -> str:
    change = f" {m['change'][0].upper()}{m['change'][1:]}." if m["change"] else ""
    return (
        f"{m['figure']} in the {m['period'][0].lower()}{m['period'][1:]} for the force area "
        f"({m['status'].lower()}).{change}\n\n"
        "*Demonstration commentary, written from the figure: a real report explains why.*"
    )


def _periods() -> list[tuple[str, str]]:
    latest = performance.latest_month()
    if latest is None:
        return [(ReportKind.ANNUAL, "2023-24")]
    year = periods.financial_year_of(latest)
    quarters = [periods.quarter(y, q) for y in (year - 1, year) for q in (1, 2, 3, 4)]
    quarter = max(q for q in quarters if q.end <= latest)
    return [
        (ReportKind.ANNUAL, "2023-24"),
        (ReportKind.QUARTERLY, quarter.key),
        (ReportKind.MONTHLY, latest),
    ]


def load() -> list[Any]:
    """Make, complete and publish the demo's reports; their PDFs are made by the worker."""
    analyst = User.objects.filter(role=Role.ANALYST).order_by("pk").first()
    officer = User.objects.filter(role=Role.POLICY_OFFICER).order_by("pk").first()
    version = plans.plan_current_public().version
    if analyst is None or officer is None or version is None:
        return []
    published = []
    for kind, key in _periods():
        report = services.report_create(
            user=officer, kind=kind, period_key=key, plan_version=version
        )
        texts = ANNUAL_TEXTS if kind == ReportKind.ANNUAL else {"foreword": ""}
        report = services.report_texts_save(user=analyst, report=report, **texts)
        for m in assemble.measures_of(assemble.assemble(report)):
            if not m["period_key"] or m["commentary_state"] == "approved":
                continue
            found = commentary.commentary_save(
                user=analyst,
                measure_lineage=m["lineage"],
                period_kind=m["kind"],
                period_key=m["period_key"],
                text=_commentary_text(m),
            )
            commentary.commentary_approve(user=officer, commentary=found)
        try:
            published.append(services.report_publish(user=officer, report=report))
        except services.NotReady:  # figures from other data lack what it needs: a draft
            continue
    # The published summaries of consultation responses: the worker makes their PDFs and
    # archives them as their first editions.
    from policeplan.analysis import tasks
    from policeplan.core import jobs
    from policeplan.reports import selectors

    for consultation in selectors.consultation_summaries():
        jobs.enqueue(tasks.prepare_results_pdf, consultation.pk)
    return published
