"""Scrutiny of the office: the committee (or panel), its people, meetings, papers, minutes and
the actions that come out of them. Reports, recommendations, the office's responses and the
statutory review of a draft plan are in `models_recommendations` (imported at the end).

What the public may see of a meeting is decided in one place, `scrutiny.disclosure`: an
unpublished meeting or paper, and an exempt item with its papers, are withheld from everyone
but those who run scrutiny and the members of that body. `AgendaItem` is what later parts
(recommendations, questions) point to.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from policeplan.core.models import BaseModel
from policeplan.core.uploads import stored_name
from policeplan.scrutiny.formats import BodyFormat


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", "Committee"
    PANEL = "panel", "Panel"


class Committee(BaseModel):
    """The body that scrutinises the office: London's Police and Crime Committee, or a Police
    and Crime Panel elsewhere (its kind follows the office's, `scrutiny.wording`)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    description = models.TextField(blank=True, help_text="What the body does. Markdown.")
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def noun(self) -> str:
        """'committee' or 'panel', for sentences such as 'members of the panel'."""
        return str(self.kind)


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    DEPUTY_CHAIR = "deputy_chair", "Deputy chair"
    MEMBER = "member", "Member"
    CO_OPTED = "co_opted", "Independent co-opted member"


class Member(BaseModel):
    """A seat on the body for a term. A staff account of the committee-member role linked
    here sees this body's papers before they are published (and no other body's)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    affiliation = models.CharField(
        max_length=200, blank=True, help_text="Party, council or organisation, if any."
    )
    term_from = models.DateField("term starts")
    term_to = models.DateField("term ends", null=True, blank=True)
    user = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scrutiny_seats",
        help_text="Their staff account, if they have one.",
    )

    class Meta:
        ordering = ["term_from", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_to__isnull=True)
                | models.Q(term_to__gte=models.F("term_from")),
                name="member_term_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def serving_on(self, day: datetime.date) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)


class Officer(BaseModel):
    """Someone from the office (or the force) who attends the body's meetings."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="officers")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CONFIRMED = "confirmed", "Confirmed"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held"


class Meeting(BaseModel):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, blank=True, help_text="If not the body's name.")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends", null=True, blank=True)
    venue = models.TextField(blank=True, help_text="Address, for meetings in person.")
    online_link = models.URLField(blank=True, help_text="Where to join or watch online.")
    webcast_link = models.URLField(blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.committee.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AgendaItem(BaseModel):
    """A numbered item on a meeting's agenda. Exempt items (and their papers) are withheld
    from the public, who see only the item's number and the reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown.")
    exempt = models.BooleanField(default=False)
    exempt_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why it is exempt, for example 'Information about an individual'.",
    )

    class Meta:
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_item_per_number"),
            models.CheckConstraint(
                condition=models.Q(exempt=False) | ~models.Q(exempt_reason=""),
                name="exempt_item_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def paper_path(instance: Paper, filename: str) -> str:
    """A name the server makes; the sender's file name is kept only as data."""
    return f"scrutiny/papers/{instance.item.meeting_id}/{stored_name(filename)}"


class Paper(BaseModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    file = models.FileField(upload_to=paper_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True, help_text="Data only.")
    size = models.PositiveIntegerField(default=0)
    exempt = models.BooleanField(default=False, help_text="An exempt paper on an open item.")
    exempt_reason = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exempt=False) | ~models.Q(exempt_reason=""),
                name="exempt_paper_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        return self.file_name.rsplit(".", 1)[-1].upper() if "." in self.file_name else ""


class Declaration(BaseModel):
    """A member's declaration of interest at a meeting, on an item or the whole meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="declarations"
    )
    interest = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.interest[:60]}"


class Presence(models.TextChoices):
    PRESENT = "present", "Present"
    REMOTE = "remote", "Attended online"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    """Who came: each member or officer once per meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE)
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.CASCADE)
    presence = models.CharField(max_length=20, choices=Presence.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(member__isnull=True) & models.Q(officer__isnull=False))
                | (models.Q(member__isnull=False) & models.Q(officer__isnull=True)),
                name="attendance_is_a_member_or_an_officer",
            ),
            models.UniqueConstraint(fields=["meeting", "member"], name="member_attends_once"),
            models.UniqueConstraint(fields=["meeting", "officer"], name="officer_attends_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member or self.officer}: {self.get_presence_display()}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Minutes(BaseModel):
    """A meeting's minutes: drafted by staff, approved at a later meeting. The public sees
    them once approved; the minutes of exempt items are kept apart and never published."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(help_text="Markdown. A line starting 'ACTION:' proposes an action.")
    exempt_text = models.TextField(blank=True, help_text="Minutes of exempt items. Never public.")
    status = models.CharField(
        max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_approved",
        verbose_name="approved at the meeting",
    )

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OUTSTANDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(BaseModel):
    """Something a meeting asked someone to do. Proposed from a minutes line ('ACTION: …')
    until staff confirm it; only confirmed actions are public."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.TextField("action")
    owner = models.CharField(max_length=200, blank=True, help_text="Who is to do it.")
    due_on = models.DateField("due", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    dropped_reason = models.TextField(blank=True)
    minutes_line = models.TextField(
        blank=True, help_text="The 'ACTION:' line of the minutes it came from, if any."
    )
    recommendation = models.ForeignKey(
        "scrutiny.Recommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The recommendation it carries out, if any.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""),
                name="dropped_action_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, now: Any = None) -> bool:
        """Past its due date in London (the due date is a London day): due on 24 October
        is overdue from midnight that night, BST or GMT."""
        if self.due_on is None or self.status not in OUTSTANDING:
            return False
        return self.due_on < timezone.localdate(now or timezone.now())


class ActionUpdate(models.Model):
    """A dated note on an action's progress, with the status it moved to."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date")
    text = models.TextField("update")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"


class Subscription(models.Model):
    """Someone who asked for emails about a body's new meetings and papers. No account:
    the address is confirmed by a link (double opt-in) and every email carries a one-click
    unsubscribe link with the same token."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(blank=True, help_text="Erased when they unsubscribe.")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["committee", "confirmed_at", "unsubscribed_at"])]

    def __str__(self) -> str:
        return f"Subscription {self.pk} to {self.committee_id}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


# The decisions log and questions (issue 12, parts 7 and 8) live in their own module.
# The second half of the app's models (reports, recommendations, responses, reviews).
from policeplan.scrutiny.models_recommendations import (  # noqa: E402
    DateChange,
    Milestone,
    MilestoneUpdate,
    OfficeResponse,
    PlanElement,
    PlanReview,
    Recommendation,
    RecommendationLink,
    Report,
    ReportKind,
    ResponseDecision,
)
from policeplan.scrutiny.models_record import (  # noqa: E402
    Decision,
    DecisionDocument,
    DecisionPlanLink,
    PlanLinkKind,
    Question,
    QuestionPlanLink,
    QuestionStatus,
)

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "AgendaItem",
    "Attendance",
    "BodyFormat",
    "BodyKind",
    "Committee",
    "DateChange",
    "Decision",
    "DecisionDocument",
    "DecisionPlanLink",
    "Declaration",
    "Meeting",
    "MeetingStatus",
    "Member",
    "MemberRole",
    "Milestone",
    "MilestoneUpdate",
    "Minutes",
    "MinutesStatus",
    "OfficeResponse",
    "Officer",
    "Paper",
    "PlanElement",
    "PlanLinkKind",
    "PlanReview",
    "Presence",
    "Question",
    "QuestionPlanLink",
    "QuestionStatus",
    "Recommendation",
    "RecommendationLink",
    "Report",
    "ReportKind",
    "ResponseDecision",
    "Subscription",
]
