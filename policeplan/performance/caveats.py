"""Writes for caveats: the dated notes (series breaks and the like) that every chart, table and
download of the affected measures shows. Each write is one transaction with its audit event;
measure pages see the change at once (their cache key includes the caveats' last change)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record, model_changes
from policeplan.performance.models import Caveat

FIELDS = ("dataset", "effective_from", "title", "text", "categories", "is_series_break")


@transaction.atomic
def caveat_save(*, user: Any, data: dict[str, Any], caveat: Caveat | None = None) -> Caveat:
    """Add a caveat, or change one."""
    ensure(user, Perm.IMPORT_DATA)
    is_new = caveat is None
    target = Caveat() if caveat is None else Caveat.objects.select_for_update().get(pk=caveat.pk)
    before = {name: getattr(target, name) for name in FIELDS} if not is_new else {}
    for name in FIELDS:
        if name in data:
            setattr(target, name, data[name])
    target.full_clean()
    target.save()
    audit_record(
        actor=user,
        action="caveat.create" if is_new else "caveat.update",
        obj=target,
        changes=model_changes(target, FIELDS, before),
    )
    return target


@transaction.atomic
def caveat_remove(*, user: Any, caveat: Caveat) -> None:
    """Remove a caveat; the audit event keeps what it said."""
    ensure(user, Perm.IMPORT_DATA)
    audit_record(
        actor=user,
        action="caveat.remove",
        obj=caveat,
        changes={name: [str(getattr(caveat, name)), None] for name in FIELDS},
    )
    caveat.delete()
