"""Consultations on a plan version: questionnaires, responses, events and written submissions.

Personal details live apart from what people said: `RespondentContact` (name and email) and
`EqualityRecord` (equality monitoring) are separate tables, so the retention job can erase
the first, the equality reports can only ever aggregate the second, and the answers stay for
analysis.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from policeplan.core.models import BaseModel


class Status(models.TextChoices):
    UNPUBLISHED = "unpublished", "Not yet published"
    FORTHCOMING = "forthcoming", "Forthcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Consultation(BaseModel):
    plan_version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(help_text="What the consultation is about. Markdown.")
    opens_at = models.DateTimeField("opens")
    closes_at = models.DateTimeField("closes")
    privacy_notice = models.TextField(
        help_text="Who holds the responses, why, for how long and people's rights. Markdown."
    )
    retain_until = models.DateField(
        "keep personal details until",
        help_text="After this date names and email addresses are erased; answers are kept.",
    )
    one_page = models.BooleanField(
        "show every question on one page",
        default=False,
        help_text="For short questionnaires. Otherwise each section has its own page.",
    )
    contact_email = models.EmailField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    results_summary = models.TextField(
        "results", blank=True, help_text="What people said and what changed. Markdown."
    )
    results_published_at = models.DateTimeField(null=True, blank=True)
    personal_details_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status(self, now: Any = None) -> Status:
        now = now or timezone.now()
        if self.published_at is None:
            return Status.UNPUBLISHED
        if now < self.opens_at:
            return Status.FORTHCOMING
        if now < self.closes_at:
            return Status.OPEN
        return Status.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status() == Status.OPEN

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


class Stage(BaseModel):
    """A dated milestone on the consultation's public timeline."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="stages")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField("date")
    ends_on = models.DateField("end date", null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class Section(BaseModel):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Shown above the questions. Markdown.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    FREE_TEXT = "free_text", "Free text"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    AGREE_SCALE = "agree_scale", "Agree or disagree"
    PRIORITY_SCALE = "priority_scale", "Agree or disagree, once for each plan priority"
    PRIORITY_RANKING = "priority_ranking", "Rank the plan's priorities"
    BOROUGH = "borough", "Borough"
    POSTCODE_DISTRICT = "postcode_district", "Postcode district"
    RESPONDENT_TYPE = "respondent_type", "Individual or organisation"


class Question(BaseModel):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=30, choices=QuestionKind.choices)
    text = models.CharField("question", max_length=300)
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    max_length = models.PositiveIntegerField(
        "character limit", null=True, blank=True, help_text="For free text. Default 2,000."
    )
    options = models.JSONField(
        default=list, blank=True, help_text="For single and multiple choice."
    )
    priority = models.ForeignKey(
        "plans.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan priority this question asks about, shown beside it.",
    )
    chapter = models.ForeignKey(
        "plans.Chapter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan chapter this question asks about, shown beside it.",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def limit(self) -> int:
        return self.max_length or 2000


class Channel(models.TextChoices):
    ONLINE = "online", "Online questionnaire"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    EVENT = "event", "Public meeting or workshop"
    FOCUS_GROUP = "focus_group", "Focus group"
    STAKEHOLDER = "stakeholder", "Stakeholder forum"
    IMPORTED = "imported", "Imported from another survey tool"


WRITTEN_CHANNELS = [Channel.EMAIL, Channel.LETTER, Channel.STAKEHOLDER]


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Not yet sent"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RespondentType(models.TextChoices):
    INDIVIDUAL = "individual", "As an individual"
    ORGANISATION = "organisation", "On behalf of an organisation"


class PublishConsent(models.TextChoices):
    ANONYMOUS = "anonymous", "Yes, you may publish my response without my name"
    NO = "no", "No, do not publish my response"


class Response(models.Model):
    """One person's or organisation's response, from any channel.

    `token` is the idempotency key: the form that submits a response carries it, so a double
    click or a retried request finds the same row instead of making a second one.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    external_id = models.CharField(
        max_length=100, blank=True, help_text="Its id in the tool it was imported from."
    )
    respondent_type = models.CharField(max_length=20, choices=RespondentType.choices, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    borough_code = models.CharField(max_length=9, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)
    publish_consent = models.CharField(
        max_length=20, choices=PublishConsent.choices, default=PublishConsent.NO
    )
    # Written submissions: the letter or email, and the text taken from it.
    body = models.TextField(blank=True)
    # Stored under a name the server makes; the sender's file name is kept only as data.
    document = models.FileField(upload_to="consultations/submissions/%Y/%m/", blank=True)
    document_name = models.CharField(
        "file name as received", max_length=255, blank=True, help_text="Data only, never a path."
    )
    received_on = models.DateField(null=True, blank=True)
    resume_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    resume_expires_at = models.DateTimeField(null=True, blank=True)
    # An online response sent without an email address: a keyed hash of the code shown once
    # on its confirmation page, asked for to withdraw it. Never shown to staff or exported.
    withdrawal_code_hash = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    # When an unsent response was last saved: one left longer than a session lasts (and not
    # saved for later with a code) is deleted by `consultations_retention`.
    touched_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["consultation", "status", "channel"])]

    def __str__(self) -> str:
        return self.reference or f"Response {self.pk} (not yet sent)"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(help_text="A string, a list of strings or {priority: answer}.")
    text = models.TextField(help_text="The answer as plain text, for reading and searching.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class RespondentContact(models.Model):
    """Who responded, when they told us. Erased after the consultation's retention date."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Contact for {self.response}"


class EqualityRecord(models.Model):
    """Equality monitoring answers: never shown one by one, only counted above a cell size."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="equality")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Equality record {self.pk}"


class EventKind(models.TextChoices):
    TOWN_HALL = "town_hall", "Town-hall meeting"
    WORKSHOP = "online_workshop", "Online workshop"
    FOCUS_GROUP = "focus_group", "Focus group"
    STAKEHOLDER = "stakeholder_forum", "Stakeholder forum"


class Event(BaseModel):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    borough_code = models.CharField("borough", max_length=9, blank=True)
    venue = models.TextField(blank=True, help_text="Address, for events in person.")
    online_link = models.URLField(blank=True, help_text="Sent to people who register.")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    capacity = models.PositiveIntegerField()
    access_information = models.TextField(
        blank=True, help_text="Step-free access, hearing loops, British Sign Language and so on."
    )
    public_registration = models.BooleanField(
        default=True, help_text="Untick for invitation-only focus groups and forums."
    )
    notes = models.TextField(
        blank=True, help_text="What was discussed. Counts as evidence for the analysis."
    )
    issues_raised = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    access_needs = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    cancel_token = models.CharField(max_length=64, unique=True)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Registration {self.pk} for {self.event}"
