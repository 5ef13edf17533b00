"""Reads for plans. Each selector owns its joins and prefetches, so pages make a fixed
number of queries however large the plan is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from policeplan.core.roles import Perm, can
from policeplan.plans import completeness, diff
from policeplan.plans.models import (
    Chapter,
    Commitment,
    Measure,
    Outcome,
    Plan,
    PlanVersion,
    Priority,
    VersionState,
)

PUBLIC_STATES = [VersionState.CONSULTATION, VersionState.FINAL]


def _visible_versions(user: Any) -> QuerySet[PlanVersion]:
    versions = PlanVersion.objects.select_related("plan")
    if not can(user, Perm.VIEW_DRAFTS):
        versions = versions.filter(state__in=PUBLIC_STATES)
    return versions


@dataclass(frozen=True)
class PublicPlan:
    version: PlanVersion | None  # what the home page shows
    consultation: PlanVersion | None  # a newer consultation draft to point people to


def plan_current_public() -> PublicPlan:
    """The current final plan, else the consultation draft; and any newer consultation draft."""
    public = PlanVersion.objects.select_related("plan").filter(state__in=PUBLIC_STATES)
    final = public.filter(state=VersionState.FINAL).order_by("-plan__starts_on", "-number").first()
    consultation = (
        public.filter(state=VersionState.CONSULTATION)
        .exclude(plan__versions__state=VersionState.FINAL)
        .order_by("-plan__starts_on", "-number")
        .first()
    )
    return PublicPlan(version=final or consultation, consultation=consultation if final else None)


def plan_version_for_viewer(*, plan_slug: str, number: int, user: Any) -> PlanVersion:
    """A version this viewer may read, or 404 (drafts do not exist for the public)."""
    try:
        return _visible_versions(user).get(plan__slug=plan_slug, number=number)
    except PlanVersion.DoesNotExist:
        raise Http404("No such plan version") from None


def plan_version_replaced_by(*, version: PlanVersion) -> PlanVersion | None:
    """The later final version that replaces this one, if it has been published."""
    if version.state == VersionState.DRAFT:
        return None
    return (
        PlanVersion.objects.filter(
            plan_id=version.plan_id, state=VersionState.FINAL, number__gt=version.number
        )
        .order_by("-number")
        .first()
    )


def plan_for_viewer(*, plan_slug: str, user: Any) -> tuple[Plan, list[PlanVersion]]:
    """A plan and the versions this viewer may read, newest first; 404 if none."""
    versions = list(_visible_versions(user).filter(plan__slug=plan_slug).order_by("-number"))
    if not versions:
        raise Http404("No such plan")
    return versions[0].plan, versions


def plan_version_framework(*, version: PlanVersion) -> list[Priority]:
    """Priorities with their outcomes and measures, in order: the outcomes framework."""
    return list(
        version.priorities.prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("measures", queryset=Measure.objects.order_by("order", "pk"))
                ),
            )
        ).order_by("order", "pk")
    )


def plan_version_contents(*, version: PlanVersion) -> dict[str, Any]:
    """Everything a version's home page lists."""
    return {
        "priorities": plan_version_framework(version=version),
        "chapters": list(version.chapters.order_by("order", "pk").only("title", "slug", "version")),
        "documents": list(version.documents.order_by("order", "pk")),
    }


def priority_for_viewer(*, version: PlanVersion, slug: str) -> Priority:
    priorities = version.priorities.prefetch_related(
        Prefetch(
            "outcomes",
            queryset=Outcome.objects.order_by("order", "pk").prefetch_related(
                Prefetch("measures", queryset=Measure.objects.order_by("order", "pk"))
            ),
        ),
        Prefetch("commitments", queryset=Commitment.objects.order_by("order", "pk")),
    )
    try:
        return priorities.get(slug=slug)
    except Priority.DoesNotExist:
        raise Http404("No such priority") from None


def chapter_for_viewer(
    *, version: PlanVersion, slug: str
) -> tuple[Chapter, Chapter | None, Chapter | None]:
    """A chapter and its neighbours (for previous/next links)."""
    chapters = list(version.chapters.order_by("order", "pk"))
    for index, chapter in enumerate(chapters):
        if chapter.slug == slug:
            before = chapters[index - 1] if index > 0 else None
            after = chapters[index + 1] if index + 1 < len(chapters) else None
            return chapter, before, after
    raise Http404("No such chapter")


def _row(obj: Any, *names: str) -> dict[str, Any]:
    return {"lineage": str(obj.lineage), **{name: getattr(obj, name) for name in names}}


def plan_version_snapshot(*, version: PlanVersion) -> dict[str, Any]:
    """The whole content of a version as plain data: for completeness checks and comparison."""
    return {
        "summary": version.summary,
        "grants_statement": version.grants_statement,
        "chapters": [
            _row(c, "title", "slug", "body", "statutory_element")
            for c in version.chapters.order_by("order", "pk")
        ],
        "priorities": [
            {
                **_row(p, "title", "slug", "summary"),
                "outcomes": [
                    {
                        **_row(o, "title", "description"),
                        "measures": [
                            _row(ms, "slug", *Measure.CONTENT_FIELDS) for ms in o.measures.all()
                        ],
                    }
                    for o in p.outcomes.all()
                ],
            }
            for p in plan_version_framework(version=version)
        ],
        "commitments": [
            _row(c, "text", "owner", "due_on", "status")
            for c in version.commitments.order_by("order", "pk")
        ],
        "resources": [
            _row(r, "heading", "financial_year", "amount")
            for r in version.resources.order_by("order", "pk")
        ],
        "grants": [
            _row(g, "recipient", "purpose", "amount", "financial_year", "conditions")
            for g in version.grants.order_by("order", "pk")
        ],
        "reporting": [
            _row(r, "title", "description", "frequency")
            for r in version.reporting.order_by("order", "pk")
        ],
        "documents": [_row(d, "title", "kind") for d in version.documents.order_by("order", "pk")],
    }


def plan_version_completeness(*, version: PlanVersion) -> list[completeness.Requirement]:
    return completeness.check(plan_version_snapshot(version=version))


def plan_versions_compare(*, old: PlanVersion, new: PlanVersion) -> list[diff.SectionDiff]:
    return diff.compare(plan_version_snapshot(version=old), plan_version_snapshot(version=new))


def _measures_public(lineage: str) -> QuerySet[Measure]:
    return Measure.objects.filter(
        lineage=lineage, outcome__priority__version__state__in=PUBLIC_STATES
    ).order_by("-outcome__priority__version__state", "-outcome__priority__version__number")


def measure_public(*, lineage: str) -> Measure:
    """A measure as the current public version of its plan states it (404 if none does)."""
    measure = _measures_public(lineage).select_related("outcome__priority__version__plan").first()
    if measure is None:
        raise Http404("No such measure")
    return measure


def measure_public_stamp(*, lineage: str) -> tuple[int, Any]:
    """Which row `measure_public` gives and when it last changed (for caching its page),
    without loading it; 404 if no public version has the measure."""
    found = _measures_public(lineage).values_list("pk", "modified_at").first()
    if found is None:
        raise Http404("No such measure")
    return found


def measures_bound() -> list[dict[str, Any]]:
    """Each measure computed from data, once per lineage, as its latest version defines it."""
    latest: dict[str, dict[str, Any]] = {}
    rows = (
        Measure.objects.exclude(dataset="")
        .filter(outcome__priority__version__archived_at__isnull=True)
        .order_by("outcome__priority__version__plan_id", "outcome__priority__version__number")
        .values("lineage", "dataset", "unit", "concepts", "categories", "numerator_categories")
    )
    for row in rows:
        latest[str(row["lineage"])] = row  # later versions overwrite earlier ones
    return list(latest.values())


def measures_reported_elsewhere() -> list[dict[str, Any]]:
    """Each measure not computed here (its figures come from another source), once per
    lineage, as its latest version defines it: lineage, title, unit and levels."""
    latest: dict[str, dict[str, Any]] = {}
    rows = (
        Measure.objects.filter(dataset="", outcome__priority__version__archived_at__isnull=True)
        .order_by("outcome__priority__version__plan_id", "outcome__priority__version__number")
        .values("lineage", "title", "unit", "geography_levels")
    )
    for row in rows:
        latest[str(row["lineage"])] = {**row, "levels": row["geography_levels"]}
    return sorted(latest.values(), key=lambda r: r["title"])


def plans_for_staff(*, user: Any) -> list[Plan]:
    """Plans with the versions this member of staff may see, newest first."""
    return list(
        Plan.objects.prefetch_related(
            Prefetch("versions", queryset=_visible_versions(user).order_by("-number"))
        ).order_by("-starts_on")
    )


def version_for_staff(*, version_id: int, user: Any) -> PlanVersion:
    try:
        return _visible_versions(user).get(pk=version_id)
    except PlanVersion.DoesNotExist:
        raise Http404("No such plan version") from None


def version_commitments(*, version: PlanVersion) -> list[Commitment]:
    return list(version.commitments.select_related("priority").order_by("order", "pk"))


def version_priorities(*, version: PlanVersion) -> list[Priority]:
    """A version's priorities in order (consultation questions ask about them)."""
    return list(Priority.objects.filter(version=version).order_by("order", "pk"))


def version_priorities_queryset(*, version: PlanVersion) -> QuerySet[Priority]:
    """For a form's choice of priority (a queryset, so the form can validate the choice)."""
    return Priority.objects.filter(version=version).order_by("order", "pk")


def version_chapters_queryset(*, version: PlanVersion) -> QuerySet[Chapter]:
    return Chapter.objects.filter(version=version).order_by("order", "pk")


def version_chapters(*, version: PlanVersion) -> list[Chapter]:
    return list(Chapter.objects.filter(version=version).order_by("order", "pk"))


def version_documents(*, version: PlanVersion) -> list[Any]:
    from policeplan.plans.models import Document

    return list(Document.objects.filter(version=version).order_by("order", "pk"))


def versions_consultable() -> QuerySet[PlanVersion]:
    """Published versions a consultation can be about (usually the consultation draft)."""
    return PlanVersion.objects.select_related("plan").filter(state__in=PUBLIC_STATES)


def version_measures(*, version: PlanVersion) -> list[Measure]:
    """Every measure of a version, by title (for choosing one, say)."""
    return list(Measure.objects.filter(outcome__priority__version=version).order_by("title"))


@dataclass(frozen=True)
class PlanElement:
    """A priority, outcome or commitment of the current public plan, as other apps link to
    it: by lineage, so a link made to one version still finds the item in a later one."""

    kind: str  # "priority", "outcome" or "commitment"
    lineage: str
    title: str
    priority_lineage: str  # the priority it sits under ('' for a commitment without one)
    url: str


def plan_elements_current() -> list[PlanElement]:
    """Every priority, its outcomes, and the commitments of the current public plan (final,
    else the consultation draft), in the plan's order: three queries, however large."""
    from django.urls import reverse

    version = plan_current_public().version
    if version is None:
        return []
    plan_slug, number = version.plan.slug, version.number
    priorities = list(version.priorities.order_by("order", "pk"))
    lineage_of = {p.pk: str(p.lineage) for p in priorities}
    outcomes = Outcome.objects.filter(priority__version=version).order_by("order", "pk")
    by_priority: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        by_priority.setdefault(outcome.priority_id, []).append(outcome)
    elements = []
    for p in priorities:
        url = reverse("plans:priority", args=[plan_slug, number, p.slug])
        elements.append(PlanElement("priority", str(p.lineage), p.title, str(p.lineage), url))
        elements += [
            PlanElement("outcome", str(o.lineage), o.title, str(p.lineage), url)
            for o in by_priority.get(p.pk, [])
        ]
    delivery = reverse("plans:delivery", args=[plan_slug, number])
    for c in version.commitments.order_by("order", "pk"):
        title = c.text if len(c.text) <= 120 else c.text[:119].rsplit(" ", 1)[0] + "…"
        under = lineage_of.get(c.priority_id, "") if c.priority_id else ""
        elements.append(PlanElement("commitment", str(c.lineage), title, under, delivery))
    return elements


def public_elements(*, lineages: set[str]) -> dict[str, Any]:
    """Priorities, outcomes, measures and commitments with these lineages, each as the newest
    published version states it, by lineage; each carries `element` ('priority', 'outcome',
    'measure', 'commitment') and `priority_lineage` (its priority's, '' for none). Four
    queries however many (links made by lineage survive the plan's next version)."""
    if not lineages:
        return {}
    kinds: list[tuple[str, Any, str]] = [
        ("priority", Priority.objects, "version"),
        ("outcome", Outcome.objects.select_related("priority"), "priority__version"),
        (
            "measure",
            Measure.objects.select_related("outcome__priority"),
            "outcome__priority__version",
        ),
        ("commitment", Commitment.objects.select_related("priority"), "version"),
    ]
    found: dict[str, Any] = {}
    for element, queryset, version in kinds:
        rows = queryset.filter(
            lineage__in=lineages, **{f"{version}__state__in": PUBLIC_STATES}
        ).order_by(f"{version}__number", "pk")
        for row in rows:  # newer versions overwrite older ones
            row.element = element
            if element == "priority":
                row.priority_lineage = str(row.lineage)
            elif element == "outcome":
                row.priority_lineage = str(row.priority.lineage)
            elif element == "measure":
                row.priority_lineage = str(row.outcome.priority.lineage)
            else:
                row.priority_lineage = str(row.priority.lineage) if row.priority else ""
            found[str(row.lineage)] = row
    return found


def version_elements(*, version: PlanVersion) -> list[tuple[str, str, str]]:
    """Every priority, outcome, measure and commitment of a version as (element, lineage,
    label), in the plan's order: for choosing what a recommendation concerns."""
    out: list[tuple[str, str, str]] = []
    for p in plan_version_framework(version=version):
        out.append(("priority", str(p.lineage), f"Priority: {p.title}"))
        for o in p.outcomes.all():
            out.append(("outcome", str(o.lineage), f"Outcome: {o.title}"))
            out.extend(("measure", str(m.lineage), f"Measure: {m.title}") for m in o.measures.all())
    out.extend(
        ("commitment", str(c.lineage), f"Commitment: {c.text[:120]}")
        for c in version.commitments.order_by("order", "pk")
    )
    return out


def versions_by_id(*, ids: set[int]) -> dict[int, PlanVersion]:
    """Published versions by id, with their plans (one query)."""
    if not ids:
        return {}
    rows = PlanVersion.objects.select_related("plan").filter(pk__in=ids, state__in=PUBLIC_STATES)
    return {v.pk: v for v in rows}


def public_versions() -> QuerySet[PlanVersion]:
    """Published versions, newest first (what a scrutiny report may review)."""
    return (
        PlanVersion.objects.select_related("plan")
        .filter(state__in=PUBLIC_STATES)
        .order_by("-plan__starts_on", "-number")
    )


def version_finance(*, version: PlanVersion, financial_year: str) -> dict[str, list[Any]]:
    """The plan's resource lines and grants for one financial year ('2023-24'), in order."""
    return {
        "resources": list(
            version.resources.filter(financial_year=financial_year).order_by("order", "pk")
        ),
        "grants": list(
            version.grants.filter(financial_year=financial_year).order_by("order", "pk")
        ),
    }


def final_versions() -> QuerySet[PlanVersion]:
    """Published final plans, newest first (what a report may report on)."""
    return (
        PlanVersion.objects.select_related("plan")
        .filter(state=VersionState.FINAL, published_at__isnull=False)
        .order_by("-plan__starts_on", "-number")
    )
