"""Reads for reports, recommendations and the tracker. What a viewer sees of a report or a
response passes `scrutiny.disclosure`; a linked measure's figure comes from the one measure
presenter (`performance.selectors.measure_headlines`), exactly as the dashboards show it;
the list is read in a fixed number of queries however many recommendations there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from policeplan.scrutiny import selectors
from policeplan.scrutiny.disclosure import PUBLIC, Shown, Viewer, report_shown, response_shown
from policeplan.scrutiny.models import (
    Action,
    ActionUpdate,
    DateChange,
    Milestone,
    OfficeResponse,
    PlanReview,
    Recommendation,
    Report,
    ResponseDecision,
)

AWAITING = "awaiting"
STATUS_CHOICES = [(AWAITING, "Awaiting the office’s response"), *ResponseDecision.choices]


@dataclass(frozen=True)
class MeasureFigure:
    """A linked measure's latest figure, as its dashboard page shows it."""

    title: str
    lineage: str
    url: str
    figure: str  # with its unit, or 'No figures yet' (never 0)
    interval: str  # its 95% interval, '' when none is shown
    period: str
    status: str  # in words; '' when there is no figure
    status_classes: str
    area: str
    made_up: bool


@dataclass(frozen=True)
class ElementLink:
    element: str  # priority, outcome, measure, commitment
    label: str
    title: str
    url: str


@dataclass
class Row:
    """One recommendation as the viewer may see it, with its response and progress."""

    recommendation: Recommendation
    report: Report
    response: OfficeResponse | None  # None when there is none the viewer may see
    status: str  # AWAITING or a ResponseDecision value
    status_label: str
    response_overdue: bool
    milestones: list[Milestone]
    overdue_milestones: int
    changes: list[DateChange]  # moved target dates, oldest first
    elements: list[ElementLink]
    measures: list[MeasureFigure]
    priority_lineages: set[str]
    progress: str = ""
    actions: list[Action] = field(default_factory=list)
    plan_changes: list[Any] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("scrutiny:recommendation", args=[self.recommendation.pk])

    @property
    def response_published_on(self) -> datetime.date | None:
        """The London day the office published its response (None: not published)."""
        published = self.response.published_at if self.response else None
        return timezone.localdate(published) if published else None

    @property
    def response_days_late(self) -> int:
        """How many days after it was due the response was published (0: on time)."""
        published, due = self.response_published_on, self.report.response_due_on
        if published is None or due is None:
            return 0
        return max(0, (published - due).days)

    @property
    def response_moves(self) -> int:
        """How many times the response's own 'by when' moved (not its milestones')."""
        return sum(1 for change in self.changes if change.milestone_id is None)


def reports_for_viewer(*, viewer: Viewer) -> QuerySet[Report]:
    """Published reports, and the drafts of the bodies whose drafts this viewer sees."""
    reports = Report.objects.select_related("committee", "plan_version__plan")
    if viewer.everything:
        return reports
    return reports.filter(Q(published_on__isnull=False) | Q(committee_id__in=viewer.bodies))


def report_for_viewer(*, report_id: int, viewer: Viewer, slug: str | None = None) -> Report:
    report = reports_for_viewer(viewer=viewer).filter(pk=report_id).first()
    if report is None or (slug is not None and report.committee.slug != slug):
        raise Http404("No such report")
    return report


def _recommendations(reports: QuerySet[Report]) -> QuerySet[Recommendation]:
    changes = DateChange.objects.order_by("changed_at", "id")
    milestones = Milestone.objects.order_by("due_on", "id").prefetch_related(
        "updates", Prefetch("changes", queryset=changes)
    )
    return (
        Recommendation.objects.filter(report__in=reports)
        .select_related("report__committee", "response")
        .prefetch_related(
            "links",
            "boroughs",
            Prefetch("response__milestones", queryset=milestones),
            Prefetch("response__changes", queryset=changes),
        )
        .order_by("-report__published_on", "report_id", "number", "id")
    )


def _figures(lineages: set[str]) -> dict[str, MeasureFigure]:
    """Each measure's latest figure for the force, from the one measure presenter."""
    if not lineages:
        return {}
    from policeplan.performance import selectors as performance
    from policeplan.plans import selectors as plans

    found = plans.public_elements(lineages=lineages)
    measures = [m for m in found.values() if m.element == "measure"]
    force = performance.main_force()
    heads = performance.measure_headlines(measures=measures, area=force)
    out = {}
    for m in measures:
        head = heads[m.pk]
        out[str(m.lineage)] = MeasureFigure(
            title=m.title,
            lineage=str(m.lineage),
            url=reverse("dashboards:measure", kwargs={"lineage": m.lineage}),
            figure=head.figure,
            interval=head.interval,
            period=head.period,
            status=head.status,
            status_classes=head.status_classes,
            area=head.area,
            made_up=head.made_up,
        )
    return out


def _element_url(item: Any) -> str:
    if item.element == "measure":
        return reverse("dashboards:measure", kwargs={"lineage": item.lineage})
    version = item.version if item.element in ("priority", "commitment") else None
    if item.element == "priority" and version is not None:
        return reverse(
            "plans:priority",
            kwargs={"plan_slug": version.plan.slug, "number": version.number, "slug": item.slug},
        )
    return ""


def _title(item: Any) -> str:
    return str(getattr(item, "title", "") or getattr(item, "text", ""))


def rows_for_viewer(
    *, viewer: Viewer, reports: QuerySet[Report] | None = None, now: Any = None
) -> list[Row]:
    """Every recommendation of the reports the viewer may see, with what they may see of the
    response, its milestones and moved dates, the plan elements it concerns and the latest
    figure of each measure it links to."""
    from policeplan.plans import selectors as plans

    today = timezone.localdate(now or timezone.now())
    reports = reports if reports is not None else reports_for_viewer(viewer=viewer)
    recommendations = list(_recommendations(reports))
    lineages = {str(link.lineage) for r in recommendations for link in r.links.all()}
    elements = plans.public_elements(lineages=lineages)
    _with_versions(elements)
    figures = _figures(
        {lin for lin in lineages if getattr(elements.get(lin), "element", "") == "measure"}
    )
    rows = []
    for r in recommendations:
        response = getattr(r, "response", None)
        if response is not None and (
            response_shown(viewer=viewer, published=response.is_published) != Shown.FULL
        ):
            response = None
        milestones = list(response.milestones.all()) if response else []
        changes = list(response.changes.all()) if response else []
        changes += [c for m in milestones for c in m.changes.all()]
        found = [
            elements[str(link.lineage)] for link in r.links.all() if str(link.lineage) in elements
        ]
        overdue = sum(1 for m in milestones if m.is_overdue(now))
        due = r.report.response_due_on
        row = Row(
            recommendation=r,
            report=r.report,
            response=response,
            status=response.decision if response else AWAITING,
            status_label=response.get_decision_display() if response else "Awaiting response",
            response_overdue=response is None and due is not None and due < today,
            milestones=milestones,
            overdue_milestones=overdue,
            changes=sorted(changes, key=lambda c: (c.changed_at, c.pk)),
            elements=[
                ElementLink(
                    element=item.element,
                    label=item.element.capitalize(),
                    title=_title(item),
                    url=_element_url(item),
                )
                for item in found
            ],
            measures=[figures[str(item.lineage)] for item in found if str(item.lineage) in figures],
            priority_lineages={item.priority_lineage for item in found if item.priority_lineage},
        )
        row.progress = _progress(row)
        rows.append(row)
    return rows


def _with_versions(elements: dict[str, Any]) -> None:
    """Priorities' versions (for their page links), in one query."""
    from policeplan.plans import selectors as plans

    ids = {e.version_id for e in elements.values() if e.element == "priority"}
    versions = plans.versions_by_id(ids=ids)
    for e in elements.values():
        if e.element == "priority":
            e.version = versions.get(e.version_id)


def _progress(row: Row) -> str:
    if row.response is None:
        return "Response overdue" if row.response_overdue else "Response not yet published"
    if row.response.decision == ResponseDecision.NOT_ACCEPTED:
        return "Not being taken forward"
    if not row.milestones:
        return "No milestones set"
    done = sum(1 for m in row.milestones if m.done_on is not None)
    if done == len(row.milestones):
        return "All milestones done"
    text = f"{done} of {len(row.milestones)} milestones done"
    return f"{text}, {row.overdue_milestones} overdue" if row.overdue_milestones else text


@dataclass(frozen=True)
class Filters:
    body: str = ""
    report: int | None = None
    status: str = ""
    priority: str = ""


def filtered(rows: list[Row], filters: Filters) -> list[Row]:
    return [
        row
        for row in rows
        if (not filters.body or row.report.committee.slug == filters.body)
        and (filters.report is None or row.report.pk == filters.report)
        and (not filters.status or row.status == filters.status)
        and (not filters.priority or filters.priority in row.priority_lineages)
    ]


def filter_choices(*, viewer: Viewer) -> dict[str, list[tuple[str, str]]]:
    """The values each filter may take: the bodies and reports the viewer may see, the
    statuses, and the current plan's priorities."""
    from policeplan.plans import selectors as plans

    reports = list(reports_for_viewer(viewer=viewer).order_by("-published_on", "-id"))
    bodies = {r.committee.slug: r.committee.name for r in reports}
    version = plans.plan_current_public().version
    priorities = plans.version_priorities(version=version) if version is not None else []
    return {
        "body": sorted(bodies.items(), key=lambda b: b[1]),
        "report": [(str(r.pk), r.title) for r in reports],
        "status": [(k, str(v)) for k, v in STATUS_CHOICES],
        "priority": [(str(p.lineage), p.title) for p in priorities],
    }


def recommendation_for_viewer(*, recommendation_id: int, viewer: Viewer) -> Row:
    """One recommendation and its chain: response, actions from meetings that carry it out,
    the plan changes that cite it and the measures it (or they) link to; 404 unless the
    viewer may see its report."""
    from policeplan.analysis import selectors as analysis

    found = Recommendation.objects.filter(pk=recommendation_id).select_related("report").first()
    if found is None or (
        report_shown(
            viewer=viewer,
            committee_id=found.report.committee_id,
            published=found.report.is_published,
        )
        == Shown.HIDDEN
    ):
        raise Http404("No such recommendation")
    reports = Report.objects.filter(pk=found.report_id)
    row = next(
        r
        for r in rows_for_viewer(viewer=viewer, reports=reports)
        if r.recommendation.pk == found.pk
    )
    row.actions = _actions(recommendation=found, viewer=viewer)
    row.plan_changes = analysis.plan_changes_citing(recommendation_ids=[found.pk]).get(found.pk, [])
    extra = {str(c.measure_lineage) for c in row.plan_changes if c.measure_lineage}
    known = {m.lineage for m in row.measures}
    row.measures += [f for lin, f in _figures(extra - known).items()]
    return row


def _actions(*, recommendation: Recommendation, viewer: Viewer) -> list[Action]:
    """Confirmed actions that carry the recommendation out, from meetings (and items) the
    viewer may see."""
    actions = (
        Action.objects.filter(recommendation=recommendation, confirmed_at__isnull=False)
        .select_related("meeting__committee", "item")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.order_by("on", "id")))
        .order_by("due_on", "id")
    )
    out = []
    for action in actions:
        meeting = action.meeting
        if selectors.meeting_shown(meeting=meeting, viewer=viewer) == Shown.HIDDEN:
            continue
        if action.item is not None and (
            selectors.item_shown(item=action.item, meeting=meeting, viewer=viewer) != Shown.FULL
        ):
            continue
        out.append(action)
    return out


def report_page(*, report: Report, viewer: Viewer) -> list[Row]:
    return rows_for_viewer(viewer=viewer, reports=Report.objects.filter(pk=report.pk))


def reports_of_body(*, committee_id: int, viewer: Viewer) -> list[Report]:
    return list(reports_for_viewer(viewer=viewer).filter(committee_id=committee_id))


def reviews_of_body(*, committee_id: int) -> list[PlanReview]:
    """The body's reviews of draft plans (a review is public: the draft it reviews is)."""
    return list(
        PlanReview.objects.filter(committee_id=committee_id).select_related("plan_version__plan")
    )


def public_rows_for_borough(*, area: Any) -> list[Row]:
    """The published recommendations that concern a borough, as the public sees them."""
    reports = reports_for_viewer(viewer=PUBLIC).filter(recommendations__boroughs=area).distinct()
    return [
        row
        for row in rows_for_viewer(viewer=PUBLIC, reports=reports)
        if any(a.pk == area.pk for a in row.recommendation.boroughs.all())
    ]


def public_rows() -> list[Row]:
    """Every published recommendation as the public sees it (the API)."""
    return rows_for_viewer(viewer=PUBLIC)


@dataclass
class Answered:
    """How the body's recommendations on a draft were answered, for the final plan's page."""

    reports: list[Report]
    rows: list[Row]


def answered_for_final(*, version: Any) -> Answered | None:
    """For a final plan: the published reports on the consultation draft it follows, each
    recommendation with its published response and the plan changes citing it; None when
    there are none."""
    from policeplan.analysis import selectors as analysis

    if version.state != "final":
        return None
    reports = Report.objects.filter(
        plan_version__plan_id=version.plan_id,
        plan_version__number__lt=version.number,
        plan_version__state="consultation",
        published_on__isnull=False,
    )
    rows = rows_for_viewer(viewer=PUBLIC, reports=reports)
    if not rows:
        return None
    cited = analysis.plan_changes_citing(recommendation_ids=[r.recommendation.pk for r in rows])
    for row in rows:
        row.plan_changes = [
            c for c in cited.get(row.recommendation.pk, []) if c.to_version_id == version.pk
        ]
    return Answered(reports=list({r.report.pk: r.report for r in rows}.values()), rows=rows)


def open_reviews(*, on: datetime.date | None = None) -> list[PlanReview]:
    day = on or timezone.localdate()
    return list(
        PlanReview.objects.filter(opens_on__lte=day, closes_on__gte=day).select_related(
            "committee", "plan_version__plan"
        )
    )


def recommendations_on_version(*, version: Any) -> list[Recommendation]:
    """The published recommendations of the body's reports on a plan version (for a plan
    change to cite), in report and number order."""
    return list(
        Recommendation.objects.filter(
            report__plan_version=version, report__published_on__isnull=False
        )
        .select_related("report")
        .order_by("report__published_on", "report_id", "number")
    )


def recommendation_elements(*, report: Report) -> list[tuple[str, str, str]]:
    """What a recommendation of `report` may concern, as (element, lineage, label): the
    reviewed version's priorities, outcomes, measures and commitments, then the current
    plan's (each lineage once). The staff form offers these; the spreadsheet names them by
    label."""
    from policeplan.plans import selectors as plans

    versions = [report.plan_version, plans.plan_current_public().version]
    seen: set[str] = set()
    out = []
    for version in versions:
        if version is None:
            continue
        for element, lineage, label in plans.version_elements(version=version):
            if lineage not in seen:
                seen.add(lineage)
                out.append((element, lineage, label))
    return out
