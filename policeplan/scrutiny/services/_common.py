"""What every scrutiny write shares: the permission check and saving a model with its fields
validated, so a service refuses bad input as a ValidationError naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record


def ensure_runs(user: Any) -> None:
    ensure(user, Perm.RUN_SCRUTINY)


AUDITED = ("modified_by", "modified_at")


def apply(
    instance: models.Model,
    data: Mapping[str, Any],
    fields: tuple[str, ...],
    *,
    also: tuple[str, ...] = (),
) -> dict:
    """Set the given fields from `data`, validate, save (with the fields in `also`, set by
    the caller); the changes for the audit event."""
    before = {name: getattr(instance, name, None) for name in fields}
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    if instance.pk is None:
        instance.save()
    else:
        # Only what this write changes: a stale copy must not undo another write (publishing).
        extra = [f.name for f in instance._meta.concrete_fields if f.name in AUDITED]
        instance.save(update_fields=[*fields, *also, *extra])
    return {
        name: [None if before[name] is None else str(before[name]), str(getattr(instance, name))]
        for name in fields
        if before[name] != getattr(instance, name)
    }


def publish_once[M: models.Model](*, user: Any, instance: M, action: str) -> M:
    """Stamp the record published now, once, for those who run scrutiny (call inside the
    caller's transaction): the row is locked, so two clicks publish it once, and publishing
    again returns it as it is. Its audit event is `action`."""
    ensure_runs(user)
    found = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if getattr(found, "published_at", None) is not None:
        return found
    found.published_at = timezone.now()  # type: ignore[attr-defined]
    found.modified_by = user  # type: ignore[attr-defined]
    found.save(update_fields=["published_at", "modified_by", "modified_at"])
    audit_record(actor=user, action=action, obj=found)
    return found
