"""Reads for the decisions log. What a viewer is shown of a decision, its Part 2 and its
documents passes `scrutiny.disclosure`; the public list, its CSV and the API use the public
viewer whoever asks, and get what they show in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from policeplan.plans import selectors as plans
from policeplan.scrutiny import selectors
from policeplan.scrutiny.disclosure import (
    PUBLIC,
    Shown,
    Viewer,
    office_records_visible,
    office_shown,
)
from policeplan.scrutiny.models import (
    AgendaItem,
    Decision,
    DecisionDocument,
    DecisionPlanLink,
    Meeting,
)

# Value bands for the filter: (label, lowest, highest) in pounds, highest excluded.
VALUE_BANDS: dict[str, tuple[str, Decimal | None, Decimal | None]] = {
    "none": ("No value given", None, None),
    "under-100k": ("Under £100,000", Decimal(0), Decimal(100_000)),
    "100k-500k": ("£100,000 to £499,999", Decimal(100_000), Decimal(500_000)),
    "500k-1m": ("£500,000 to £999,999", Decimal(500_000), Decimal(1_000_000)),
    "1m-plus": ("£1 million or more", Decimal(1_000_000), None),
}


@dataclass(frozen=True)
class LinkView:
    """A link to the plan as the page shows it: the item's title in the current plan and
    its page, or its title when linked if the current plan no longer has it."""

    kind: str
    kind_label: str
    lineage: str
    title: str
    url: str | None


@dataclass
class DecisionPage:
    decision: Decision
    part2: Shown  # HIDDEN: it has none; WITHHELD: the reason only; FULL: all of it
    documents: list[DecisionDocument] = field(default_factory=list)
    links: list[LinkView] = field(default_factory=list)
    meeting: Meeting | None = None
    item: AgendaItem | None = None


def decision_shown(*, decision: Decision, viewer: Viewer) -> Shown:
    return office_shown(viewer=viewer, published=decision.is_published, exempt=False)


def part2_shown(*, decision: Decision, viewer: Viewer) -> Shown:
    """How much of the decision's Part 2 (its exempt text and documents) the viewer sees."""
    if decision_shown(decision=decision, viewer=viewer) == Shown.HIDDEN:
        return Shown.HIDDEN
    if not decision.has_part2:
        return Shown.HIDDEN
    return office_shown(viewer=viewer, published=decision.is_published, exempt=True)


def document_shown(*, document: DecisionDocument, decision: Decision, viewer: Viewer) -> Shown:
    """A Part 2 document is not listed at all for those who may not read it: the Part 2
    notice stands for it (its title could say what Part 2 withholds)."""
    if decision_shown(decision=decision, viewer=viewer) == Shown.HIDDEN:
        return Shown.HIDDEN
    if document.part2 and part2_shown(decision=decision, viewer=viewer) != Shown.FULL:
        return Shown.HIDDEN
    return Shown.FULL


def link_views(
    links: list[Any], elements: dict[str, plans.PlanElement] | None = None
) -> list[LinkView]:
    """Plan links (decision's or question's) resolved against the current public plan."""
    if elements is None:
        elements = {e.lineage: e for e in plans.plan_elements_current()}
    out = []
    for link in links:
        found = elements.get(str(link.lineage))
        out.append(
            LinkView(
                kind=link.kind,
                kind_label=link.get_kind_display(),
                lineage=str(link.lineage),
                title=found.title if found else link.title,
                url=found.url if found else None,
            )
        )
    return out


def meeting_and_item(
    *, meeting: Meeting | None, item: AgendaItem | None, viewer: Viewer
) -> tuple[Meeting | None, AgendaItem | None]:
    """The meeting and agenda item a record came up at, as far as the viewer may see them:
    an unpublished meeting is not named, nor an exempt item's title."""
    if meeting is None or selectors.meeting_shown(meeting=meeting, viewer=viewer) == Shown.HIDDEN:
        return None, None
    if item is None:
        return meeting, None
    if selectors.item_shown(item=item, meeting=meeting, viewer=viewer) != Shown.FULL:
        return meeting, None
    return meeting, item


def decisions_list(
    *,
    viewer: Viewer = PUBLIC,
    q: str = "",
    year: int | None = None,
    maker: str = "",
    priority: str = "",
    band: str = "",
) -> QuerySet[Decision]:
    """Decisions the viewer may see, newest first, searched (reference, title and summary:
    never Part 2) and filtered. `icontains` escapes % and _, so they are searched for."""
    rows = Decision.objects.filter(office_records_visible(viewer=viewer))
    if q:
        rows = rows.filter(
            Q(reference__icontains=q) | Q(title__icontains=q) | Q(summary__icontains=q)
        )
    if year is not None:
        rows = rows.filter(decided_on__year=year)
    if maker:
        rows = rows.filter(decision_maker=maker)
    if priority:
        linked = DecisionPlanLink.objects.filter(priority_lineage=priority).values("decision_id")
        rows = rows.filter(pk__in=linked)
    if band:
        _, low, high = VALUE_BANDS[band]
        if low is None and high is None:
            rows = rows.filter(value__isnull=True)
        else:
            if low is not None:
                rows = rows.filter(value__gte=low)
            if high is not None:
                rows = rows.filter(value__lt=high)
    return rows.order_by("-decided_on", "-id")


def decisions_with_links(rows: QuerySet[Decision]) -> QuerySet[Decision]:
    """For the CSV and the API: each decision's plan links, meeting and public documents in
    three more queries, however many decisions."""
    return rows.select_related("meeting__committee", "item").prefetch_related(
        Prefetch("plan_links", queryset=DecisionPlanLink.objects.order_by("id")),
        Prefetch(
            "documents",
            queryset=DecisionDocument.objects.filter(part2=False).order_by("order", "id"),
            to_attr="public_documents",
        ),
    )


def decision_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The values the public filters offer: years and decision makers of published
    decisions, the current plan's priorities, and the value bands."""
    public = Decision.objects.filter(office_records_visible(viewer=PUBLIC))
    years = sorted({d.year for d in public.dates("decided_on", "year")}, reverse=True)
    makers = public.order_by("decision_maker").values_list("decision_maker", flat=True).distinct()
    priorities = [e for e in plans.plan_elements_current() if e.kind == "priority"]
    return {
        "year": [(str(y), str(y)) for y in years],
        "maker": [(m, m) for m in makers],
        "priority": [(p.lineage, p.title) for p in priorities],
        "band": [(key, label) for key, (label, _, _) in VALUE_BANDS.items()],
    }


def decision_for_viewer(*, slug: str, viewer: Viewer) -> Decision:
    decision = (
        Decision.objects.select_related("meeting__committee", "item").filter(slug=slug).first()
    )
    if decision is None or decision_shown(decision=decision, viewer=viewer) == Shown.HIDDEN:
        raise Http404("No such decision")
    return decision


def decision_page(*, decision: Decision, viewer: Viewer) -> DecisionPage:
    """A decision as this viewer may see it: Part 2 and its documents pass the rule."""
    documents = [
        d
        for d in decision.documents.order_by("order", "id")
        if document_shown(document=d, decision=decision, viewer=viewer) == Shown.FULL
    ]
    meeting, item = meeting_and_item(meeting=decision.meeting, item=decision.item, viewer=viewer)
    return DecisionPage(
        decision=decision,
        part2=part2_shown(decision=decision, viewer=viewer),
        documents=documents,
        links=link_views(list(decision.plan_links.order_by("id"))),
        meeting=meeting,
        item=item,
    )


def document_for_viewer(*, slug: str, document_id: int, viewer: Viewer) -> DecisionDocument:
    decision = decision_for_viewer(slug=slug, viewer=viewer)
    document = decision.documents.filter(pk=document_id).first()
    if document is None or (
        document_shown(document=document, decision=decision, viewer=viewer) != Shown.FULL
    ):
        raise Http404("No such document")
    return document


def public_row(decision: Decision, elements: dict[str, plans.PlanElement]) -> dict[str, Any]:
    """What the CSV and the API say of a published decision: never its Part 2 text, nor a
    Part 2 document, nor an unpublished meeting or exempt item (`decisions_with_links`)."""
    meeting, item = meeting_and_item(meeting=decision.meeting, item=decision.item, viewer=PUBLIC)
    return {
        "decision": decision,
        "links": link_views(list(decision.plan_links.all()), elements),
        "documents": list(getattr(decision, "public_documents", [])),
        "part2_withheld": part2_shown(decision=decision, viewer=PUBLIC) == Shown.WITHHELD,
        "meeting": meeting,
        "item": item,
    }


# ---- Staff -------------------------------------------------------------------------------


def decisions_for_staff() -> QuerySet[Decision]:
    return Decision.objects.order_by("-decided_on", "-id")


def decision_for_staff(*, decision_id: int, viewer: Viewer) -> Decision:
    decision = (
        Decision.objects.select_related("meeting__committee", "item").filter(pk=decision_id).first()
    )
    if decision is None or not viewer.everything:
        raise Http404("No such decision")
    return decision


def meetings_to_link() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee").order_by("-starts_at", "-id")


def items_to_link() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("meeting__committee").order_by(
        "-meeting__starts_at", "number", "id"
    )
