"""The kinds of item a plan version contains, as the staff pages and services address them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from policeplan.plans import models as m


@dataclass(frozen=True)
class ItemKind:
    key: str  # URL segment
    model: type[models.Model]
    singular: str
    plural: str
    parent_field: str  # "version", "priority" or "outcome"
    section: str  # the staff section page that lists it

    def siblings(self, parent: models.Model) -> models.QuerySet:
        return self.model.objects.filter(**{self.parent_field: parent})  # type: ignore[attr-defined]


KINDS: dict[str, ItemKind] = {
    kind.key: kind
    for kind in [
        ItemKind("chapters", m.Chapter, "chapter", "chapters", "version", "chapters"),
        ItemKind("priorities", m.Priority, "priority", "priorities", "version", "priorities"),
        ItemKind("outcomes", m.Outcome, "outcome", "outcomes", "priority", "priorities"),
        ItemKind("measures", m.Measure, "measure", "measures", "outcome", "priorities"),
        ItemKind(
            "commitments", m.Commitment, "commitment", "commitments", "version", "commitments"
        ),
        ItemKind(
            "resources", m.ResourceLine, "budget line", "budget lines", "version", "resources"
        ),
        ItemKind("grants", m.Grant, "grant", "grants", "version", "grants"),
        ItemKind(
            "reporting",
            m.ReportingArrangement,
            "reporting arrangement",
            "reporting arrangements",
            "version",
            "reporting",
        ),
        ItemKind("documents", m.Document, "document", "documents", "version", "documents"),
    ]
}


def kind_of(item: models.Model) -> ItemKind:
    return next(kind for kind in KINDS.values() if isinstance(item, kind.model))


def version_of(item: models.Model) -> m.PlanVersion:
    """The plan version an item belongs to, however deep it sits."""
    if isinstance(item, m.Measure):
        return item.outcome.priority.version
    if isinstance(item, m.Outcome):
        return item.priority.version
    return item.version  # type: ignore[attr-defined]
