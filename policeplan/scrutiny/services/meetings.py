"""Writes for meetings: the meeting, its agenda and papers, declarations, attendance and
minutes. Publishing a meeting or a paper tells the people who asked for alerts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from policeplan.core import filetypes, jobs
from policeplan.core.services import audit_record
from policeplan.core.uploads import safe_display_name
from policeplan.scrutiny import selectors, tasks
from policeplan.scrutiny.minutes import proposed_actions
from policeplan.scrutiny.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Declaration,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Paper,
)
from policeplan.scrutiny.services._common import apply, ensure_runs

MEETING_FIELDS = ("title", "starts_at", "ends_at", "venue", "online_link", "webcast_link", "status")
ITEM_FIELDS = ("number", "title", "description", "exempt", "exempt_reason")
PAPER_FILE_ERROR = (
    "The attached file must be a PDF, Word document (.doc, .docx, .odt), spreadsheet "
    "(.xls, .xlsx, .ods, .csv) or text file (.txt)"
)
PAPER_FIELDS = ("title", "body", "body_format", "exempt", "exempt_reason", "order")


@transaction.atomic
def meeting_save(
    *, user: Any, committee: Committee, data: Mapping[str, Any], meeting: Meeting | None = None
) -> Meeting:
    ensure_runs(user)
    venue = data.get("venue", meeting.venue if meeting else "")
    link = data.get("online_link", meeting.online_link if meeting else "")
    if not venue and not link:
        raise ValidationError({"venue": "Enter the venue or a link to join online"})
    status = data.get("status", meeting.status if meeting else "")
    starts_at = data.get("starts_at", meeting.starts_at if meeting else None)
    if status == MeetingStatus.HELD and starts_at is not None and starts_at > timezone.now():
        raise ValidationError(
            {"status": "A meeting is held once it has started: choose scheduled or confirmed"}
        )
    created = meeting is None
    meeting = meeting or Meeting(committee=committee, created_by=user)
    before = (meeting.status, meeting.starts_at, meeting.venue, meeting.online_link)
    meeting.modified_by = user
    changes = apply(meeting, data, MEETING_FIELDS)
    audit_record(
        actor=user,
        action="meeting.create" if created else "meeting.update",
        obj=meeting,
        changes=changes,
    )
    if not created and Meeting.objects.filter(pk=meeting.pk, published_at__isnull=False).exists():
        _tell_of_change(meeting, *before)
    return meeting


def _tell_of_change(
    meeting: Meeting, status: str, starts_at: Any, venue: str, online_link: str
) -> None:
    """A published meeting that is cancelled, postponed, moved to another time or another
    place: the people with alerts hear of it, with when it was to be (they may have planned
    to come). Other edits (a title, a webcast link) send nothing."""
    gone = {MeetingStatus.CANCELLED, MeetingStatus.POSTPONED}
    if meeting.status == MeetingStatus.CANCELLED and status != MeetingStatus.CANCELLED:
        kind = "meeting-cancelled"  # a postponed meeting called off for good is news too
    elif meeting.status == MeetingStatus.POSTPONED and status not in gone:
        kind = "meeting-postponed"
    elif meeting.status in gone or meeting.status == MeetingStatus.HELD:
        return
    elif meeting.starts_at != starts_at or (meeting.venue, meeting.online_link) != (
        venue,
        online_link,
    ):
        kind = "meeting-moved"
    else:
        return
    jobs.enqueue(tasks.send_alert_email, kind, meeting.pk, starts_at.isoformat())


@transaction.atomic
def meeting_publish(*, user: Any, meeting: Meeting) -> Meeting:
    """Put the meeting (and its open items) on the public pages and calendar, and tell the
    people who asked for alerts. Publishing twice does nothing the second time."""
    ensure_runs(user)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.published_at is not None:
        return meeting
    meeting.published_at = timezone.now()
    meeting.modified_by = user
    meeting.save(update_fields=["published_at", "modified_by", "modified_at"])
    audit_record(actor=user, action="meeting.publish", obj=meeting)
    if meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        jobs.enqueue(tasks.send_alert_email, "meeting", meeting.pk)
    return meeting


@transaction.atomic
def agenda_item_save(
    *, user: Any, meeting: Meeting, data: Mapping[str, Any], item: AgendaItem | None = None
) -> AgendaItem:
    ensure_runs(user)
    number = data.get("number")
    clash = meeting.items.filter(number=number or 0)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if number is not None and clash.exists():
        raise ValidationError({"number": f"Item {number} is already on this agenda"})
    created = item is None
    item = item or AgendaItem(meeting=meeting, created_by=user)
    item.modified_by = user
    data = {**data, "exempt_reason": data.get("exempt_reason", "") if data.get("exempt") else ""}
    if data.get("exempt") and not data["exempt_reason"].strip():
        raise ValidationError({"exempt_reason": "Enter why the item is exempt"})
    changes = apply(item, data, ITEM_FIELDS)
    audit_record(
        actor=user,
        action="agenda_item.create" if created else "agenda_item.update",
        obj=item,
        changes=changes,
    )
    return item


@transaction.atomic
def paper_save(
    *,
    user: Any,
    item: AgendaItem,
    data: Mapping[str, Any],
    upload: UploadedFile | None = None,
    paper: Paper | None = None,
) -> Paper:
    """Add or change a paper: an HTML or Markdown body, an attached file, or both. The file
    is stored under a name the server makes; its own name is kept only as data."""
    ensure_runs(user)
    data = {**data, "exempt_reason": data.get("exempt_reason", "") if data.get("exempt") else ""}
    if data.get("exempt") and not data["exempt_reason"].strip():
        raise ValidationError({"exempt_reason": "Enter why the paper is exempt"})
    if upload is not None and not filetypes.is_document(upload.name or "", upload):
        raise ValidationError({"upload": PAPER_FILE_ERROR})
    has_file = upload is not None or (paper is not None and bool(paper.file))
    if not str(data.get("body", "")).strip() and not has_file:
        raise ValidationError({"body": "Enter the paper’s text or attach its file"})
    created = paper is None
    paper = paper or Paper(item=item, created_by=user)
    paper.modified_by = user
    if upload is not None:
        paper.original_name = safe_display_name(upload.name or "paper")
        paper.size = upload.size or 0
        paper.file.save(paper.original_name, upload, save=False)
    stored = ("file", "original_name", "size") if upload is not None else ()
    changes = apply(paper, data, PAPER_FIELDS, also=stored)
    if upload is not None:
        changes["file"] = [None, paper.original_name]
    audit_record(
        actor=user, action="paper.create" if created else "paper.update", obj=paper, changes=changes
    )
    return paper


@transaction.atomic
def paper_publish(*, user: Any, paper: Paper) -> Paper:
    """Publish a paper: the public see it once its meeting is published too (unless it, or
    its item, is exempt). People with alerts hear of it when they can read it."""
    ensure_runs(user)
    paper = Paper.objects.select_for_update().select_related("item__meeting").get(pk=paper.pk)
    if paper.published_at is not None:
        return paper
    paper.published_at = timezone.now()
    paper.modified_by = user
    paper.save(update_fields=["published_at", "modified_by", "modified_at"])
    audit_record(actor=user, action="paper.publish", obj=paper)
    if paper.item.meeting.is_published:
        jobs.enqueue(tasks.send_alert_email, "paper", paper.pk)
    return paper


@transaction.atomic
def declaration_add(*, user: Any, meeting: Meeting, data: Mapping[str, Any]) -> Declaration:
    ensure_runs(user)
    member, item = data["member"], data.get("item")
    if member.committee_id != meeting.committee_id:
        raise ValidationError({"member": "Choose a member of this body"})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item on this meeting’s agenda"})
    declaration = Declaration(
        meeting=meeting, member=member, item=item, interest=data["interest"], created_by=user
    )
    declaration.full_clean()
    declaration.save()
    audit_record(actor=user, action="declaration.create", obj=declaration)
    return declaration


@transaction.atomic
def attendance_record(
    *, user: Any, meeting: Meeting, members: Mapping[int, str], officers: Mapping[int, str]
) -> Meeting:
    """Record who came: each member's and officer's presence ('' leaves them off the list)."""
    ensure_runs(user)
    meeting.attendance.all().delete()
    rows = [
        Attendance(meeting=meeting, member_id=pk, presence=presence)
        for pk, presence in members.items()
        if presence
    ] + [
        Attendance(meeting=meeting, officer_id=pk, presence=presence)
        for pk, presence in officers.items()
        if presence
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)
    Attendance.objects.bulk_create(rows)
    audit_record(
        actor=user,
        action="meeting.attendance",
        obj=meeting,
        changes={"recorded": [None, str(len(rows))]},
    )
    return meeting


@transaction.atomic
def minutes_save(*, user: Any, meeting: Meeting, text: str, exempt_text: str = "") -> Minutes:
    """Save draft minutes. Each new 'ACTION:' line becomes an action for staff to confirm
    (a line already proposed is not proposed again). Approved minutes are not changed."""
    ensure_runs(user)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status == MinutesStatus.APPROVED:
        raise ValidationError({"text": "These minutes are approved, so they cannot be changed"})
    created = minutes is None
    minutes = minutes or Minutes(meeting=meeting, created_by=user)
    minutes.modified_by = user
    changes = apply(minutes, {"text": text, "exempt_text": exempt_text}, ("text", "exempt_text"))
    known = set(meeting.actions.exclude(minutes_line="").values_list("minutes_line", flat=True))
    proposed = [p for p in proposed_actions(text) if p.line not in known]
    Action.objects.bulk_create(
        Action(
            meeting=meeting,
            text=p.text,
            owner=p.owner,
            minutes_line=p.line,
            created_by=user,
            modified_by=user,
        )
        for p in proposed
    )
    if proposed:
        changes["proposed_actions"] = [None, str(len(proposed))]
    audit_record(
        actor=user,
        action="minutes.create" if created else "minutes.update",
        obj=minutes,
        changes=changes,
    )
    return minutes


@transaction.atomic
def minutes_approve(*, user: Any, minutes: Minutes, at_meeting: Meeting) -> Minutes:
    """Record that a later meeting of the same body approved the minutes as a correct record;
    they are then public (all but the minutes of exempt items)."""
    ensure_runs(user)
    meeting = minutes.meeting
    if at_meeting.pk not in {m.pk for m in selectors.later_meetings(meeting=meeting)}:
        raise ValidationError(
            {
                "at_meeting": "Choose a later published meeting of the same body that has "
                "already started"
            }
        )
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError({"at_meeting": "These minutes are already approved"})
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_by = at_meeting
    minutes.modified_by = user
    minutes.save(update_fields=["status", "approved_by", "modified_by", "modified_at"])
    audit_record(
        actor=user,
        action="minutes.approve",
        obj=minutes,
        changes={"approved_by": [None, str(at_meeting.pk)]},
    )
    return minutes
