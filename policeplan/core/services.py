"""Writes for the core context. Each runs in one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction

from policeplan.core.models import AuditEvent, Office, User
from policeplan.core.roles import Perm, Role, ensure


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an audit event. Call inside the service's transaction."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_label=actor_user.email if actor_user else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
    )


def model_changes(instance: models.Model, fields: Sequence[str], before: Mapping[str, Any]) -> dict:
    """The fields whose values differ from `before`, as {field: [old, new]} strings."""
    out = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if old != new:
            out[name] = [None if old is None else str(old), None if new is None else str(new)]
    return out


@transaction.atomic
def office_save(
    *,
    name: str,
    kind: str,
    force_area: str,
    force_name: str,
    short_name: str = "",
    contact_email: str = "",
    actor: Any = None,
) -> Office:
    """Create or update the one office this installation serves."""
    if actor is not None:
        ensure(actor, Perm.ADMINISTER)
    office = Office.objects.first() or Office()
    created = office.pk is None
    for field, value in {
        "name": name,
        "kind": kind,
        "force_area": force_area,
        "force_name": force_name,
        "short_name": short_name,
        "contact_email": contact_email,
    }.items():
        setattr(office, field, value)
    office.full_clean()
    office.save()
    audit_record(actor=actor, action="office.create" if created else "office.update", obj=office)
    return office


@transaction.atomic
def user_create(*, email: str, full_name: str, role: str, password: str, actor: Any = None) -> User:
    """Create a staff account. The password must pass the configured validators."""
    if actor is not None:
        ensure(actor, Perm.ADMINISTER)
    if role not in Role.values:
        raise ValueError(f"Unknown role '{role}'. Choose one of: {', '.join(Role.values)}.")
    user = User(email=email.strip().lower(), full_name=full_name, role=role)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, changes={"role": [None, role]})
    return user
