"""Writes for commentary: the office's words on a measure's figures for a period.

Analysts and policy officers draft it; a policy officer other than the one who last wrote it
approves it (four eyes). Changing approved text makes it a draft again, needing approval
again. Each write is one transaction with its audit event; measure pages see the change at
once (their cache key includes the commentary's last change).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.performance.models import Commentary, CommentaryState

MAX_LENGTH = 10_000


@transaction.atomic
def commentary_save(
    *, user: Any, measure_lineage: str, period_kind: str, period_key: str, text: str
) -> Commentary:
    """Draft commentary for a measure and period, or change it. Changed text is a draft,
    whatever it was before; saving the same text again changes nothing."""
    ensure(user, Perm.WRITE_COMMENTARY)
    text = text.strip()
    if not text:
        raise ValidationError("Enter the commentary")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"Commentary must be {MAX_LENGTH:,} characters or fewer")
    commentary = (
        Commentary.objects.select_for_update()
        .filter(measure_lineage=measure_lineage, period_kind=period_kind, period_key=period_key)
        .first()
    )
    if commentary is not None and commentary.text == text:
        return commentary
    is_new = commentary is None
    if commentary is None:
        commentary = Commentary(
            measure_lineage=measure_lineage,
            period_kind=period_kind,
            period_key=period_key,
            created_by=user,
        )
    before_text, before_state = commentary.text, commentary.state
    commentary.text = text
    commentary.state = CommentaryState.DRAFT
    commentary.drafted_by = user
    commentary.modified_by = user
    commentary.approved_by = None
    commentary.approved_at = None
    commentary.full_clean()
    commentary.save()
    changes: dict[str, Any] = {"text": [None if is_new else before_text, text]}
    if before_state != CommentaryState.DRAFT:
        changes["state"] = [before_state, CommentaryState.DRAFT]
    audit_record(
        actor=user,
        action="commentary.create" if is_new else "commentary.update",
        obj=commentary,
        changes=changes,
    )
    return commentary


@transaction.atomic
def commentary_approve(*, user: Any, commentary: Commentary) -> Commentary:
    """Approve a draft, so it can be published. Not by the person who wrote it."""
    ensure(user, Perm.APPROVE_COMMENTARY)
    commentary = Commentary.objects.select_for_update().get(pk=commentary.pk)
    if commentary.state == CommentaryState.APPROVED:
        return commentary
    if commentary.drafted_by_id == user.pk:
        raise PermissionDenied("You wrote this commentary, so someone else must approve it")
    commentary.state = CommentaryState.APPROVED
    commentary.approved_by = user
    commentary.approved_at = timezone.now()
    commentary.modified_by = user
    commentary.save()
    audit_record(
        actor=user,
        action="commentary.approve",
        obj=commentary,
        changes={"state": [CommentaryState.DRAFT, CommentaryState.APPROVED]},
    )
    return commentary
