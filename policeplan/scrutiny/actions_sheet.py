"""The actions spreadsheet: one declaration of its columns for the staff export, the import
that reads the edited file back (`services.actions_import`), and the public download.

A row with an ID is that action (its meeting cannot change); a row without one is a new
action on the meeting held that day. 'Update date' and 'Update' hold the action's latest
update: change them to add a new one (a status change needs one, as on the staff page).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from policeplan.core import spreadsheet as sheet
from policeplan.scrutiny.models import Action, ActionStatus

STATUS_LABELS = dict(ActionStatus.choices)


def _status(value: Any) -> str:
    return str(STATUS_LABELS.get(value, value or ""))


COLUMNS = (
    sheet.Column("ID", "id", sheet.integer()),
    sheet.Column("Meeting date", "meeting_on", sheet.date(required=True)),
    sheet.Column("Item", "item", sheet.integer(maximum=999)),
    sheet.Column("Action", "text", sheet.text(required=True)),
    sheet.Column("Owner", "owner", sheet.text(max_length=200, single_line=True)),
    sheet.Column("Due date", "due_on", sheet.date()),
    sheet.Column("Status", "status", sheet.choice(ActionStatus.choices), write=_status),
    sheet.Column("Dropped reason", "dropped_reason", sheet.text()),
    sheet.Column("Update date", "update_on", sheet.date()),
    sheet.Column("Update", "update", sheet.text()),
)

ACTIONS = sheet.Sheet(columns=COLUMNS)


def _yes_no(value: Any) -> str:
    return "Yes" if value else "No"


# The public download: the same columns, and whether each is overdue today.
PUBLIC_ACTIONS = sheet.Sheet(
    columns=(*COLUMNS, sheet.Column("Overdue", "overdue", sheet.text(), write=_yes_no))
)


def record(action: Action, *, now: Any = None) -> dict[str, Any]:
    """An action as its row holds it (its updates prefetched, oldest first)."""
    updates = list(action.updates.all())
    latest = updates[-1] if updates else None
    return {
        "id": action.pk,
        "meeting_on": timezone.localdate(action.meeting.starts_at),
        "item": action.item.number if action.item else None,
        "text": action.text,
        "owner": action.owner,
        "due_on": action.due_on,
        "status": action.status,
        "dropped_reason": action.dropped_reason,
        "update_on": latest.on if latest else None,
        "update": latest.text if latest else "",
        "overdue": action.is_overdue(now),
    }
