"""Links from the office's record (decisions, questions) to parts of the current plan, by
lineage: a lineage the current public plan does not have is refused, naming the field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from policeplan.plans import selectors as plans


def plan_links_set(
    *, owner: models.Model, link_model: type[models.Model], field: str, lineages: Iterable[str]
) -> dict[str, list[str | None]]:
    """Make the owner's links exactly these lineages; the change for the audit event."""
    wanted = list(dict.fromkeys(str(x) for x in lineages))
    elements = {e.lineage: e for e in plans.plan_elements_current()}
    unknown = [x for x in wanted if x not in elements]
    if unknown:
        raise ValidationError({"plan_links": "Choose parts of the current plan from the list"})
    manager: Any = getattr(owner, "plan_links")  # noqa: B009 - the reverse relation
    before = sorted(str(x) for x in manager.values_list("lineage", flat=True))
    if before == sorted(wanted):
        return {}
    manager.all().delete()
    link_model._default_manager.bulk_create(
        link_model(
            **{field: owner},
            kind=elements[x].kind,
            lineage=x,
            priority_lineage=elements[x].priority_lineage or None,
            title=elements[x].title[:300],
        )
        for x in wanted
    )
    return {"plan_links": [", ".join(before) or None, ", ".join(wanted)]}
