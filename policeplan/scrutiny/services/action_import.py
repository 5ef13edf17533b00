"""Import the actions spreadsheet (`scrutiny.actions_sheet`) a body's staff exported and
edited: all or nothing.

Every row is checked first (the file by `core.spreadsheet`, then this body's rules: the ID is
one of this body's confirmed actions and appears once, the meeting is this body's and held
that day, the item is on its agenda, a status change comes with a dated update, a dropped
action has its reason), and every problem is given at once with its line and column. Only
a file without any is written, in one transaction, through the same services the staff
pages use (`action_save`, `action_update_add`), so the rules they enforce hold here too.
Rows that change nothing write nothing: importing a file just exported changes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from policeplan.core import dates
from policeplan.core.services import audit_record
from policeplan.core.spreadsheet import Problems, Row, write_rows
from policeplan.safecells import REPLACEMENT, UNSAFE_CHARACTERS
from policeplan.scrutiny.actions_sheet import ACTIONS, STATUS_LABELS
from policeplan.scrutiny.models import Action, ActionStatus, ActionUpdate, Committee, Meeting
from policeplan.scrutiny.services._common import ensure_runs
from policeplan.scrutiny.services.actions import action_save, action_update_add

# Which column a service's error names, by the field it names.
COLUMN_OF = {
    "item": "Item",
    "text": "Action",
    "owner": "Owner",
    "due_on": "Due date",
    "status": "Status",
    "dropped_reason": "Dropped reason",
    "on": "Update date",
}


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    updates: int = 0

    @property
    def nothing(self) -> bool:
        return not (self.created or self.changed or self.updates)


@dataclass
class _Change:
    line: int
    meeting: Meeting
    action: Action | None  # None: a new action
    data: dict[str, Any] = field(default_factory=dict)  # for action_save, if anything changed
    update: tuple[datetime.date, str] | None = None
    status: str = ActionStatus.OPEN
    dropped_reason: str = ""


def same(a: Any, b: Any) -> bool:
    """Text compared as a spreadsheet keeps it: line ends and trailing spaces aside, and a
    control character the export wrote as U+FFFD (`safecells`) the same as that character,
    so a row sent back unchanged is unchanged."""

    def norm(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = UNSAFE_CHARACTERS.sub(REPLACEMENT, value)
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines).strip()

    return norm(a) == norm(b)


def _label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


class _Refused(Exception):
    """This row has a problem (already added): check the next one."""


class _Checker:
    def __init__(self, committee: Committee, problems: Problems) -> None:
        self.committee = committee
        self.problems = problems
        self.today = timezone.localdate()
        meetings = committee.meetings.prefetch_related("items")
        self.by_day: dict[datetime.date, list[Meeting]] = defaultdict(list)
        self.items: dict[int, dict[int, Any]] = {}
        for meeting in meetings:
            self.by_day[timezone.localdate(meeting.starts_at)].append(meeting)
            self.items[meeting.pk] = {item.number: item for item in meeting.items.all()}
        self.actions = {
            a.pk: a
            for a in Action.objects.filter(meeting__committee=committee)
            .select_related("meeting", "item")
            .prefetch_related(
                Prefetch("updates", queryset=ActionUpdate.objects.order_by("on", "id"))
            )
        }
        self.seen: dict[int, int] = {}

    def refuse(self, row: Row, message: str, column: str = "") -> _Refused:
        self.problems.add(message, line=row.line, column=column)
        return _Refused()

    def _action(self, row: Row) -> Action | None:
        """The row's action, or None for a new one."""
        number = row.values["id"]
        if number is None:
            return None
        if number in self.seen:
            raise self.refuse(
                row, f"action {number} is also on line {self.seen[number]}: one row each", "ID"
            )
        self.seen[number] = row.line
        action = self.actions.get(number)
        if action is None:
            raise self.refuse(
                row,
                f"there is no action {number} among the {self.committee.noun}’s actions: "
                "leave the ID empty to add a new action",
                "ID",
            )
        if action.confirmed_at is None:
            raise self.refuse(
                row,
                f"action {number} was proposed by the minutes and is not confirmed yet: "
                "confirm it on its page first",
                "ID",
            )
        return action

    def _meeting(self, row: Row, action: Action | None) -> Meeting:
        day = row.values["meeting_on"]
        if action is not None:
            held = timezone.localdate(action.meeting.starts_at)
            if day != held:
                raise self.refuse(
                    row,
                    f"an action stays with the meeting it came from (on {dates.day(held)}): "
                    "put that date back, or add a new row without an ID",
                    "Meeting date",
                )
            return action.meeting
        found = self.by_day.get(day, [])
        noun = self.committee.noun
        if not found:
            raise self.refuse(row, f"the {noun} has no meeting on {dates.day(day)}", "Meeting date")
        if len(found) > 1:
            raise self.refuse(
                row,
                f"the {noun} has {len(found)} meetings on {dates.day(day)}: "
                "add this action on its meeting’s page instead",
                "Meeting date",
            )
        return found[0]

    def _update(self, row: Row, action: Action | None) -> tuple[datetime.date, str] | None:
        """The new update the row adds, if any."""
        on, text = row.values["update_on"], row.values["update"]
        updates = list(action.updates.all()) if action is not None else []
        if updates and on == updates[-1].on and same(text, updates[-1].text):
            return None  # the latest update, as exported
        if not text and on is None:
            return None
        if not text:
            raise self.refuse(row, "write the update, or clear its date", "Update")
        if on is None:
            raise self.refuse(row, "enter the date of the update, like 01/03/2026", "Update date")
        if on > self.today:
            raise self.refuse(
                row, "the date of the update must be today or in the past", "Update date"
            )
        return on, text

    def _status(self, row: Row, action: Action | None, update: Any) -> None:
        status, reason = row.values["status"], row.values["dropped_reason"]
        if status == ActionStatus.DROPPED and not reason:
            raise self.refuse(row, "enter why the action was dropped", "Dropped reason")
        before = action.status if action else ActionStatus.OPEN
        before_reason = action.dropped_reason if action else ""
        moved = status != before or (
            status == ActionStatus.DROPPED and not same(reason, before_reason)
        )
        if moved and update is None:
            what = (
                f"the status changes from {_label(before)} to {_label(status)}"
                if status != before
                else "the reason it was dropped changes"
            )
            raise self.refuse(
                row, f"{what}: say why in a new update, with its date in ‘Update date’", "Update"
            )

    def check(self, row: Row) -> _Change | None:
        """What the row changes, or None (with its problem added)."""
        try:
            return self._check(row)
        except _Refused:
            return None

    def _check(self, row: Row) -> _Change:
        v = row.values
        action = self._action(row)
        meeting = self._meeting(row, action)
        item = None
        if v["item"] is not None:
            item = self.items[meeting.pk].get(v["item"])
            if item is None:
                raise self.refuse(
                    row,
                    f"the meeting on {dates.day(v['meeting_on'])} has no item {v['item']}",
                    "Item",
                )
        update = self._update(row, action)
        self._status(row, action, update)
        wanted = {"item": item, "text": v["text"], "owner": v["owner"], "due_on": v["due_on"]}
        if action is not None and all(same(getattr(action, k), wanted[k]) for k in wanted):
            wanted = {}
        status = v["status"]
        return _Change(
            line=row.line,
            meeting=meeting,
            action=action,
            data=wanted,
            update=update,
            status=status,
            dropped_reason=v["dropped_reason"] if status == ActionStatus.DROPPED else "",
        )


def _apply(user: Any, change: _Change, result: ImportResult) -> None:
    action = change.action
    if action is None:
        action = action_save(user=user, meeting=change.meeting, data=change.data)
        result.created += 1
    elif change.data:
        action_save(user=user, meeting=change.meeting, data=change.data, action=action)
        result.changed += 1
    if change.update is not None:
        on, text = change.update
        action_update_add(
            user=user,
            action=action,
            on=on,
            text=text,
            status=change.status,
            dropped_reason=change.dropped_reason,
        )
        result.updates += 1


def actions_import(*, user: Any, committee: Committee, data: bytes, name: str) -> ImportResult:
    """Take the edited actions spreadsheet of `committee`: all of it, or nothing with every
    problem named (`core.spreadsheet.Refused`, a ValidationError on the field 'file')."""
    ensure_runs(user)
    problems = Problems(name)
    rows = ACTIONS.read(data, name=name, problems=problems)
    checker = _Checker(committee, problems)
    changes = [c for row in rows if (c := checker.check(row)) is not None]
    problems.raise_if_any()
    result = ImportResult()
    with transaction.atomic():
        write_rows(
            problems,
            ((c.line, partial(_apply, user, c, result)) for c in changes),
            column_of=COLUMN_OF,
        )
        if not result.nothing:
            audit_record(
                actor=user,
                action="actions.import",
                obj=committee,
                changes={
                    "file": problems.name,
                    "created": result.created,
                    "changed": result.changed,
                    "updates": result.updates,
                },
            )
    return result
