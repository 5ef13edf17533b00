"""What every scrutiny write shares: the permission check and saving a model with its fields
validated, so a service refuses bad input as a ValidationError naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from policeplan.core.roles import Perm, ensure


def ensure_runs(user: Any) -> None:
    ensure(user, Perm.RUN_SCRUTINY)


def apply(instance: models.Model, data: Mapping[str, Any], fields: tuple[str, ...]) -> dict:
    """Set the given fields from `data`, validate, save; the changes for the audit event."""
    before = {name: getattr(instance, name, None) for name in fields}
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    instance.save()
    return {
        name: [None if before[name] is None else str(before[name]), str(getattr(instance, name))]
        for name in fields
        if before[name] != getattr(instance, name)
    }
