"""Writes for plans. Each service checks permission, runs in one transaction and records
one audit event; a published version is never changed."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from policeplan.core import dates
from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record, model_changes
from policeplan.core.uploads import safe_display_name
from policeplan.plans import completeness, signals
from policeplan.plans.kinds import KINDS, ItemKind, kind_of, version_of
from policeplan.plans.models import (
    Chapter,
    Commitment,
    Document,
    Grant,
    Measure,
    Outcome,
    Plan,
    PlanVersion,
    Priority,
    ReportingArrangement,
    ResourceLine,
    VersionState,
)
from policeplan.plans.selectors import plan_version_snapshot


class VersionLocked(ValidationError):
    """Raised when something tries to change a published version."""


class PublishRefused(ValidationError):
    """Raised when a version cannot be published; `problems` names each missing item."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)


def _ensure_editable(version: PlanVersion) -> None:
    if not version.is_editable:
        raise VersionLocked(
            f"{version.display_name} has been published and cannot be changed. "
            "Create a new version to make changes."
        )


def _unique_slug(base: str, taken: set[str]) -> str:
    root = slugify(base.replace("–", "-").replace("—", "-"))[:70] or "item"
    slug, n = root, 2
    while slug in taken:
        slug, n = f"{root}-{n}", n + 1
    return slug


def _slugs_in_version(model: type[models.Model], version: PlanVersion) -> set[str]:
    if model is Measure:
        rows = Measure.all_objects.filter(outcome__priority__version=version)
    else:
        rows = model.all_objects.filter(version=version)  # type: ignore[attr-defined]
    return set(rows.values_list("slug", flat=True))


@transaction.atomic
def plan_create(
    *, user: Any, title: str, slug: str = "", starts_on: datetime.date, ends_on: datetime.date
) -> PlanVersion:
    """A new plan with its first version, an empty draft."""
    ensure(user, Perm.EDIT_PLANS)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    taken = set(Plan.all_objects.values_list("slug", flat=True))
    plan = Plan(
        title=title,
        slug=_unique_slug(slug or title, taken),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
        modified_by=user,
    )
    plan.full_clean()
    plan.save()
    version = PlanVersion.objects.create(plan=plan, number=1, created_by=user, modified_by=user)
    audit_record(actor=user, action="plan.create", obj=plan, changes={"title": [None, title]})
    return version


@transaction.atomic
def plan_version_update(*, user: Any, version: PlanVersion, data: dict[str, Any]) -> PlanVersion:
    """Change a draft version's own text: label, introduction, statement on grants."""
    ensure(user, Perm.EDIT_PLANS)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_editable(version)
    fields: list[str] = [f for f in ("label", "summary", "grants_statement") if f in data]
    before: dict[str, Any] = {f: getattr(version, f) for f in fields}
    for f in fields:
        setattr(version, f, data[f])
    version.modified_by = user
    version.full_clean()
    version.save()
    audit_record(
        actor=user,
        action="plan_version.update",
        obj=version,
        changes=model_changes(version, fields, before),
    )
    return version


def _apply(item: models.Model, data: dict[str, Any]) -> list[str]:
    names = {f.name for f in item._meta.get_fields()}
    fields = [k for k in data if k in names]
    for name in fields:
        setattr(item, name, data[name])
    if isinstance(item, Document) and "file" in data and data["file"] is not None:
        item.size = data["file"].size
        item.original_name = safe_display_name(data["file"].name or "")
        fields.append("original_name")
    return fields


@transaction.atomic
def plan_item_create(
    *, user: Any, kind: ItemKind, parent: models.Model, data: dict[str, Any]
) -> models.Model:
    """Add an item (chapter, priority, outcome, measure, ...) to a draft version."""
    ensure(user, Perm.EDIT_PLANS)
    version = parent if isinstance(parent, PlanVersion) else version_of(parent)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_editable(version)
    item = kind.model(**{kind.parent_field: parent})
    _apply(item, data)
    if hasattr(item, "slug"):
        item.slug = _unique_slug(item.title, _slugs_in_version(kind.model, version))  # type: ignore[attr-defined]
    if isinstance(item, Commitment) and item.priority and item.priority.version_id != version.pk:
        raise ValidationError({"priority": "Choose a priority from this version of the plan"})
    last = kind.siblings(parent).aggregate(last=Max("order"))["last"]
    item.order = 0 if last is None else last + 1  # type: ignore[attr-defined]
    item.created_by = item.modified_by = user  # type: ignore[attr-defined]
    item.full_clean()
    item.save()
    audit_record(actor=user, action=f"{kind.key}.create", obj=item)
    return item


@transaction.atomic
def plan_item_update(*, user: Any, item: models.Model, data: dict[str, Any]) -> models.Model:
    ensure(user, Perm.EDIT_PLANS)
    kind = kind_of(item)
    version = PlanVersion.objects.select_for_update().get(pk=version_of(item).pk)
    _ensure_editable(version)
    item = kind.model.objects.get(pk=item.pk)  # type: ignore[attr-defined]
    names = [k for k in data if k != "file" or data[k] is not None]
    before = {name: getattr(item, name, None) for name in names}
    fields = _apply(item, {k: data[k] for k in names})
    if isinstance(item, Commitment) and item.priority and item.priority.version_id != version.pk:
        raise ValidationError({"priority": "Choose a priority from this version of the plan"})
    item.modified_by = user  # type: ignore[attr-defined]
    item.full_clean()
    item.save()
    audit_record(
        actor=user,
        action=f"{kind.key}.update",
        obj=item,
        changes=model_changes(item, [f for f in fields if f != "file"], before),
    )
    return item


@transaction.atomic
def plan_item_archive(*, user: Any, item: models.Model) -> None:
    """Remove an item from a draft (archived, not deleted: the audit trail can still name it)."""
    ensure(user, Perm.EDIT_PLANS)
    kind = kind_of(item)
    _ensure_editable(PlanVersion.objects.select_for_update().get(pk=version_of(item).pk))
    now = timezone.now()
    item.archived_at = now  # type: ignore[attr-defined]
    item.modified_by = user  # type: ignore[attr-defined]
    item.save(update_fields=["archived_at", "modified_by", "modified_at"])
    if isinstance(item, Priority):
        Outcome.objects.filter(priority=item).update(archived_at=now)
        Measure.objects.filter(outcome__priority=item).update(archived_at=now)
    elif isinstance(item, Outcome):
        Measure.objects.filter(outcome=item).update(archived_at=now)
    audit_record(actor=user, action=f"{kind.key}.remove", obj=item)


@transaction.atomic
def plan_item_move(*, user: Any, item: models.Model, direction: str) -> None:
    """Swap an item with its neighbour above ('up') or below ('down')."""
    ensure(user, Perm.EDIT_PLANS)
    kind = kind_of(item)
    _ensure_editable(PlanVersion.objects.select_for_update().get(pk=version_of(item).pk))
    siblings = list(kind.siblings(getattr(item, kind.parent_field)).order_by("order", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.order != position:
            kind.model.objects.filter(pk=sibling.pk).update(order=position)  # type: ignore[attr-defined]
    audit_record(
        actor=user, action=f"{kind.key}.move", obj=item, changes={"direction": [None, direction]}
    )


@transaction.atomic
def plan_version_publish(
    *, user: Any, version: PlanVersion, state: str, change_note: str = ""
) -> PlanVersion:
    """Publish a draft as the consultation draft or as the final plan.

    A final plan must contain everything s.7 requires; otherwise PublishRefused names each
    missing item and nothing changes.
    """
    ensure(user, Perm.PUBLISH_PLANS)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_editable(version)
    if state not in {VersionState.CONSULTATION, VersionState.FINAL}:
        raise ValidationError({"state": "Select how to publish this version"})
    snapshot = plan_version_snapshot(version=version)
    problems = completeness.missing(snapshot) if state == VersionState.FINAL else []
    if not snapshot["priorities"] and state == VersionState.CONSULTATION:
        problems = ["Add at least one priority before consulting on the plan"]
    if problems:
        raise PublishRefused(problems)
    earlier_final = version.plan.versions.filter(state=VersionState.FINAL).exists()
    if state == VersionState.FINAL and earlier_final and not version.label:
        # A final plan published after an earlier final one is a variation of the plan.
        version.label = f"Variation, {dates.month(timezone.localdate())}"
    version.state = state
    version.change_note = change_note
    version.published_at = timezone.now()
    version.published_by = user
    version.modified_by = user
    version.save()
    audit_record(
        actor=user,
        action="plan_version.publish",
        obj=version,
        changes={"state": [VersionState.DRAFT.value, state]},
    )
    signals.version_published.send(sender=PlanVersion, version=version, user=user)
    return version


_COPY_EXCLUDE = {"id", "created_at", "modified_at", "created_by", "modified_by", "archived_at"}


def _copy(obj: models.Model, user: Any, **overrides: Any) -> Any:
    values = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in _COPY_EXCLUDE
    }
    values.update(overrides)
    values["created_by_id"] = values["modified_by_id"] = getattr(user, "pk", None)
    return type(obj)._default_manager.create(**values)


@transaction.atomic
def plan_version_new_draft(*, user: Any, plan: Plan) -> PlanVersion:
    """A new draft copied from the latest version, keeping every item's lineage."""
    ensure(user, Perm.EDIT_PLANS)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError("This plan already has a draft. Finish or publish it first.")
    source = plan.versions.order_by("-number").first()
    if source is None:
        raise ValidationError("This plan has no version to copy.")
    new = _copy(
        source,
        user,
        number=source.number + 1,
        state=VersionState.DRAFT,
        label="",
        change_note="",
        based_on_id=source.pk,
        published_at=None,
        published_by_id=None,
    )
    priority_map: dict[int, int] = {}
    for priority in source.priorities.all():
        copy = _copy(priority, user, version_id=new.pk)
        priority_map[priority.pk] = copy.pk
        for outcome in priority.outcomes.all():
            outcome_copy = _copy(outcome, user, priority_id=copy.pk)
            for measure in outcome.measures.all():
                _copy(measure, user, outcome_id=outcome_copy.pk)
    for model in (Chapter, ResourceLine, Grant, ReportingArrangement, Document):
        for row in model.objects.filter(version=source):
            _copy(row, user, version_id=new.pk)
    for commitment in source.commitments.all():
        _copy(
            commitment,
            user,
            version_id=new.pk,
            priority_id=priority_map.get(commitment.priority_id or 0),
        )
    audit_record(
        actor=user, action="plan_version.create", obj=new, changes={"based_on": [None, str(source)]}
    )
    return new


__all__ = [
    "KINDS",
    "PublishRefused",
    "VersionLocked",
    "plan_create",
    "plan_item_archive",
    "plan_item_create",
    "plan_item_move",
    "plan_item_update",
    "plan_version_new_draft",
    "plan_version_publish",
    "plan_version_update",
]
