"""Writes for actions: added by staff, or proposed by minutes and confirmed; then dated
updates that move their status (dropping one needs a reason)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from policeplan.core.services import audit_record
from policeplan.scrutiny.models import Action, ActionStatus, ActionUpdate, Meeting
from policeplan.scrutiny.services._common import apply, ensure_runs

ACTION_FIELDS = ("item", "text", "owner", "due_on", "recommendation")


def _check_item(meeting: Meeting, data: Mapping[str, Any]) -> None:
    item = data.get("item")
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item on this meeting’s agenda"})
    recommendation = data.get("recommendation")
    if recommendation is not None and recommendation.report.committee_id != meeting.committee_id:
        raise ValidationError({"recommendation": "Choose a recommendation of this body’s reports"})


@transaction.atomic
def action_save(
    *, user: Any, meeting: Meeting, data: Mapping[str, Any], action: Action | None = None
) -> Action:
    """Add an action (confirmed: staff wrote it) or change one's details."""
    ensure_runs(user)
    _check_item(meeting, data)
    created = action is None
    action = action or Action(meeting=meeting, created_by=user, confirmed_at=timezone.now())
    action.modified_by = user
    changes = apply(action, data, ACTION_FIELDS)
    audit_record(
        actor=user,
        action="action.create" if created else "action.update",
        obj=action,
        changes=changes,
    )
    return action


@transaction.atomic
def action_confirm(*, user: Any, action: Action, data: Mapping[str, Any]) -> Action:
    """Confirm an action the minutes proposed, with its details as staff settle them."""
    ensure_runs(user)
    _check_item(action.meeting, data)
    if action.confirmed_at is not None:
        raise ValidationError("This action is already confirmed")
    action.confirmed_at = timezone.now()
    action.modified_by = user
    changes = apply(action, data, ACTION_FIELDS, also=("confirmed_at",))
    audit_record(actor=user, action="action.confirm", obj=action, changes=changes)
    return action


@transaction.atomic
def action_update_add(
    *,
    user: Any,
    action: Action,
    on: datetime.date,
    text: str,
    status: str,
    dropped_reason: str = "",
) -> ActionUpdate:
    """A dated update on progress; the action takes the update's status."""
    ensure_runs(user)
    if action.confirmed_at is None:
        raise ValidationError("Confirm the action before recording progress on it")
    if status == ActionStatus.DROPPED and not dropped_reason.strip():
        raise ValidationError({"dropped_reason": "Enter why the action was dropped"})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date of the update must be today or in the past"})
    update = ActionUpdate(action=action, on=on, text=text, status=status, created_by=user)
    update.full_clean()
    update.save()
    before = action.status
    action.status = status
    action.dropped_reason = dropped_reason.strip() if status == ActionStatus.DROPPED else ""
    action.modified_by = user
    action.full_clean()
    action.save()
    audit_record(
        actor=user,
        action="action.progress",
        obj=action,
        changes={"status": [before, status]} if before != status else {},
    )
    return update
