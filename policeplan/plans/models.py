"""Plans, their versions and everything a version contains.

A Plan has numbered PlanVersions. A version is a draft (editable, staff only) until it is
published as the consultation draft or as the final plan; from then on it never changes, and
changes make a new version. Every item inside a version carries a `lineage` that its copies in
later versions keep, so two versions can be compared item by item.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from policeplan.core.models import BaseModel
from policeplan.core.uploads import stored_name


class Plan(BaseModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Consultation draft"
    FINAL = "final", "Final plan"


class PlanVersion(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    label = models.CharField(
        max_length=120, blank=True, help_text="For example 'Variation, March 2024'."
    )
    summary = models.TextField(
        "introduction", blank=True, help_text="Shown at the top of the plan. Markdown."
    )
    grants_statement = models.TextField(
        "statement on crime and disorder reduction grants",
        blank=True,
        help_text="Use this when the plan makes no grants, to say so and why.",
    )
    change_note = models.TextField(blank=True, help_text="What changed from the previous version.")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(state="draft", archived_at__isnull=True),
                name="plan_one_open_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.title}, version {self.number} ({self.get_state_display().lower()})"

    @property
    def is_public(self) -> bool:
        return self.state != VersionState.DRAFT

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def display_name(self) -> str:
        name = f"Version {self.number}: {self.get_state_display()}"
        return f"{name} ({self.label})" if self.label else name


class VersionedItem(BaseModel):
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]
        base_manager_name = "all_objects"


class StatutoryElement(models.TextChoices):
    NONE = "", "None in particular"
    POLICING = "policing", "The policing the chief officer is to provide"


class Chapter(VersionedItem):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    body = models.TextField(help_text="Markdown: ## for headings, * for bullet points.")
    statutory_element = models.CharField(
        "this chapter sets out",
        max_length=20,
        choices=StatutoryElement.choices,
        blank=True,
        default="",
    )

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class Priority(VersionedItem):
    """A police and crime objective."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    summary = models.TextField(blank=True, help_text="Markdown.")

    class Meta(VersionedItem.Meta):
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class Outcome(VersionedItem):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class DataSourceKind(models.TextChoices):
    RECORDED_CRIME = "recorded_crime", "Police recorded crime (MPS / force data)"
    POLICE_UK = "police_uk", "data.police.uk street-level crime and outcomes"
    STOP_SEARCH = "stop_search", "Stop and search records"
    SURVEY = "survey", "Public Attitude Survey"
    VICTIM_SURVEY = "victim_survey", "Victim satisfaction survey"
    CRIMINAL_JUSTICE = "criminal_justice", "Criminal justice system data"
    OTHER = "other", "Other (described in the methodology)"


class Unit(models.TextChoices):
    COUNT = "count", "Number"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000 residents"
    PERCENTAGE = "percentage", "Percentage"


class Direction(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"
    NEITHER = "neither", "Neither (context measure)"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"


class GeographyLevel(models.TextChoices):
    FORCE = "force", "Force area"
    BCU = "bcu", "Basic command unit"
    BOROUGH = "borough", "Borough"
    WARD = "ward", "Ward"


class MeasureDataset(models.TextChoices):
    NONE = "", "Not computed here (entered from another source)"
    STREET = "street", "data.police.uk street-level crime"
    MPS_CRIME = "mps_crime", "MPS recorded crime"
    STOP_SEARCH = "stop_search", "Stop and search"
    OUTCOMES = "outcomes", "Crime outcomes (a share of the outcomes recorded)"
    OUTCOME_RATE = "outcome_rate", "Outcome rate (chosen outcomes ÷ crimes recorded)"
    PAS = "pas", "Public Attitude Survey"


class TargetKind(models.TextChoices):
    NONE = "", "No numeric target"
    LEVEL = "level", "A figure to reach"
    CHANGE = "change", "A change from the baseline, in per cent"


class Measure(VersionedItem):
    # What staff write about a measure: the form edits these and version comparison reads them.
    CONTENT_FIELDS = (
        "title",
        "description",
        "data_source_kind",
        "unit",
        "direction",
        "geography_levels",
        "frequency",
        "baseline_period",
        "target",
        "target_kind",
        "target_value",
        "owner",
        "dataset",
        "concepts",
        "categories",
        "numerator_categories",
    )

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    data_source_kind = models.CharField(
        "data source", max_length=30, choices=DataSourceKind.choices
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField("direction of good", max_length=10, choices=Direction.choices)
    geography_levels = models.JSONField(default=list)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    baseline_period = models.CharField(
        max_length=40, blank=True, help_text="For example '2021-22' or 'year to March 2022'."
    )
    target = models.CharField(
        max_length=200, blank=True, help_text="Optional. For example 'A 10% reduction by 2025'."
    )
    target_kind = models.CharField(
        "numeric target", max_length=10, choices=TargetKind.choices, blank=True, default=""
    )
    target_value = models.FloatField(
        null=True,
        blank=True,
        help_text="A figure to reach in the measure's unit (a percentage as 0 to 100), or a "
        "change from the baseline in per cent (-10 for a 10% reduction).",
    )
    owner = models.CharField(max_length=200, blank=True, help_text="Who is accountable.")
    # How the figures are computed from imported data (blank: not computed by the system).
    dataset = models.CharField(
        "computed from", max_length=20, choices=MeasureDataset.choices, blank=True, default=""
    )
    concepts = models.JSONField(
        default=list,
        blank=True,
        help_text="What it counts, as crosswalk concepts (slugs): each stands for the source's "
        "category names across its schemes. When given, they replace `categories`.",
    )
    categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Crime types, MPS categories, survey questions or outcomes; empty means all.",
    )
    numerator_categories = models.JSONField(
        default=list,
        blank=True,
        help_text="For a percentage of records: the outcomes that count towards it (like Arrest).",
    )

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return self.title

    def target_text(self) -> str:
        """The numeric target in words, as the public reads it."""
        if self.target_value is None or not self.target_kind:
            return ""
        if self.target_kind == TargetKind.CHANGE:
            word = "reduction" if self.target_value < 0 else "increase"
            return (
                f"A {abs(self.target_value):g}% {word} from the baseline ({self.baseline_period})"
            )
        from policeplan.performance import units  # the one place a figure gets its unit

        sign = "%" if self.unit == "percentage" else ""
        return units.join(f"{self.target_value:,g}{sign}", units.words(self.unit, self.dataset))

    def geography_labels(self) -> list[str]:
        labels = dict(GeographyLevel.choices)
        return [str(labels.get(level, level)) for level in self.geography_levels]


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DELAYED = "delayed", "Delayed"


class Commitment(VersionedItem):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="commitments")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    text = models.TextField("commitment")
    owner = models.CharField(max_length=200)
    due_on = models.DateField("due date", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.NOT_STARTED
    )

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def overdue(self) -> bool:
        """Its due date has passed (London time) and it is not done."""
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.status != CommitmentStatus.DONE
        )


money = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01"))],
}


class ResourceLine(VersionedItem):
    """A budget line: what the office provides to the chief officer and spends itself."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="resources")
    heading = models.CharField(max_length=200)
    financial_year = models.CharField(max_length=9, help_text="For example 2024-25.")
    amount = models.DecimalField("amount (£)", **money)  # type: ignore[arg-type]
    notes = models.TextField(blank=True)

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.heading} ({self.financial_year})"


class Grant(VersionedItem):
    """A crime and disorder reduction grant (PRSRA 2011, s.9) and its conditions."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="grants")
    recipient = models.CharField(max_length=200)
    purpose = models.TextField()
    amount = models.DecimalField("amount (£)", **money)  # type: ignore[arg-type]
    financial_year = models.CharField(max_length=9, help_text="For example 2024-25.")
    conditions = models.TextField(blank=True)

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.recipient}: {self.purpose[:60]}"


class ReportingArrangement(VersionedItem):
    """How the chief officer reports to the office, and the office to the public."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reporting")
    title = models.CharField(max_length=200)
    description = models.TextField()
    frequency = models.CharField(max_length=80, help_text="For example 'Quarterly'.")

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class DocumentKind(models.TextChoices):
    EASY_READ = "easy_read", "Easy-read version"
    EQUALITY = "equality", "Equality Impact Assessment"
    OTHER_FORMAT = "other_format", "Other format (for example large print or a translation)"
    SUPPORTING = "supporting", "Supporting document"


def document_path(instance: Document, filename: str) -> str:
    """Where an uploaded document is stored: a name the server makes, never the sender's
    (which is kept only as data, in `Document.original_name`)."""
    return f"plans/{instance.version.plan_id}/v{instance.version.number}/{stored_name(filename)}"


class Document(VersionedItem):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(
        max_length=255, blank=True, help_text="The file's name as uploaded (data only)."
    )
    size = models.PositiveIntegerField(default=0)

    class Meta(VersionedItem.Meta):
        pass

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        return self.file_name.rsplit(".", 1)[-1].upper() if "." in self.file_name else ""


from policeplan.plans.models_local import LocalPriorities  # noqa: E402, F401 - a model of this app
